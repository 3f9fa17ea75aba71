package checklist

import (
	"go/ast"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Local SQLite databases: a mutex held across a query on an embedded
// SQLite file serialises writers to one file on purpose (SQLite allows one
// writer at a time anyway); no network peer can stall the lock.
// lock-across-io lowers such findings to info.

// sqliteDrivers are import path prefixes of SQLite drivers.
var sqliteDrivers = []string{
	"github.com/mattn/go-sqlite3", "modernc.org/sqlite", "github.com/glebarez/sqlite",
	"github.com/glebarez/go-sqlite", "zombiezen.com/go/sqlite", "crawshaw.io/sqlite",
	"github.com/ncruces/go-sqlite3", "gorm.io/driver/sqlite",
}

// networkDrivers are import path prefixes of drivers of database servers.
var networkDrivers = []string{
	"github.com/lib/pq", "github.com/jackc/pgx", "github.com/go-sql-driver/mysql",
	"github.com/denisenkom/go-mssqldb", "github.com/microsoft/go-mssqldb", "gorm.io/driver/postgres",
	"gorm.io/driver/mysql", "gorm.io/driver/sqlserver", "github.com/ClickHouse/clickhouse-go",
}

// dbDrivers is the package fact of a package that shows which database
// drivers it uses: by import, or by the driver name of an sql.Open call.
type dbDrivers struct {
	SQLite, Network bool
}

// AFact marks dbDrivers as an analysis fact.
func (*dbDrivers) AFact() {}

func (d *dbDrivers) String() string {
	return "drivers: sqlite=" + boolWord(d.SQLite) + " network=" + boolWord(d.Network)
}

// boolWord spells b.
func boolWord(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// driversOf returns the database drivers the package of pass uses.
func driversOf(pass *analysis.Pass) dbDrivers {
	var d dbDrivers
	for _, f := range pass.Files {
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, "`\"")
			d.SQLite = d.SQLite || hasPathPrefix(p, sqliteDrivers)
			d.Network = d.Network || hasPathPrefix(p, networkDrivers)
		}
	}
	calls := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	for f, c := range calls.Everywhere() {
		call := c.Node().(*ast.CallExpr)
		if len(call.Args) < 2 || !openName(call.Fun) {
			continue
		}
		ref := code.Resolve(pass.TypesInfo, f, call.Fun)
		if ref.Recv != "" || (ref.Pkg != "database/sql" && ref.Pkg != "github.com/jmoiron/sqlx") ||
			(ref.Name != "Open" && ref.Name != "Connect" && ref.Name != "MustConnect" && ref.Name != "MustOpen") {
			continue
		}
		if name, ok := constString(pass.TypesInfo, call.Args[0]); ok {
			sqlite := strings.Contains(strings.ToLower(name), "sqlite")
			d.SQLite = d.SQLite || sqlite
			d.Network = d.Network || !sqlite
		}
	}
	return d
}

// openName reports whether the function a call names (sql.Open, sqlx.Connect,
// by its last identifier, as code.Resolve names it) is called like one that
// opens a database: a cheap test before resolving the call.
func openName(fun ast.Expr) bool {
	for {
		switch x := ast.Unparen(fun).(type) {
		case *ast.IndexExpr:
			fun = x.X
			continue
		case *ast.IndexListExpr:
			fun = x.X
			continue
		case *ast.Ident:
			return dbOpenFuncs[x.Name]
		case *ast.SelectorExpr:
			return dbOpenFuncs[x.Sel.Name]
		}
		return false
	}
}

// dbOpenFuncs are the names of the functions that open a database.
var dbOpenFuncs = map[string]bool{"Open": true, "Connect": true, "MustConnect": true, "MustOpen": true}

// hasPathPrefix reports whether the import path p is one of prefixes or
// below one.
func hasPathPrefix(p string, prefixes []string) bool {
	for _, pre := range prefixes {
		if p == pre || strings.HasPrefix(p, pre+"/") {
			return true
		}
	}
	return false
}

// localSQLite exports the package's drivers as a fact and reports whether
// the databases in sight are local SQLite files: the package, or a package
// of the module it depends on, uses a SQLite driver, and none of them uses
// the driver of a database server (an application that supports both may
// be talking to the server).
func localSQLite(pass *analysis.Pass) bool {
	d := driversOf(pass)
	if d.SQLite || d.Network {
		pass.ExportPackageFact(&d)
	}
	for _, pf := range pass.AllPackageFacts() {
		other, ok := pf.Fact.(*dbDrivers)
		if !ok || !sameModule(pass, pf.Package.Path()) {
			continue
		}
		d.SQLite = d.SQLite || other.SQLite
		d.Network = d.Network || other.Network
	}
	return d.SQLite && !d.Network
}

// sameModule reports whether the package at path belongs to the module of
// pass (any package when the module is unknown).
func sameModule(pass *analysis.Pass, path string) bool {
	if pass.Module == nil || pass.Module.Path == "" {
		return true
	}
	return path == pass.Module.Path || strings.HasPrefix(path, pass.Module.Path+"/")
}
