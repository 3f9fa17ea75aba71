package checklist

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/finding"
)

func lockNotReleasedCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityWarning,
		Title:    "mutex left locked on an early return",
		Rationale: "A function that locks a mutex and unlocks it by hand, not with defer, must unlock it on every " +
			"way out. A return added for a failed call (the backend refused, the decode failed) that skips the Unlock " +
			"leaves the mutex held for good: the next caller, often the client retrying what just failed, blocks " +
			"forever, and so does everything waiting behind it. The check reports a Lock or RLock of a sync.Mutex " +
			"or sync.RWMutex when the same function unlocks it on some paths but a return leaves it locked. A " +
			"function that never unlocks what it locks (a lock helper whose caller unlocks) is left alone, and so " +
			"is a deferred Unlock, and a return of a nil error with the lock held (a hand-off: the caller unlocks " +
			"on success).",
		Fix: "defer mu.Unlock() right after mu.Lock(), or unlock before each return.",
		Bad: `func (s *Session) Subscribe(ctx context.Context, ch string) error {
	s.mu.Lock()
	if err := s.backend.Subscribe(ctx, ch); err != nil {
		return err // s.mu stays locked
	}
	s.subs[ch] = true
	s.mu.Unlock()
	return nil
}`,
		Good: `func (s *Session) Subscribe(ctx context.Context, ch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.backend.Subscribe(ctx, ch); err != nil {
		return err
	}
	s.subs[ch] = true
	return nil
}`,
		Analyzer: lockNotReleasedAnalyzer,
	}
}

var lockNotReleasedAnalyzer = &analysis.Analyzer{
	Name:             "lock_not_released",
	Doc:              "reports a mutex that a function unlocks on some paths but leaves locked on a return",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              placed(runLockNotReleased, true),
}

func runLockNotReleased(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	if info == nil {
		return nil, nil
	}
	// From the shared call index: only the functions that lock a mutex
	// are walked, which on most packages is none.
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	byFunc := map[ast.Node][]*ast.ExprStmt{}
	var funcs []ast.Node
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		if _, name, ok := mutexCall(info, call); !ok || (name != "Lock" && name != "RLock") {
			continue
		}
		st, ok := c.Parent().Node().(*ast.ExprStmt)
		if !ok {
			continue
		}
		fn, _, _ := code.FuncOf(c)
		if fn == nil {
			continue
		}
		if _, seen := byFunc[fn]; !seen {
			funcs = append(funcs, fn)
		}
		byFunc[fn] = append(byFunc[fn], st)
	}
	for _, fn := range funcs {
		body := code.Body(fn)
		if body == nil {
			continue
		}
		locks := byFunc[fn]
		for _, st := range locks {
			call := ast.Unparen(st.X).(*ast.CallExpr)
			recv, name, _ := mutexCall(info, call)
			unlock := "Unlock"
			if name == "RLock" {
				unlock = "RUnlock"
			}
			key := types.ExprString(recv)
			unlocks, deferred := 0, false
			ast.Inspect(body, func(n ast.Node) bool {
				if _, ok := n.(*ast.FuncLit); ok {
					return false
				}
				if d, ok := n.(*ast.DeferStmt); ok {
					if r, m, ok := mutexCall(info, d.Call); ok && m == unlock && types.ExprString(r) == key {
						deferred = true
					}
					return false
				}
				if call, ok := n.(*ast.CallExpr); ok {
					if r, m, ok := mutexCall(info, call); ok && m == unlock && types.ExprString(r) == key {
						unlocks++
					}
				}
				return true
			})
			if deferred || unlocks == 0 || unlockedBefore(info, body, key, unlock, call.Pos()) {
				// Released by defer; a lock helper whose caller unlocks; or a
				// function called with the lock held that lets it go around
				// a slow call and takes it back (mu.Unlock(); list(); mu.Lock()).
				continue
			}
			releases := func(n ast.Node) bool {
				found := false
				ast.Inspect(n, func(m ast.Node) bool {
					if _, ok := m.(*ast.FuncLit); ok || found {
						return false
					}
					if call, ok := m.(*ast.CallExpr); ok {
						if r, m, ok := mutexCall(info, call); ok && m == unlock && types.ExprString(r) == key {
							found = true
						}
					}
					return !found
				})
				return found
			}
			exits := code.OpenExits(info, body, st, releases, nil)
			var open []code.Exit
			for _, e := range exits {
				// return ref, nil with the lock held: a hand-off to the
				// caller, which unlocks on success (the function unlocks
				// on its failures itself).
				if e.Return != nil && !returnsNilError(info, e.Return) && !returnsMutex(e.Return, key) {
					open = append(open, e)
				}
			}
			if len(open) == 0 {
				continue
			}
			line := pass.Fset.Position(open[0].Pos).Line
			more := ""
			if len(open) > 1 {
				more = fmt.Sprintf(" (and %d more)", len(open)-1)
			}
			pass.Report(analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Message: fmt.Sprintf(
				"%s.%s() is released by hand, but the return on line %d%s leaves it locked: the next caller (often the retry of what just failed) blocks forever; defer %s.%s() right after locking, or unlock before that return",
				key, name, line, more, key, unlock)})
		}
	}
	return nil, nil
}

// unlockedBefore reports whether body releases the mutex key (by unlock,
// outside any function literal) before the Lock at pos: the function was
// called with it held, and the Lock takes it back for the caller.
func unlockedBefore(info *types.Info, body *ast.BlockStmt, key, unlock string, pos token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok || found || n == nil || n.Pos() >= pos {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if r, m, ok := mutexCall(info, call); ok && m == unlock && types.ExprString(r) == key {
				found = true
			}
		}
		return !found
	})
	return found
}

// returnsMutex reports whether ret hands the locked mutex named key (or
// its address) to the caller: return mu, true from a helper whose caller
// must unlock it.
func returnsMutex(ret *ast.ReturnStmt, key string) bool {
	for _, r := range ret.Results {
		r = ast.Unparen(r)
		if u, ok := r.(*ast.UnaryExpr); ok && u.Op == token.AND {
			r = ast.Unparen(u.X)
		}
		if types.ExprString(r) == key {
			return true
		}
	}
	return false
}

// returnsNilError reports whether ret's last result is an error written
// as the literal nil.
func returnsNilError(info *types.Info, ret *ast.ReturnStmt) bool {
	if len(ret.Results) == 0 {
		return false
	}
	last := ret.Results[len(ret.Results)-1]
	id, ok := ast.Unparen(last).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	t := info.TypeOf(last)
	return t == nil || types.Identical(t, types.Typ[types.UntypedNil]) || isErrorType(t)
}

// mutexCall reports whether call is a method of a sync.Mutex or
// sync.RWMutex (directly, or promoted from an embedded one), and returns
// the receiver expression and the method's name.
func mutexCall(info *types.Info, call *ast.CallExpr) (ast.Expr, string, bool) {
	recv, name, ok := code.Selector(call)
	if !ok {
		return nil, "", false
	}
	switch name {
	case "Lock", "Unlock", "RLock", "RUnlock":
	default:
		return nil, "", false
	}
	fn := code.Callee(info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return nil, "", false
	}
	return recv, name, true
}
