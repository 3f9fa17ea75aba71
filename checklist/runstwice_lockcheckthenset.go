package checklist

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func lockCheckThenSetCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "lock or marker in Redis taken by a read that found none, then a plain SET",
		Rationale: "A lock, lease or processed-marker kept in Redis is taken by asking whether the key is " +
			"there (GET or EXISTS, a redis.Nil reply) and then writing it with a plain SET. Between the two, " +
			"another request, worker or instance (the reason to keep the lock in Redis) asks the same question, " +
			"gets the same answer, and sets the key too: both believe they hold the lock, the second SET " +
			"overwrites the first, and the work it guards runs twice at once. The check reports a SET, SETEX " +
			"or PSETEX without NX of the key a GET or EXISTS of the same function read, through go-redis (v6 " +
			"to v9) or redigo, where the function or the key is named for a lock, lease, claim, mutex, leader " +
			"or a processed or seen marker. Left alone: SET NX (SetNX, SetArgs with Mode NX), a read and a " +
			"set inside a WATCH or MULTI transaction or a Lua script, keys named for nothing exclusive (a " +
			"cache filled on a miss, where a second fill is harmless), and code that runs once or only in " +
			"tests. Info where a mutex of the process is held around both: a second instance still races.",
		Fix: "Take the key in one step and read the answer: ok, err := rdb.SetNX(ctx, key, owner, ttl).Result() " +
			"(or SetArgs with Mode \"NX\"), and treat ok == false as held; release it with a script that deletes " +
			"only if the value is still yours.",
		Bad: `_, err := r.rdb.Get(ctx, key).Result()
if err == redis.Nil {
	// free: take it
	if err := r.rdb.Set(ctx, key, owner, 0).Err(); err != nil {
		return false, err
	}
	return true, nil
}`,
		Good: `ok, err := r.rdb.SetNX(ctx, key, owner, lockTTL).Result()
if err != nil {
	return false, err
}
return ok, nil // false: someone else holds it`,
		Analyzer: lockCheckThenSetAnalyzer,
	}
}

var lockCheckThenSetAnalyzer = &analysis.Analyzer{
	Name:             "lock_check_then_set",
	Doc:              "reports a Redis lock or marker taken by a GET or EXISTS that found none and then a SET without NX",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, program.WhereAnalyzer}, // inspect: placed reads it
	RunDespiteErrors: true,
	Run:              placed(runLockCheckThenSet, false),
}

func runLockCheckThenSet(pass *analysis.Pass) (any, error) {
	if !slices.ContainsFunc(pass.Pkg.Imports(), func(p *types.Package) bool { return program.RedisPackage(p.Path()) }) {
		return nil, nil // no Redis client in sight
	}
	for _, file := range pass.Files {
		if code.IsTestFile(pass.Fset, file.Pos()) {
			continue
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				reportLockCheckThenSet(pass, fd)
			}
		}
	}
	return nil, nil
}

// redisOp is one Redis command of a function, with its key's text.
type redisOp struct {
	call  *ast.CallExpr
	cmd   string
	key   string // the key expression's text, to match a read with a set
	words string // that text, and what a local key was set to (key := r.lockKey(p)): words name the key
	nx    bool
}

// lockWords name a key, or a function, that makes something exclusive or
// marks it done.
var lockWords = []string{"lock", "locks", "locked", "locking", "lease", "leases", "mutex", "claim", "claimed",
	"leader", "semaphore", "inflight", "processed", "processing", "dedup", "dedupe", "idempotency", "seen"}

func reportLockCheckThenSet(pass *analysis.Pass, fd *ast.FuncDecl) {
	info := pass.TypesInfo
	var ops []redisOp
	atomic, mutex := false, false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if cmd, key, nx, ok := program.RedisCommand(info, call); ok {
			switch cmd {
			case "WATCH", "MULTI", "TXPIPELINED", "TXPIPELINE", "EVAL", "EVALSHA", "EVALRO":
				atomic = true
			}
			if key != nil {
				text := types.ExprString(key)
				words := text
				if id, ok := ast.Unparen(key).(*ast.Ident); ok {
					if val := code.SetOnce(info, fd.Body, id); val != nil {
						words += " " + types.ExprString(val)
					}
				}
				ops = append(ops, redisOp{call, cmd, text, words, nx})
			}
			return true
		}
		if fn, _ := typeutil.Callee(info, call).(*types.Func); fn != nil && fn.Pkg() != nil {
			switch {
			case fn.Pkg().Path() == "sync" && (fn.Name() == "Lock" || fn.Name() == "RLock"):
				mutex = true
			case program.RedisPackage(fn.Pkg().Path()) && (fn.Name() == "Run" || fn.Name() == "NewScript"):
				atomic = true // a Lua script
			}
		}
		return true
	})
	if atomic || len(ops) < 2 {
		return
	}
	named := slices.ContainsFunc(code.IdentWords(fd.Name.Name), func(w string) bool { return slices.Contains(lockWords, w) })
	for i, read := range ops {
		if read.cmd != "GET" && read.cmd != "EXISTS" {
			continue
		}
		for _, set := range ops[i+1:] {
			if set.key != read.key || set.nx || (set.cmd != "SET" && set.cmd != "SETEX" && set.cmd != "PSETEX") {
				continue
			}
			if !named && !slices.ContainsFunc(code.TextWords(set.words), func(w string) bool { return slices.Contains(lockWords, w) }) {
				return // a cache filled on a miss: a second fill is harmless
			}
			cat, note := "", ""
			if mutex {
				cat, note = AtMostInfo, " (info: a mutex of this process is held here; another instance sharing the Redis still races)"
			}
			reportIn(pass, set.call, cat, "the key is set with a plain "+set.cmd+" after "+read.cmd+" found it free: two callers at once (two requests, two workers, two instances) both see no lock and both take it, the second overwriting the first, and the work it guards runs twice; take it in one step with SET NX (SetNX, SetArgs{Mode: \"NX\"}) and treat a false reply as held"+note)
			return
		}
	}
}
