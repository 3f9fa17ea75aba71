package sqltext

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/prodready/prodready/checklist/internal/code"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		sql                     string
		insert, guarded         bool
		relative, updateGuarded bool
	}{
		{sql: "INSERT INTO t (a) VALUES ($1)", insert: true},
		{sql: "insert into t(a) values (?) on conflict (a) do nothing", insert: true, guarded: true},
		{sql: "INSERT INTO t (a) VALUES (?) ON DUPLICATE KEY UPDATE a = VALUES(a)", insert: true, guarded: true},
		{sql: "INSERT IGNORE INTO t (a) VALUES (?)", insert: true, guarded: true},
		{sql: "INSERT OR IGNORE INTO t (a) VALUES (?)", insert: true, guarded: true},
		{sql: "REPLACE INTO t (a) VALUES (?)", insert: true, guarded: true},
		{sql: "INSERT INTO t (a) SELECT $1 WHERE NOT EXISTS (SELECT 1 FROM t WHERE a = $1)", insert: true, guarded: true},
		{sql: "-- add a row\nINSERT /* hint */ INTO t VALUES (1)", insert: true},
		{sql: "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", insert: true},
		{sql: "MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (s.id)", guarded: true},
		{sql: "SELECT * FROM t WHERE note = 'insert into'"},
		{sql: "UPDATE a SET balance = balance + $1 WHERE id = $2", relative: true},
		{sql: "update a set n=n-1 where id=$1", relative: true},
		{sql: "UPDATE a SET log = a.log || $1 WHERE id = $2", relative: true},
		{sql: "UPDATE a SET price = $1 WHERE id = $2"},
		{sql: "UPDATE a SET name = $1, version = version + 1 WHERE id = $2"},
		{sql: "UPDATE a SET n = n + 1, version = version + 1 WHERE id = $1 AND version = $2", relative: true, updateGuarded: true},
		{sql: "UPDATE a SET n = n + 1 WHERE id = $1 AND last_event_id < $2", relative: true, updateGuarded: true},
		{sql: "UPDATE a SET other = n + 1 WHERE id = $1"},
	}
	for _, c := range cases {
		if got := IsInsert(c.sql); got != c.insert {
			t.Errorf("IsInsert(%q) = %v, want %v", c.sql, got, c.insert)
		}
		if got := Guarded(c.sql); got != c.guarded {
			t.Errorf("Guarded(%q) = %v, want %v", c.sql, got, c.guarded)
		}
		_, rel := RelativeUpdate(c.sql)
		if rel != c.relative {
			t.Errorf("RelativeUpdate(%q) = %v, want %v", c.sql, rel, c.relative)
		}
		if rel {
			if got := UpdateGuarded(c.sql); got != c.updateGuarded {
				t.Errorf("UpdateGuarded(%q) = %v, want %v", c.sql, got, c.updateGuarded)
			}
		}
	}
}

// TestStringReassigned: a statement variable set again and again in
// straight-line code has, at each use, the value last given before it; set
// on both arms of an if, it has none.
func TestStringReassigned(t *testing.T) {
	src := `package p
func f(db DB, x bool) {
	statement := "SELECT hex FROM resets WHERE hex = $1"
	db.QueryRow(statement)
	statement = "DELETE FROM resets WHERE hex = $1"
	db.Exec(statement)
	if x {
		statement = "UPDATE owners SET hash = $1"
	} else {
		statement = "UPDATE commenters SET hash = $1"
	}
	db.Exec(statement)
}`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := file.Decls[0].(*ast.FuncDecl).Body
	var got []string
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok {
			s, _ := Statement(nil, body, call)
			got = append(got, s)
		}
		return true
	})
	want := []string{"SELECT hex FROM resets WHERE hex = $1", "DELETE FROM resets WHERE hex = $1", ""}
	if len(got) != len(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("use %d: got %q, want %q", i, got[i], want[i])
		}
	}
}

// TestStringPrepared: a statement run on a prepared statement has the SQL it
// was prepared with.
func TestStringPrepared(t *testing.T) {
	src := `package p
func f(tx Tx, id int) error {
	stmt, err := tx.Prepare("update invite_tokens set deleted = true where id = $1")
	if err != nil {
		return err
	}
	_, err = stmt.Exec(id)
	other.Exec(id)
	return err
}`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := file.Decls[0].(*ast.FuncDecl).Body
	got := map[string]string{}
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && code.CallName(call) == "Exec" {
			s, _ := Statement(nil, body, call)
			got[types.ExprString(call.Fun)] = s
		}
		return true
	})
	if got["stmt.Exec"] != "update invite_tokens set deleted = true where id = $1" {
		t.Errorf("stmt.Exec: got %q", got["stmt.Exec"])
	}
	if got["other.Exec"] != "" {
		t.Errorf("other.Exec ran no prepared statement, got %q", got["other.Exec"])
	}
}

func TestSingleRow(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT COUNT(*) FROM jobs WHERE state = $1":         true,
		"select count(id) from users":                        true,
		"SELECT id FROM users ORDER BY created DESC LIMIT 1": true,
		"SELECT EXISTS (SELECT 1 FROM t WHERE id = $1)":      true,
		"SELECT status, COUNT(*) FROM jobs GROUP BY status":  false,
		"SELECT COUNT(*) FROM jobs GROUP BY status":          false,
		"SELECT id FROM users LIMIT 10":                      false,
		"SELECT id, count FROM counters":                     false,
		"SELECT max_retries, name FROM queues ORDER BY name": false,
	} {
		if got := SingleRow(q); got != want {
			t.Errorf("SingleRow(%q) = %v, want %v", q, got, want)
		}
	}
}
