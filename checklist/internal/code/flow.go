package code

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/cfg"
)

// Exit is a way out of a function found by OpenExits.
type Exit struct {
	// Return is the return statement, or nil when control falls off the end
	// of the body.
	Return *ast.ReturnStmt
	// Pos is where to report: the return statement, or the body's closing brace.
	Pos token.Pos
}

// OpenExits walks the control-flow graph of body from just after the node
// start, and returns the exits reachable without passing a node for which
// closes reports true. An edge from block from (its succ-th successor) to
// block to is not followed when skip reports true: use it to leave out the
// branch that handles the failure of start itself, or the branch on which a
// condition proves the resource released.
// Calls that never return (panic, os.Exit, log.Fatal…) end a path without
// an exit.
func OpenExits(info *types.Info, body *ast.BlockStmt, start ast.Node, closes func(ast.Node) bool, skip func(from *cfg.Block, succ int, to *cfg.Block) bool) []Exit {
	if body == nil || start == nil {
		return nil
	}
	g := cfg.New(body, func(call *ast.CallExpr) bool { return !NoReturn(info, call) })
	var from *cfg.Block
	idx := -1
	for _, b := range g.Blocks {
		for i, n := range b.Nodes {
			if n == start {
				from, idx = b, i
			}
		}
	}
	if from == nil {
		return nil
	}
	var exits []Exit
	seen := map[*cfg.Block]bool{}
	var visit func(b *cfg.Block, first int)
	visit = func(b *cfg.Block, first int) {
		for _, n := range b.Nodes[first:] {
			if closes(n) {
				return
			}
		}
		if len(b.Succs) == 0 {
			if ret := b.Return(); ret != nil {
				exits = append(exits, Exit{Return: ret, Pos: ret.Pos()})
				return
			}
			if len(b.Nodes) > 0 {
				if es, ok := b.Nodes[len(b.Nodes)-1].(*ast.ExprStmt); ok {
					if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && NoReturn(info, call) {
						return
					}
				}
			}
			exits = append(exits, Exit{Pos: body.Rbrace})
			return
		}
		for i, s := range b.Succs {
			if seen[s] || (skip != nil && skip(b, i, s)) {
				continue
			}
			seen[s] = true
			visit(s, 0)
		}
	}
	visit(from, idx+1)
	return exits
}

// NoReturn reports whether call never returns: panic, os.Exit, log.Fatal*,
// log.Panic*, runtime.Goexit, (*testing.common).Fatal*/FailNow/Skip*.
func NoReturn(info *types.Info, call *ast.CallExpr) bool {
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "panic" {
		if info == nil {
			return true
		}
		obj := info.Uses[id]
		return obj == nil || obj.Parent() == types.Universe
	}
	_, name, ok := Selector(call)
	if !ok {
		return false
	}
	if fn := Callee(info, call); fn != nil {
		switch FuncPath(fn) {
		case "os":
			return name == "Exit"
		case "log":
			return OneOf(name, "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln")
		case "runtime":
			return name == "Goexit"
		case "testing":
			return OneOf(name, "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow")
		}
		return false
	}
	// Without types: the common no-return spellings.
	return OneOf(name, "Exit", "Fatal", "Fatalf", "Fatalln", "Panicf", "Goexit", "FailNow")
}
