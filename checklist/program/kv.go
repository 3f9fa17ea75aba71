package program

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
)

// Key-value stores: the commands of a Redis client that read, delete or
// claim a key, as effects whose Detail is the command and the key's text.

// redisClients are the import path prefixes of the Redis clients read:
// go-redis (v9 under github.com/redis, v6 to v8 under github.com/go-redis)
// and redigo.
var (
	redisClients = []string{"github.com/redis/go-redis/", "github.com/go-redis/redis", "github.com/gomodule/redigo/", "github.com/garyburd/redigo/"}
	redigoPaths  = redisClients[2:]
)

// kvCommands classifies the commands read, by their upper-case name as
// go-redis spells its methods (GetDel → GETDEL) and redigo its first
// argument.
var kvCommands = map[string]EffectKind{
	"GET": KVRead, "GETEX": KVRead, "HGET": KVRead, "HGETALL": KVRead, "HMGET": KVRead,
	"DEL": KVDelete, "UNLINK": KVDelete, "HDEL": KVDelete, "DELEXARGS": KVDelete, "GETDEL": KVDelete,
	"SETNX": KVClaim, "HSETNX": KVClaim, "SET": KVClaim, "SETARGS": KVClaim,
}

// kvEffect classifies a call of a Redis client's method name: a go-redis
// command method (rdb.Get(ctx, key)) or redigo's conn.Do("GET", key). SET
// is a claim only with its NX option; GETDEL reads and deletes in one step,
// so it is a counted delete.
func kvEffect(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr, pkg, name string) *Effect {
	cmd, args, redigo, ok := redisCall(info, call, pkg, name)
	if !ok {
		return nil
	}
	kind, ok := kvCommands[cmd]
	if !ok || ((cmd == "SET" || cmd == "SETARGS") && !nxOption(args)) {
		return nil
	}
	detail := cmd
	if key := keyArg(info, args, redigo); key != nil {
		detail += " " + keyText(info, outer, key)
	}
	return &Effect{Kind: kind, Detail: detail, Pos: call.Pos(), Counted: cmd == "GETDEL"}
}

// redisCall returns the command a call of a Redis client's method sends,
// upper-case, with the arguments after the command's name, and whether
// they are laid out as redigo's (the key first): go-redis's command methods
// (rdb.Get(ctx, key): GET), and Do on either client (conn.Do("DEL", key),
// rdb.Do(ctx, "DEL", key)). ok is false for redigo's other methods
// (pool.Get() opens a connection, not a command).
func redisCall(info *types.Info, call *ast.CallExpr, pkg, name string) (cmd string, args []ast.Expr, redigo, ok bool) {
	cmd, args = strings.ToUpper(name), call.Args
	redigo = hasPrefix(pkg, redigoPaths...)
	switch {
	case name == "Do":
		i := slices.IndexFunc(args, func(a ast.Expr) bool { _, ok := sqltext.String(info, nil, a); return ok })
		if i < 0 || i > 1 {
			return "", nil, false, false
		}
		s, _ := sqltext.String(info, nil, args[i])
		return strings.ToUpper(s), args[i+1:], true, true
	case redigo:
		return "", nil, false, false
	}
	return cmd, args, false, true
}

// RedisCommand returns the command that call sends through a Redis client
// (go-redis v6 to v9, redigo), upper-case (rdb.Get(ctx, k): GET;
// conn.Do("SET", k, v): SET), with its key argument (nil when none is in
// sight) and whether its arguments ask for NX. ok is false for any call
// that is not a Redis command.
func RedisCommand(info *types.Info, call *ast.CallExpr) (cmd string, key ast.Expr, nx, ok bool) {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || !hasPrefix(fn.Pkg().Path(), redisClients...) {
		return "", nil, false, false
	}
	cmd, args, redigo, ok := redisCall(info, call, fn.Pkg().Path(), fn.Name())
	if !ok {
		return "", nil, false, false
	}
	return cmd, keyArg(info, args, redigo), nxOption(args), true
}

// RedisPackage reports whether path is the import path of a Redis client
// the model reads (go-redis v6 to v9, redigo).
func RedisPackage(path string) bool { return hasPrefix(path, redisClients...) }

// keyArg returns the key among a command's arguments: the first after the
// command's name given as an argument (redigo's Do, go-redis's Do), or
// else the first string (after go-redis's context).
func keyArg(info *types.Info, args []ast.Expr, redigo bool) ast.Expr {
	if redigo {
		if len(args) > 0 {
			return args[0]
		}
		return nil
	}
	for _, a := range args {
		if t := info.TypeOf(a); t == nil {
			continue
		} else if b, ok := t.Underlying().(*types.Basic); ok && b.Info()&types.IsString != 0 {
			return a
		}
	}
	return nil
}

// nxOption reports whether a SET's arguments ask for NX: redigo's "NX"
// argument, go-redis's SetArgs{Mode: "NX"}.
func nxOption(args []ast.Expr) bool {
	found := false
	for _, a := range args {
		ast.Inspect(a, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING && strings.EqualFold(strings.Trim(bl.Value, "\"`"), "NX") {
				found = true
			}
			return !found
		})
	}
	return found
}

// keyText renders a key for an effect's Detail: a constant's value, or the
// values of the named constants in the expression followed by its text; a
// key that is a local set once in outer is rendered with what it was set
// to ("otp:%s, key = fmt.Sprintf(otpKeyFormat, phone)"), so that a prefix
// naming the key is seen.
func keyText(info *types.Info, outer *ast.BlockStmt, e ast.Expr) string {
	if s, ok := sqltext.String(info, outer, e); ok {
		return clip(s)
	}
	text := types.ExprString(e)
	if id, ok := ast.Unparen(e).(*ast.Ident); ok {
		if val := code.SetOnce(info, outer, id); val != nil {
			text += " = " + types.ExprString(val)
			e = val
		}
	}
	var parts []string
	ast.Inspect(e, func(n ast.Node) bool {
		x, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		if tv, ok := info.Types[x]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			if _, lit := x.(*ast.BasicLit); !lit {
				parts = append(parts, constant.StringVal(tv.Value))
			}
			return false
		}
		return true
	})
	return clip(strings.Join(append(parts, text), ", "))
}

// clip cuts a text to a length a fact can carry.
func clip(s string) string {
	if len(s) > 160 {
		return s[:160]
	}
	return s
}

// kvReplyRead reports whether the reply of a Redis delete or claim (call,
// at c in body) is read, so that the code can tell that it removed or set
// nothing; or whether it runs in a transaction that a change to the key
// since it was read makes fail (inside Watch or TxPipelined, or on a
// TxPipeline).
func kvReplyRead(info *types.Info, body *ast.BlockStmt, c inspector.Cursor, call *ast.CallExpr) bool {
	return kvTransaction(info, body, c, call) || replyRead(info, body, code.Stack(c), 0)
}

// kvTransaction reports whether a Redis command at c runs in a MULTI/EXEC
// transaction: in a function literal handed to go-redis's Watch or
// TxPipelined, or on a pipeline a local took from TxPipeline().
func kvTransaction(info *types.Info, body *ast.BlockStmt, c inspector.Cursor, call *ast.CallExpr) bool {
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); !ok {
			continue
		}
		if outer, ok := p.Parent().Node().(*ast.CallExpr); ok {
			if fn, _ := typeutil.Callee(info, outer).(*types.Func); fn != nil && fn.Pkg() != nil &&
				hasPrefix(fn.Pkg().Path(), redisClients...) && (fn.Name() == "Watch" || fn.Name() == "TxPipelined") {
				return true
			}
		}
	}
	recv, _, ok := code.Selector(call)
	if !ok {
		return false
	}
	id, ok := ast.Unparen(recv).(*ast.Ident)
	if !ok {
		return false
	}
	from, ok := ast.Unparen(code.SetOnce(info, body, id)).(*ast.CallExpr)
	return ok && code.CallName(from) == "TxPipeline"
}

// replyRead reports whether the first value of the expression that ends
// stack (its ancestors first) is read: compared, returned, passed to a
// call, stored, or assigned to a variable that is; a go-redis command's
// through Val() or Result() (Err() reads only the error), redigo's through
// a reply helper (redis.Int(conn.Do(...))). depth bounds the variables
// followed.
func replyRead(info *types.Info, body *ast.BlockStmt, stack []ast.Node, depth int) bool {
	i := len(stack) - 1
	for i > 0 {
		if _, ok := stack[i-1].(*ast.ParenExpr); !ok {
			break
		}
		i--
	}
	if i <= 0 {
		return false
	}
	switch p := stack[i-1].(type) {
	case *ast.ExprStmt, *ast.DeferStmt, *ast.GoStmt:
		return false
	case *ast.SelectorExpr:
		if (p.Sel.Name != "Val" && p.Sel.Name != "Result") || i < 2 {
			return false
		}
		if _, ok := stack[i-2].(*ast.CallExpr); !ok {
			return false
		}
		return replyRead(info, body, stack[:i-1], depth)
	case *ast.CallExpr:
		if fn, _ := typeutil.Callee(info, p).(*types.Func); fn != nil && fn.Pkg() != nil && hasPrefix(fn.Pkg().Path(), redigoPaths...) {
			return replyRead(info, body, stack[:i], depth)
		}
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && len(p.Lhs) > 0 {
			return assignedRead(info, body, p.Lhs[0], depth)
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && len(p.Names) > 0 {
			return assignedRead(info, body, p.Names[0], depth)
		}
	}
	return true
}

// assignedRead reports whether the value assigned to lhs is read: lhs is
// a field or an element (kept for later), or a local variable some use of
// which reads it.
func assignedRead(info *types.Info, body *ast.BlockStmt, lhs ast.Expr, depth int) bool {
	if id, ok := lhs.(*ast.Ident); ok && id.Name == "_" {
		return false
	}
	v, ok := code.LocalVar(info, lhs)
	if !ok || depth >= 3 {
		return true
	}
	for _, u := range code.Uses(info, body, v) {
		if u.Kind != code.UseAssigned && replyRead(info, body, u.Stack, depth+1) {
			return true
		}
	}
	return false
}
