// Package sqltext classifies SQL statements found as string constants in Go
// code: which statement a call runs, and whether it guards against running
// twice.
package sqltext

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"strconv"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// QueryMethods are the method names database libraries (database/sql, sqlx,
// pgx, gorm) run SQL through.
var QueryMethods = map[string]bool{
	"Exec": true, "ExecContext": true, "Query": true, "QueryContext": true,
	"QueryRow": true, "QueryRowContext": true, "MustExec": true, "MustExecContext": true,
	"NamedExec": true, "NamedExecContext": true, "NamedQuery": true, "NamedQueryContext": true,
	"Queryx": true, "QueryxContext": true, "QueryRowx": true, "QueryRowxContext": true,
	"Get": true, "GetContext": true, "Select": true, "SelectContext": true,
	"Raw": true, "Queue": true,
}

// Statement returns the SQL text a call runs, when the call is a query
// method given a constant string (a literal, a constant, a concatenation of
// them, or a local variable set once to one).
func Statement(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) (string, bool) {
	if !QueryMethods[code.CallName(call)] {
		return "", false
	}
	for i, a := range call.Args {
		if i > 1 {
			break
		}
		if s, ok := String(info, body, a); ok && looksSQL(s) {
			return s, true
		}
	}
	return prepared(info, body, call)
}

// prepareMethods prepare a statement for later Exec or Query calls.
var prepareMethods = map[string]bool{
	"Prepare": true, "PrepareContext": true, "Preparex": true, "PreparexContext": true,
	"PrepareNamed": true, "PrepareNamedContext": true,
}

// prepared returns the SQL of a statement prepared earlier in body, when
// call runs it (stmt, err := tx.Prepare("UPDATE …"); stmt.Exec(id)).
func prepared(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) (string, bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || body == nil {
		return "", false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return "", false
	}
	var from *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Rhs) != 1 || len(as.Lhs) == 0 || as.Pos() > call.Pos() {
			return true
		}
		l, ok := as.Lhs[0].(*ast.Ident)
		if !ok || l.Name != id.Name || (info != nil && info.ObjectOf(l) != info.ObjectOf(id)) {
			return true
		}
		if c, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok && prepareMethods[code.CallName(c)] {
			from = c
		}
		return true
	})
	if from == nil {
		return "", false
	}
	for i, a := range from.Args {
		if i > 1 {
			break
		}
		if s, ok := String(info, body, a); ok && looksSQL(s) {
			return s, true
		}
	}
	return "", false
}

// String returns the constant string value of e, if it has one.
func String(info *types.Info, body *ast.BlockStmt, e ast.Expr) (string, bool) {
	e = ast.Unparen(e)
	if info != nil {
		if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			return constant.StringVal(tv.Value), true
		}
	}
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind == token.STRING {
			if s, err := strconv.Unquote(x.Value); err == nil {
				return s, true
			}
		}
	case *ast.BinaryExpr:
		if x.Op == token.ADD {
			l, ok1 := String(info, body, x.X)
			r, ok2 := String(info, body, x.Y)
			if ok1 && ok2 {
				return l + r, true
			}
		}
	case *ast.Ident:
		if body == nil {
			return "", false
		}
		// A local set once: q := "INSERT ...". Or set again and again
		// in straight-line code (statement = `DELETE ...`): the last
		// value before this use.
		val := code.SetOnce(info, body, x)
		if val == nil {
			val = code.ReachingValue(info, body, x)
		}
		if val != nil {
			if _, isIdent := val.(*ast.Ident); !isIdent {
				return String(info, nil, val)
			}
		}
	}
	return "", false
}

var (
	commentRE = regexp.MustCompile(`(?s)--[^\n]*|/\*.*?\*/`)
	spaceRE   = regexp.MustCompile(`\s+`)
	insertRE  = regexp.MustCompile(`(?i)^(with\b.*?\)\s*)?(insert|replace)\b`)
	guardRE   = regexp.MustCompile(`(?i)\bon\s+conflict\b|\bon\s+duplicate\s+key\b|\binsert\s+ignore\b|\binsert\s+or\s+(ignore|replace)\b|^\s*replace\s+into\b|\bmerge\s+into\b|\bnot\s+exists\b`)
	updateRE  = regexp.MustCompile(`(?i)^(with\b.*?\)\s*)?update\b`)
	relSetRE  = regexp.MustCompile(`(?i)\b([a-z_][a-z0-9_]*)\s*=\s*(?:[a-z_][a-z0-9_]*\.)?([a-z_][a-z0-9_]*)\s*([+\-]|\|\|)`)
	versionRE = regexp.MustCompile(`(?i)\bwhere\b.*\b(version|revision|etag|updated_at|processed|last_(event|message|request)_id|idempotency|dedup)`)
)

// Normalize strips comments and collapses white space.
func Normalize(s string) string {
	return strings.TrimSpace(spaceRE.ReplaceAllString(commentRE.ReplaceAllString(s, " "), " "))
}

func looksSQL(s string) bool {
	n := strings.ToLower(Normalize(s))
	for _, kw := range []string{"insert ", "update ", "delete ", "select ", "with ", "replace ", "merge ", "upsert "} {
		if strings.HasPrefix(n, kw) {
			return true
		}
	}
	return false
}

// IsInsert reports whether s is an INSERT (or REPLACE) statement.
func IsInsert(s string) bool {
	n := Normalize(s)
	return insertRE.MatchString(n) && strings.Contains(strings.ToLower(n), "into")
}

// Guarded reports whether s guards against inserting twice: ON CONFLICT, ON
// DUPLICATE KEY, INSERT IGNORE, INSERT OR IGNORE/REPLACE, REPLACE INTO, MERGE
// or WHERE NOT EXISTS.
func Guarded(s string) bool {
	n := Normalize(s)
	return guardRE.MatchString(n) || strings.HasPrefix(strings.ToLower(n), "merge ")
}

// RelativeUpdate reports whether s is an UPDATE that sets a column relative
// to its own value (x = x + ..., x = x - ..., x = x || ...), and returns the
// column.
func RelativeUpdate(s string) (string, bool) {
	n := Normalize(s)
	if !updateRE.MatchString(n) {
		return "", false
	}
	low := strings.ToLower(n)
	i := strings.Index(low, " set ")
	if i < 0 {
		return "", false
	}
	set := n[i+5:]
	if j := strings.Index(strings.ToLower(set), " where "); j >= 0 {
		set = set[:j]
	}
	for _, m := range relSetRE.FindAllStringSubmatch(set, -1) {
		if strings.EqualFold(m[1], m[2]) && !isVersionColumn(m[1]) {
			return m[1], true
		}
	}
	return "", false
}

// isVersionColumn reports whether a column is a version, or a sequence or
// position counter (sort_order = sort_order + 1 while shifting rows, seq =
// seq + 1 for the next row's number): bumping a version is the guard, not
// the bug, and a position shift is not a tally a redelivery double-counts.
func isVersionColumn(col string) bool {
	for _, part := range strings.Split(strings.ToLower(strings.Trim(col, "\"`")), "_") {
		switch part {
		case "version", "revision", "index", "idx", "seq", "sequence", "position", "pos", "order", "ordering", "rank":
			return true
		}
	}
	return false
}

// CounterColumn reports whether a column (or field) name is a version,
// sequence or position counter rather than a tally.
func CounterColumn(col string) bool { return isVersionColumn(col) }

// UpdateGuarded reports whether an UPDATE's WHERE clause makes a second run a
// no-op: an optimistic version check, a processed marker or a dedupe key.
func UpdateGuarded(s string) bool {
	n := Normalize(s)
	return versionRE.MatchString(n) || guardRE.MatchString(n)
}

// Template returns the SQL a query call runs as far as its text is known:
// the constant [Statement], or else the format of a fmt.Sprintf that builds
// the query argument (directly, or through a local set once to it), whose
// verbs name tables or filters and leave the statement's shape readable.
func Template(info *types.Info, body *ast.BlockStmt, call *ast.CallExpr) (string, bool) {
	if s, ok := Statement(info, body, call); ok {
		return s, true
	}
	if !QueryMethods[code.CallName(call)] || info == nil {
		return "", false
	}
	for i, a := range call.Args {
		if i > 1 {
			break
		}
		e := ast.Unparen(a)
		if id, ok := e.(*ast.Ident); ok && body != nil {
			if v := code.SetOnce(info, body, id); v != nil {
				e = ast.Unparen(v)
			}
		}
		sp, ok := e.(*ast.CallExpr)
		if !ok || len(sp.Args) == 0 || !code.Resolve(info, nil, sp.Fun).Is("fmt", "Sprintf") {
			continue
		}
		if s, ok := String(info, body, sp.Args[0]); ok && looksSQL(s) {
			return s, true
		}
	}
	return "", false
}

// singleRowRE matches a SELECT whose result list is one aggregate (COUNT,
// SUM, MIN, MAX, AVG, EXISTS), or a statement that ends in LIMIT 1.
var (
	aggregateRE = regexp.MustCompile(`(?i)^select\s+(count|sum|min|max|avg|exists)\s*\(`)
	limitOneRE  = regexp.MustCompile(`(?i)\blimit\s+1\s*;?$`)
	groupByRE   = regexp.MustCompile(`(?i)\bgroup\s+by\b`)
)

// SingleRow reports whether s returns at most one row by its form: a
// SELECT of one aggregate with no GROUP BY (SELECT COUNT(*) FROM jobs
// WHERE ...), or a query ending in LIMIT 1.
func SingleRow(s string) bool {
	n := Normalize(s)
	return (aggregateRE.MatchString(n) && !groupByRE.MatchString(n)) || limitOneRE.MatchString(n)
}
