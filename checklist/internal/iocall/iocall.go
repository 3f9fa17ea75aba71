// Package iocall classifies calls that leave the process: HTTP requests,
// database queries and raw network dials. It uses the receiver's type when
// the package has type information and the package-level function's import
// path otherwise.
package iocall

import (
	"go/ast"
	"go/types"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// Kind is what a call talks to.
type Kind string

// Kinds of call.
const (
	None     Kind = ""
	HTTP     Kind = "HTTP"
	Database Kind = "database"
	Network  Kind = "network"
)

// dbTypes are the receiver types whose query methods reach a database.
var dbTypes = map[string][]string{
	"database/sql":                         {"DB", "Tx", "Conn", "Stmt"},
	"github.com/jmoiron/sqlx":              {"DB", "Tx", "Conn", "Stmt", "NamedStmt"},
	"github.com/jackc/pgx/v5":              {"Conn", "Tx"},
	"github.com/jackc/pgx/v4":              {"Conn", "Tx"},
	"github.com/jackc/pgx/v5/pgxpool":      {"Pool", "Conn", "Tx"},
	"github.com/jackc/pgx/v4/pgxpool":      {"Pool", "Conn", "Tx"},
	"github.com/jackc/pgx/v5/pgconn":       {"PgConn"},
	"github.com/redis/go-redis/v9":         {"Client", "ClusterClient", "Cmdable"},
	"go.mongodb.org/mongo-driver/mongo":    {"Collection"},
	"go.mongodb.org/mongo-driver/v2/mongo": {"Collection"},
}

// ReadMethods are database methods that fetch rows.
var ReadMethods = map[string]bool{
	"Query": true, "QueryContext": true, "QueryRow": true, "QueryRowContext": true,
	"Queryx": true, "QueryxContext": true, "QueryRowx": true, "QueryRowxContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"NamedQuery": true, "NamedQueryContext": true, "Find": true, "FindOne": true,
}

// dbMethods are every database method that makes a round trip.
func dbMethod(name string) bool {
	if ReadMethods[name] {
		return true
	}
	switch name {
	case "Exec", "ExecContext", "MustExec", "MustExecContext", "NamedExec", "NamedExecContext",
		"Begin", "BeginTx", "Beginx", "BeginTxx", "MustBegin", "Ping", "PingContext",
		"Prepare", "PrepareContext", "Preparex", "PreparexContext", "SendBatch", "CopyFrom",
		"Commit", "InsertOne", "InsertMany", "UpdateOne", "UpdateMany", "DeleteOne", "DeleteMany":
		return true
	}
	return false
}

// Of says whether call leaves the process, and to what. read reports a
// database read (a query returning rows) or any HTTP request.
func Of(info *types.Info, file *ast.File, call *ast.CallExpr) (kind Kind, method string) {
	ref := code.Resolve(info, file, call.Fun)
	if ref.Pkg == "" {
		return None, ""
	}
	switch ref.Pkg {
	case "net/http":
		if ref.Recv == "" {
			switch ref.Name {
			case "Get", "Post", "Head", "PostForm":
				return HTTP, ref.Name
			}
			return None, ""
		}
		if ref.Recv == "Client" || ref.Recv == "RoundTripper" || ref.Recv == "Transport" {
			switch ref.Name {
			case "Do", "Get", "Post", "Head", "PostForm", "RoundTrip":
				return HTTP, ref.Name
			}
		}
		return None, ""
	case "net":
		if ref.Recv == "" && strings.HasPrefix(ref.Name, "Dial") {
			return Network, ref.Name
		}
		if ref.Recv == "Dialer" && strings.HasPrefix(ref.Name, "Dial") {
			return Network, ref.Name
		}
		if ref.Recv == "Resolver" && strings.HasPrefix(ref.Name, "Lookup") {
			return Network, ref.Name
		}
		return None, ""
	case "github.com/hashicorp/go-retryablehttp":
		if ref.Recv == "Client" || ref.Recv == "" {
			switch ref.Name {
			case "Do", "Get", "Post", "Head", "PostForm":
				return HTTP, ref.Name
			}
		}
		return None, ""
	}
	recvs, ok := dbTypes[ref.Pkg]
	if !ok || ref.Recv == "" {
		return None, ""
	}
	for _, r := range recvs {
		if r == ref.Recv && dbMethod(ref.Name) {
			return Database, ref.Name
		}
	}
	return None, ""
}

// sharedTypes are database handles safe for concurrent use: pools.
var sharedTypes = map[string][]string{
	"database/sql":                         {"DB"},
	"github.com/jmoiron/sqlx":              {"DB"},
	"github.com/jackc/pgx/v5/pgxpool":      {"Pool"},
	"github.com/jackc/pgx/v4/pgxpool":      {"Pool"},
	"github.com/redis/go-redis/v9":         {"Client", "ClusterClient", "Cmdable"},
	"go.mongodb.org/mongo-driver/mongo":    {"Collection"},
	"go.mongodb.org/mongo-driver/v2/mongo": {"Collection"},
}

// SharedPool reports whether a database call goes through a pool that is
// safe for concurrent use, rather than a single connection or transaction.
func SharedPool(info *types.Info, file *ast.File, call *ast.CallExpr) bool {
	ref := code.Resolve(info, file, call.Fun)
	for _, r := range sharedTypes[ref.Pkg] {
		if r == ref.Recv {
			return true
		}
	}
	return false
}
