package program

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"
)

// mongoDrivers are the import paths of the official MongoDB driver's
// mongo package, v1 and v2.
var mongoDrivers = []string{"go.mongodb.org/mongo-driver/mongo", "go.mongodb.org/mongo-driver/v2/mongo"}

// mongoEffect classifies a method of the MongoDB driver's Collection:
// InsertOne and InsertMany insert; an update whose document uses $inc
// changes a value relative to itself; other updates and replaces update,
// deletes delete. The collection's name is taken from the chain
// (db.Collection("refunds").InsertOne) when it is a constant.
func mongoEffect(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr, name string) *Effect {
	coll := mongoCollection(info, call)
	at := func(k EffectKind, detail string) *Effect { return &Effect{Kind: k, Detail: detail, Pos: call.Pos()} }
	switch name {
	case "InsertOne", "InsertMany":
		return at(Insert, "mongo "+name+coll)
	case "UpdateOne", "UpdateMany", "UpdateByID", "FindOneAndUpdate":
		if strings.Contains(updateDocText(info, outer, call), `"$inc"`) {
			return at(RelUpdate, "mongo "+name+" $inc"+coll)
		}
		return at(Update, "mongo "+name+coll)
	case "ReplaceOne", "FindOneAndReplace":
		return at(Update, "mongo "+name+coll)
	case "DeleteOne", "DeleteMany", "FindOneAndDelete":
		return at(Delete, "mongo "+name+coll)
	}
	return nil
}

// mongoCollection names the collection a Collection method acts on, as "
// on name", when the receiver is a Collection("name") call with a
// constant name; "" otherwise.
func mongoCollection(info *types.Info, call *ast.CallExpr) string {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
	if !ok || len(inner.Args) == 0 {
		return ""
	}
	if s, ok := ast.Unparen(inner.Fun).(*ast.SelectorExpr); !ok || s.Sel.Name != "Collection" {
		return ""
	}
	if tv, ok := info.Types[inner.Args[0]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		return " on " + constant.StringVal(tv.Value)
	}
	return ""
}

// updateDocText renders the literal text of a call's arguments, following
// an argument that is a local variable to the literals assigned to it in
// outer: enough to see an update operator ("$inc").
func updateDocText(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr) string {
	text := argsText(call)
	if outer == nil {
		return text
	}
	var b strings.Builder
	b.WriteString(text)
	for _, a := range call.Args {
		id, ok := ast.Unparen(a).(*ast.Ident)
		if !ok {
			continue
		}
		obj := info.ObjectOf(id)
		if obj == nil {
			continue
		}
		ast.Inspect(outer, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, l := range as.Lhs {
				if lid, ok := l.(*ast.Ident); ok && info.ObjectOf(lid) == obj {
					b.WriteString(argsText(&ast.CallExpr{Args: []ast.Expr{as.Rhs[i]}}))
				}
			}
			return true
		})
	}
	return b.String()
}
