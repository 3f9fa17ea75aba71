package program

import (
	"go/ast"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
)

// senderWords are what a webhook receiver's own code says when a sender
// that redelivers stands behind it: the header naming the delivery, or the
// signature over the body.
var senderWords = []string{"delivery", "signature", "svix-id", "webhook-id", "event-id", "event_id", "x-request-id"}

// senderString reports whether a string literal names a delivery id or a
// signature header.
func senderString(lit string) bool {
	l := strings.ToLower(lit)
	for _, w := range senderWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// senderCall reports whether a call checks a webhook's signature:
// go-github's ValidatePayload, Stripe's ConstructEvent, a module's own
// verifySignature, hmac.Equal over the body's MAC.
func senderCall(call *ast.CallExpr) bool {
	name := code.CallName(call)
	if f, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && name == "Equal" {
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "hmac" {
			return true
		}
	}
	l := strings.ToLower(name)
	return strings.Contains(l, "signature") || l == "validatepayload" || strings.HasPrefix(l, "constructevent") ||
		strings.Contains(l, "verifywebhook") || strings.Contains(l, "deliveryid")
}
