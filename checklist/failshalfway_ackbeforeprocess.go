package checklist

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func ackBeforeProcessCheck() *Check {
	return &Check{
		Question: finding.FailsHalfway,
		Severity: finding.SeverityInfo,
		Title:    "message acknowledged before it is processed",
		Rationale: "Acknowledging a message (NATS, Pub/Sub, RabbitMQ Ack; Kafka CommitMessages/MarkMessage; SQS " +
			"DeleteMessage) tells the broker it never has to deliver it again. Ack first and process second, and " +
			"every failure in between — a decode error, a database timeout, a deploy that kills the pod — loses " +
			"the message for good: the order is never fulfilled, the email never sent, and nothing retries. A " +
			"deferred Ack does the same on the error path. The check needs type information: it recognises the " +
			"acknowledging calls of the common Go clients, and the Ack (Acknowledge, AckMessage, DeleteMessage) " +
			"of a service's own queue type or interface that also receives messages or hands them back (Nack, " +
			"Reject, Receive, Fetch…), and reports one that comes before a call which takes " +
			"the same message (or its data) and can fail, on a path that runs both. An early ack with a comment on " +
			"or just above it that says at-most-once, no redelivery or best effort is a stated design and is left " +
			"alone. Where it speaks: every " +
			"function of the module, at error; test files and example programs are silent.",
		Fix: "Acknowledge after the side effect succeeded; on failure Nak/Nack (or let the lease expire) so the broker redelivers, and make the handler idempotent.",
		Bad: `msg.Ack()
var o Order
if err := json.Unmarshal(msg.Data, &o); err != nil {
	return err
}
return s.fulfil(ctx, o)`,
		Good: `var o Order
if err := json.Unmarshal(msg.Data, &o); err != nil {
	return msg.Term() // poison: do not redeliver
}
if err := s.fulfil(ctx, o); err != nil {
	return msg.Nak()
}
return msg.Ack()`,
		Analyzer: ackBeforeProcessAnalyzer,
	}
}

var ackBeforeProcessAnalyzer = &analysis.Analyzer{
	Name:             "ack_before_process",
	Doc:              "reports messages acknowledged before the processing that can fail",
	Requires:         []*analysis.Analyzer{inspect.Analyzer, code.CallsAnalyzer, program.Analyzer},
	RunDespiteErrors: true,
	Run:              runAckBeforeProcess,
}

// ackMethod is one acknowledging method: on a message (receiver is the
// message) or on a consumer (the message is among the arguments).
type ackMethod struct {
	path, typ string
	names     []string
	onMessage bool
}

var ackMethods = []ackMethod{
	{"github.com/nats-io/nats.go", "Msg", []string{"Ack", "AckSync"}, true},
	{"github.com/nats-io/nats.go/jetstream", "Msg", []string{"Ack", "DoubleAck"}, true},
	{"cloud.google.com/go/pubsub", "Message", []string{"Ack"}, true},
	{"cloud.google.com/go/pubsub/v2", "Message", []string{"Ack"}, true},
	{"github.com/rabbitmq/amqp091-go", "Delivery", []string{"Ack"}, true},
	{"github.com/streadway/amqp", "Delivery", []string{"Ack"}, true},
	{"github.com/segmentio/kafka-go", "Reader", []string{"CommitMessages"}, false},
	{"github.com/IBM/sarama", "ConsumerGroupSession", []string{"MarkMessage"}, false},
	{"github.com/Shopify/sarama", "ConsumerGroupSession", []string{"MarkMessage"}, false},
	{"github.com/confluentinc/confluent-kafka-go/v2/kafka", "Consumer", []string{"CommitMessage", "StoreMessage"}, false},
	{"github.com/confluentinc/confluent-kafka-go/kafka", "Consumer", []string{"CommitMessage", "StoreMessage"}, false},
	{"github.com/aws/aws-sdk-go-v2/service/sqs", "Client", []string{"DeleteMessage"}, false},
	{"github.com/twmb/franz-go/pkg/kgo", "Client", []string{"CommitRecords"}, false},
}

// negativeAcks are message methods that hand a message back for redelivery
// or drop it on purpose.
var negativeAcks = []string{"Nak", "NakWithDelay", "Nack", "Term", "TermWithReason", "Reject"}

type ackSite struct {
	call     *ast.CallExpr
	stack    []ast.Node
	msgs     []types.Object
	deferred bool
}

type effectSite struct {
	call  *ast.CallExpr
	stack []ast.Node
}

func runAckBeforeProcess(pass *analysis.Pass) (any, error) {
	callIdx := pass.ResultOf[code.CallsAnalyzer].(*code.Calls)
	info := code.Info(pass)
	acks := map[ast.Node][]ackSite{}
	calls := map[ast.Node][]effectSite{}
	var order []ast.Node
	for _, c := range callIdx.All() {
		call := c.Node().(*ast.CallExpr)
		m, ok := ackOf(info, call)
		if !ok || testOnlyCode(pass, call.Pos()) {
			continue
		}
		msgs := ackMessages(info, call, m)
		if len(msgs) == 0 {
			continue
		}
		stack := code.Stack(c)
		fn := code.EnclosingFunc(stack)
		if fn == nil {
			continue
		}
		if _, seen := acks[fn]; !seen {
			order = append(order, fn)
		}
		acks[fn] = append(acks[fn], ackSite{call, stack, msgs, isDeferredCall(stack, call)})
	}
	// The side effects that may come after an ack, only in functions that
	// ack: acks are rare, and this keeps the walk from building a stack for
	// every call that returns an error.
	if len(order) > 0 {
		for _, c := range callIdx.All() {
			call := c.Node().(*ast.CallExpr)
			if _, isAck := ackOf(info, call); isAck {
				continue
			}
			if sig := code.CallSig(info, call); sig == nil || !code.ReturnsError(sig) {
				continue
			}
			stack := code.Stack(c)
			if fn := code.EnclosingFunc(stack); acks[fn] != nil {
				calls[fn] = append(calls[fn], effectSite{call, stack})
			}
		}
	}
	for _, fn := range order {
		for _, a := range acks[fn] {
			if a.deferred {
				reportDeferredAck(pass, info, a, calls[fn])
				continue
			}
			if deliberateAck(pass, a.call) {
				continue
			}
			for _, c := range calls[fn] {
				if c.call.Pos() <= a.call.End() || !usesMessage(info, c.call, a.msgs) || exclusive(a.stack, c.stack) {
					continue
				}
				pass.ReportRangef(a.call, "the message is acknowledged before it is processed (%s on line %d can still fail): if that fails or the process dies in between, the broker will not redeliver it and the message is lost; acknowledge after the work succeeds",
					types.ExprString(c.call.Fun), pass.Fset.Position(c.call.Pos()).Line)
				break
			}
		}
	}
	return nil, nil
}

// reportDeferredAck reports a deferred acknowledgement in a function that
// processes the message with calls that can fail and never hands it back
// with a negative acknowledgement.
func reportDeferredAck(pass *analysis.Pass, info *types.Info, a ackSite, calls []effectSite) {
	for _, c := range calls {
		if _, name, ok := code.Selector(c.call); ok && code.OneOf(name, negativeAcks...) {
			return
		}
	}
	for _, c := range calls {
		if c.call.Pos() > a.call.End() && usesMessage(info, c.call, a.msgs) {
			pass.ReportRangef(a.call, "the deferred acknowledgement runs even when processing fails (%s on line %d): the failed message is acknowledged and lost; acknowledge only after success, and Nak/Nack on failure",
				types.ExprString(c.call.Fun), pass.Fset.Position(c.call.Pos()).Line)
			return
		}
	}
}

// ackOf reports whether call acknowledges a message, and how.
func ackOf(info *types.Info, call *ast.CallExpr) (ackMethod, bool) {
	fn := code.Callee(info, call)
	if fn == nil {
		return ackMethod{}, false
	}
	for _, m := range ackMethods {
		if code.IsMethod(fn, m.path, m.typ, m.names...) {
			return m, true
		}
	}
	return localAck(info, fn, call)
}

// localAckNames are the acknowledging method names of a service's own queue
// types; localQueueNames the methods that show a type is a queue or a
// message of one (a way to hand a message back, or to receive one).
var (
	localAckNames   = []string{"Ack", "Acknowledge", "AckMessage", "DeleteMessage"}
	localQueueNames = []string{"Nack", "Nak", "Reject", "Requeue", "Retry", "Receive", "ReceiveMessage", "Fetch", "Pull", "Consume", "Poll"}
)

// localAck reports whether fn is the acknowledging method of a queue type
// of the service (a small local interface in front of the broker; the
// standard library has none): named Ack or alike, on a type that also receives messages
// or hands them back. With no argument other than a context, the receiver
// is the message; otherwise the arguments name it.
func localAck(info *types.Info, fn *types.Func, call *ast.CallExpr) (ackMethod, bool) {
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil || !code.OneOf(fn.Name(), localAckNames...) {
		return ackMethod{}, false
	}
	recv := sig.Recv().Type()
	queue := false
	for _, name := range localQueueNames {
		if code.HasMethods(recv, name) {
			queue = true
			break
		}
	}
	if !queue {
		return ackMethod{}, false
	}
	onMessage := true
	for _, a := range call.Args {
		if t := code.TypeOf(info, a); t == nil || !code.IsNamed(t, "context", "Context") {
			onMessage = false
		}
	}
	return ackMethod{names: []string{fn.Name()}, onMessage: onMessage}, true
}

// ackMessages returns the variables that identify the acknowledged message:
// the receiver for message methods, else the variables in the arguments
// (other than contexts).
func ackMessages(info *types.Info, call *ast.CallExpr, m ackMethod) []types.Object {
	var exprs []ast.Expr
	recv, _, _ := code.Selector(call)
	if m.onMessage {
		exprs = []ast.Expr{recv}
	} else {
		exprs = call.Args
	}
	var out []types.Object
	for _, e := range exprs {
		for _, obj := range rootVars(info, e) {
			if code.IsNamed(obj.Type(), "context", "Context") {
				continue
			}
			out = append(out, obj)
		}
	}
	return out
}

// rootVars returns the variables an expression reads, ignoring selected
// field and method names.
func rootVars(info *types.Info, e ast.Expr) []types.Object {
	var out []types.Object
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok && !v.IsField() {
						out = append(out, v)
					}
				}
				return true
			})
			return false
		case *ast.Ident:
			if v, ok := info.Uses[n].(*types.Var); ok && !v.IsField() {
				out = append(out, v)
			}
		}
		return true
	})
	return out
}

// usesMessage reports whether call takes one of msgs (or data read from it)
// as an argument, and is not a method of the message itself nor logging.
func usesMessage(info *types.Info, call *ast.CallExpr, msgs []types.Object) bool {
	if recv, _, ok := code.Selector(call); ok {
		for _, obj := range rootVars(info, recv) {
			for _, m := range msgs {
				if obj == m {
					if id, isIdent := ast.Unparen(recv).(*ast.Ident); isIdent && info.Uses[id] == m {
						return false // a method of the message itself
					}
				}
			}
		}
	}
	if fn := code.Callee(info, call); fn != nil {
		switch code.FuncPath(fn) {
		case "fmt", "log", "log/slog", "errors":
			return false
		}
	}
	for _, a := range call.Args {
		for _, obj := range rootVars(info, a) {
			for _, m := range msgs {
				if obj == m {
					return true
				}
			}
		}
	}
	return false
}

// isDeferredCall reports whether call is the call of a defer statement.
func isDeferredCall(stack []ast.Node, call *ast.CallExpr) bool {
	if len(stack) < 2 {
		return false
	}
	d, ok := stack[len(stack)-2].(*ast.DeferStmt)
	return ok && d.Call == call
}

// atMostOnceWords in a comment on or just above an ack say the early ack is
// the design: a subscription that chose at-most-once delivery.
var atMostOnceWords = []string{"at-most-once", "at most once", "no redelivery", "best effort", "best-effort", "fire and forget", "fire-and-forget"}

// deliberateAck reports whether a comment on the ack's line or the two
// lines above it says the early acknowledgement is deliberate ("always
// ack: at-most-once, no redelivery").
func deliberateAck(pass *analysis.Pass, call *ast.CallExpr) bool {
	line := pass.Fset.Position(call.Pos()).Line
	for _, f := range pass.Files {
		if f.FileStart > call.Pos() || call.Pos() >= f.FileEnd {
			continue
		}
		for _, cg := range f.Comments {
			end := pass.Fset.Position(cg.End()).Line
			if end < line-2 || end > line {
				continue
			}
			text := strings.ToLower(cg.Text())
			for _, w := range atMostOnceWords {
				if strings.Contains(text, w) {
					return true
				}
			}
		}
	}
	return false
}
