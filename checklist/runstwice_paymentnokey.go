package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func paymentNoKeyCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "Money moved through Stripe with no idempotency key, so a second run moves it twice",
		Rationale: "A charge, payment intent, refund, transfer or payout created through stripe-go without an " +
			"idempotency key is a new one every time the code runs. stripe-go's own network retries reuse a key " +
			"it makes for that one call, but a second call makes a new request: a double-clicked Pay button, a " +
			"client that retries after a timeout, a job or webhook delivered again. Each charges the card or " +
			"sends the money again, and the customer sees two charges. Stripe's answer is the Idempotency-Key, " +
			"set once per order or attempt and sent with every try. The check reports stripe-go calls that " +
			"create, confirm, capture or pay (paymentintent, charge, refund, transfer, payout, top-up, invoice " +
			"pay; package functions, client methods and the v1 services) whose parameters are built in the " +
			"function with no IdempotencyKey set (a Params literal's field, an assignment to it, or " +
			"SetIdempotencyKey). Left alone: reads and other resources (a customer, a price), parameters that " +
			"arrive from the caller or a helper (the key may be set there), and code that runs once or only in " +
			"tests.",
		Fix: "Make the key once per order or attempt and send it with every call for it: params.SetIdempotencyKey(\"order-\" + order.ID + \"-pay\") (or a UUID stored with the order before the first call).",
		Bad: `params := &stripe.PaymentIntentParams{Amount: stripe.Int64(order.Total), Currency: stripe.String("usd"), Confirm: stripe.Bool(true)}
pi, err := paymentintent.New(params)`,
		Good: `params := &stripe.PaymentIntentParams{Amount: stripe.Int64(order.Total), Currency: stripe.String("usd"), Confirm: stripe.Bool(true)}
params.SetIdempotencyKey("order-" + order.ID + "-pay")
pi, err := paymentintent.New(params)`,
		Analyzer: paymentNoKeyAnalyzer,
	}
}

var paymentNoKeyAnalyzer = &analysis.Analyzer{
	Name:             "payment_no_idempotency_key",
	Doc:              "reports a stripe-go call that moves money with parameters built without an idempotency key",
	Requires:         []*analysis.Analyzer{program.WhereAnalyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              runPaymentNoKey,
}

// moneyResource is a stripe-go resource whose creation moves money: its
// package name or service type, what a second call does, and whether only
// paying it (an invoice's Pay) moves money.
type moneyResource struct {
	name, twice string
	payOnly     bool
}

// moneyResources are the resources the check knows.
var moneyResources = []moneyResource{
	{"paymentintent", "charges the card twice", false},
	{"charge", "charges the card twice", false},
	{"refund", "refunds twice", false},
	{"transfer", "sends the money twice", false},
	{"payout", "pays out twice", false},
	{"topup", "tops up twice", false},
	{"invoice", "pays the invoice twice", true},
}

// moneyVerbs are the calls that move money, by resource: creating, and
// confirming, capturing or paying one already made.
var moneyVerbs = map[string]bool{"New": true, "Create": true, "Confirm": true, "Capture": true, "Pay": true}

func runPaymentNoKey(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	where := whereOf(pass)
	for file, c := range pass.ResultOf[code.CallsAnalyzer].(*code.Calls).All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || info == nil || where.Quiet(c) {
			continue
		}
		fn := code.Callee(info, call)
		if fn == nil || fn.Pkg() == nil || !strings.HasPrefix(fn.Pkg().Path(), "github.com/stripe/stripe-go") || !moneyVerbs[fn.Name()] {
			continue
		}
		res, ok := moneyResourceOf(fn)
		if !ok || (fn.Name() == "Pay") != res.payOnly {
			continue // invoice: only Pay moves money; elsewhere Pay is no verb
		}
		params := stripeParamsArg(info, call)
		if params == nil {
			continue
		}
		outer, body := code.OuterFuncOf(c)
		if body == nil || !builtHere(info, outer, params) || setsIdempotencyKey(body) {
			continue
		}
		reportIn(pass, call, "", callName(fn)+" moves money with no idempotency key: a double-submitted form, a client's retry or a job delivered again "+
			res.twice+" (stripe-go's own retries reuse a key only within this one call); make a key once per order or attempt and set it: params.SetIdempotencyKey(key)")
	}
	return nil, nil
}

// moneyResourceOf returns the resource that moves money fn acts on (by its
// package, or by its receiver's type for the v1 services of the root
// package), if any.
func moneyResourceOf(fn *types.Func) (moneyResource, bool) {
	where := fn.Pkg().Name()
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil && where == "stripe" {
		where = strings.ToLower(types.TypeString(recv.Type(), func(*types.Package) string { return "" }))
	}
	for _, r := range moneyResources {
		if strings.Contains(where, r.name) {
			return r, true
		}
	}
	return moneyResource{}, false
}

// callName names fn the way a reader sees it: paymentintent.New, or the
// method with its receiver type.
func callName(fn *types.Func) string {
	if recv := fn.Type().(*types.Signature).Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Pkg().Name() + "." + fn.Name()
}

// stripeParamsArg returns the argument of call whose type is a pointer to
// a stripe-go parameters struct (one that embeds stripe.Params), or nil.
func stripeParamsArg(info *types.Info, call *ast.CallExpr) ast.Expr {
	for _, a := range call.Args {
		p, ok := info.TypeOf(a).(*types.Pointer)
		if !ok {
			continue
		}
		st, ok := p.Elem().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if f := st.Field(i); f.Embedded() && f.Name() == "Params" && f.Pkg() != nil && strings.HasPrefix(f.Pkg().Path(), "github.com/stripe/stripe-go") {
				return a
			}
		}
	}
	return nil
}

// builtHere reports whether params is a literal written at the call, or a
// variable of the function (outer) whose every assignment is a composite
// literal or new: parameters that come from a caller or a helper may carry
// a key set there.
func builtHere(info *types.Info, outer ast.Node, params ast.Expr) bool {
	switch x := ast.Unparen(params).(type) {
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(x.X).(*ast.CompositeLit)
		return ok
	case *ast.Ident:
		obj, ok := info.Uses[x].(*types.Var)
		if !ok || outer == nil {
			return false
		}
		built, other := false, false
		ast.Inspect(outer, func(n ast.Node) bool {
			var lhs, rhs []ast.Expr
			switch s := n.(type) {
			case *ast.AssignStmt:
				lhs, rhs = s.Lhs, s.Rhs
			case *ast.ValueSpec:
				for _, id := range s.Names {
					lhs = append(lhs, id)
				}
				rhs = s.Values
			case *ast.Field:
				for _, id := range s.Names {
					if info.Defs[id] == obj {
						other = true // a parameter: built by the caller
					}
				}
				return true
			default:
				return true
			}
			for i, l := range lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || (info.Defs[id] != obj && info.Uses[id] != obj) {
					continue
				}
				if len(rhs) != len(lhs) {
					other = true
					continue
				}
				switch r := ast.Unparen(rhs[i]).(type) {
				case *ast.UnaryExpr:
					if _, ok := ast.Unparen(r.X).(*ast.CompositeLit); ok {
						built = true
						continue
					}
					other = true
				case *ast.CallExpr:
					if id, ok := ast.Unparen(r.Fun).(*ast.Ident); ok && id.Name == "new" && isBuiltin(info, id) {
						built = true
						continue
					}
					other = true
				default:
					other = true
				}
			}
			return true
		})
		return built && !other
	}
	return false
}

// setsIdempotencyKey reports whether body sets an idempotency key on any
// parameters: an IdempotencyKey field in a literal or assigned, or
// SetIdempotencyKey called.
func setsIdempotencyKey(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.KeyValueExpr:
			if id, ok := x.Key.(*ast.Ident); ok && id.Name == "IdempotencyKey" {
				found = true
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "IdempotencyKey" || x.Sel.Name == "SetIdempotencyKey" {
				found = true
			}
		}
		return !found
	})
	return found
}
