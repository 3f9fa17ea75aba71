// Package handler recognises functions that run once per job, message, event
// or webhook delivery, which a queue or a sender may deliver more than once:
// by the parameter types of the common Go queue libraries, by the HTTP
// handler signature on a webhook route, and by name.
package handler

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/prodready/prodready/checklist/internal/code"
)

// queueTypes maps an import path (or a prefix ending in "/") to the type
// names in it that a handler receives. An empty list accepts any type.
var queueTypes = []struct {
	pkg   string
	types []string
}{
	{"github.com/riverqueue/river", []string{"Job"}},
	{"github.com/riverqueue/river/rivertype", []string{"JobRow"}},
	{"github.com/hibiken/asynq", []string{"Task"}},
	{"github.com/nats-io/nats.go", []string{"Msg"}},
	{"github.com/nats-io/nats.go/jetstream", []string{"Msg"}},
	{"github.com/segmentio/kafka-go", []string{"Message"}},
	{"github.com/confluentinc/confluent-kafka-go/kafka", []string{"Message"}},
	{"github.com/confluentinc/confluent-kafka-go/v2/kafka", []string{"Message"}},
	{"github.com/IBM/sarama", []string{"ConsumerMessage", "ConsumerGroupClaim"}},
	{"github.com/Shopify/sarama", []string{"ConsumerMessage", "ConsumerGroupClaim"}},
	{"github.com/twmb/franz-go/pkg/kgo", []string{"Record"}},
	{"github.com/aws/aws-sdk-go-v2/service/sqs/types", []string{"Message"}},
	{"github.com/aws/aws-sdk-go/service/sqs", []string{"Message"}},
	{"github.com/aws/aws-lambda-go/events", []string{"SQSEvent", "SQSMessage", "SNSEvent", "KinesisEvent", "EventBridgeEvent", "CloudWatchEvent", "DynamoDBEvent"}},
	{"cloud.google.com/go/pubsub", []string{"Message"}},
	{"cloud.google.com/go/pubsub/v2", []string{"Message"}},
	{"github.com/rabbitmq/amqp091-go", []string{"Delivery"}},
	{"github.com/streadway/amqp", []string{"Delivery"}},
	{"github.com/ThreeDotsLabs/watermill/message", []string{"Message"}},
	{"github.com/cloudevents/sdk-go/v2/event", []string{"Event"}},
	{"github.com/cloudevents/sdk-go/v2", []string{"Event"}},
}

// Kind says why a function counts as a handler.
type Kind string

// Kinds of handler.
const (
	None    Kind = ""
	Queue   Kind = "queue"   // receives a queue library's job or message type
	Webhook Kind = "webhook" // an HTTP handler for a webhook or callback
	Event   Kind = "event"   // receives a webhook event payload type
	Named   Kind = "named"   // recognised by its name and its parameter
)

// Of reports whether the function at c (a FuncDecl or FuncLit) is a handler.
func Of(info *types.Info, file *ast.File, c inspector.Cursor) Kind {
	var name string
	var ft *ast.FuncType
	switch f := c.Node().(type) {
	case *ast.FuncDecl:
		name, ft = f.Name.Name, f.Type
	case *ast.FuncLit:
		ft = f.Type
		name = litName(c)
	default:
		return None
	}
	if ft.Params == nil {
		return None
	}
	var hasWriter, hasRequest, hasPayloadName, frameworkCtx bool
	for _, field := range ft.Params.List {
		pkg, tname := typeName(info, file, field.Type)
		if frameworkContext(pkg, tname) || strings.HasSuffix(tname, "RequestObject") {
			// A gin, echo or fiber handler, or a method of an
			// oapi-codegen strict server (V1WebhookReceive(ctx, request
			// V1WebhookReceiveRequestObject)).
			frameworkCtx = true
		}
		for _, q := range queueTypes {
			if pkg != q.pkg {
				continue
			}
			for _, t := range q.types {
				if t == tname {
					return Queue
				}
			}
		}
		if strings.HasPrefix(pkg, "github.com/google/go-github/") && strings.HasSuffix(tname, "Event") {
			return Event
		}
		if pkg == "net/http" && tname == "ResponseWriter" {
			hasWriter = true
		}
		if pkg == "net/http" && tname == "Request" {
			hasRequest = true
		}
		if payloadWord(tname) {
			hasPayloadName = true
		}
		for _, n := range field.Names {
			if payloadWord(n.Name) {
				hasPayloadName = true
			}
		}
	}
	lname := strings.ToLower(name)
	if SettingsName(name) {
		// CreateWebhook, ListHooks, V1WebhookDelete: the API that
		// configures webhooks, called once per user action.
		return None
	}
	if hasWriter && hasRequest {
		// A REST handler that creates things (createEvent) is called once per
		// user action; a webhook or callback is redelivered by its sender.
		if strings.Contains(lname, "hook") || strings.Contains(lname, "callback") {
			return Webhook
		}
		return None
	}
	if frameworkCtx {
		// Framework handlers are named for their operation; "callback"
		// there is as often a browser's return from a sign-in or an app
		// install, so only a hook is taken for a sender's delivery.
		if strings.Contains(lname, "hook") {
			return Webhook
		}
		return None
	}
	if hasPayloadName && namedLikeHandler(name) {
		return Named
	}
	return None
}

// Enclosing reports whether the code at c runs inside a handler: its own
// function or any function around it.
func Enclosing(info *types.Info, file *ast.File, c inspector.Cursor) (inspector.Cursor, Kind) {
	for p := range c.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		if k := Of(info, file, p); k != None {
			return p, k
		}
	}
	return inspector.Cursor{}, None
}

// litName names a function literal after what it is given to: the route of
// mux.HandleFunc("/webhooks/stripe", func...), or the variable it is
// assigned to.
func litName(c inspector.Cursor) string {
	switch p := c.Parent().Node().(type) {
	case *ast.CallExpr:
		var parts []string
		parts = append(parts, code.CallName(p))
		for _, a := range p.Args {
			if bl, ok := a.(*ast.BasicLit); ok {
				parts = append(parts, bl.Value)
			}
		}
		return strings.Join(parts, " ")
	case *ast.AssignStmt:
		if len(p.Lhs) == 1 {
			if id, ok := p.Lhs[0].(*ast.Ident); ok {
				return id.Name
			}
		}
	case *ast.ValueSpec:
		if len(p.Names) == 1 {
			return p.Names[0].Name
		}
	}
	return ""
}

func typeName(info *types.Info, file *ast.File, te ast.Expr) (pkg, name string) {
	if t := code.TypeOf(info, te); t != nil {
		if n := code.NamedOf(t); n != nil && n.Obj().Pkg() != nil {
			return n.Obj().Pkg().Path(), n.Obj().Name()
		}
		if s, ok := types.Unalias(t).(*types.Slice); ok {
			if n := code.NamedOf(s.Elem()); n != nil && n.Obj().Pkg() != nil {
				return n.Obj().Pkg().Path(), n.Obj().Name()
			}
		}
		if ch, ok := types.Unalias(t).(*types.Chan); ok {
			// A channel a broker client fills (<-chan amqp.Delivery):
			// the broker redelivers what the consumer does not ack.
			if n := code.NamedOf(ch.Elem()); n != nil && n.Obj().Pkg() != nil {
				return n.Obj().Pkg().Path(), n.Obj().Name()
			}
		}
		return "", ""
	}
	te = ast.Unparen(te)
	for {
		switch x := te.(type) {
		case *ast.StarExpr:
			te = x.X
			continue
		case *ast.ArrayType:
			te = x.Elt
			continue
		case *ast.Ellipsis:
			te = x.Elt
			continue
		}
		break
	}
	r := code.Resolve(info, file, te)
	if r.Pkg != "" {
		return r.Pkg, r.Name
	}
	if id, ok := te.(*ast.Ident); ok {
		return "", id.Name
	}
	return "", ""
}

func payloadWord(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"msg", "message", "event", "job", "task", "delivery", "payload", "webhook"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func namedLikeHandler(name string) bool {
	l := strings.ToLower(name)
	if strings.Contains(l, "webhook") {
		return true
	}
	for _, p := range []string{"handle", "process", "consume", "on", "work", "perform"} {
		if strings.HasPrefix(l, p) && (len(name) == len(p) || isUpper(name[len(p)])) {
			return true
		}
	}
	return strings.HasSuffix(l, "handler") || strings.HasSuffix(l, "consumer") || strings.HasSuffix(l, "worker")
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// IsHTTP reports whether a function type is an HTTP handler's: it takes an
// http.ResponseWriter and an *http.Request, or a gin, echo or fiber context.
func IsHTTP(info *types.Info, file *ast.File, ft *ast.FuncType) bool {
	if ft == nil || ft.Params == nil {
		return false
	}
	var w, r bool
	for _, field := range ft.Params.List {
		pkg, name := typeName(info, file, field.Type)
		switch {
		case pkg == "net/http" && name == "ResponseWriter":
			w = true
		case pkg == "net/http" && name == "Request":
			r = true
		case frameworkContext(pkg, name):
			return true
		}
	}
	return w && r
}

// settingsVerbs start or end the words of a handler that manages
// configuration rather than receiving a delivery.
var settingsVerbs = map[string]bool{
	"create": true, "update": true, "delete": true, "list": true, "get": true, "add": true, "remove": true,
	"edit": true, "patch": true, "set": true, "save": true, "new": true, "test": true, "enable": true,
	"disable": true, "toggle": true, "show": true, "index": true, "destroy": true,
}

// SettingsName reports whether a function's name has a CRUD verb among its
// words (CreateWebhook, V1WebhookList, listHooks): an API over webhook
// settings, not the endpoint a sender delivers to.
func SettingsName(name string) bool {
	start := 0
	for i := 1; i <= len(name); i++ {
		if i == len(name) || isUpper(name[i]) || name[i] == '_' {
			if w := strings.ToLower(strings.Trim(name[start:i], "_")); settingsVerbs[w] {
				return true
			}
			start = i
		}
	}
	return false
}

// frameworkContext reports whether a parameter type is a web framework's
// request context: gin's or echo's Context, fiber's Ctx.
func frameworkContext(pkg, name string) bool {
	return pkg == "github.com/gin-gonic/gin" && name == "Context" ||
		strings.HasPrefix(pkg, "github.com/labstack/echo") && name == "Context" ||
		strings.HasPrefix(pkg, "github.com/gofiber/fiber") && name == "Ctx"
}

// EnclosingHTTP returns the HTTP handler function that the code at c runs
// in, looking outwards through closures but not past a goroutine started
// inside the handler (that work does not hold the request).
func EnclosingHTTP(info *types.Info, file *ast.File, c inspector.Cursor) (ast.Node, bool) {
	for p := range code.Ancestors(c) {
		switch f := p.Node().(type) {
		case *ast.FuncDecl:
			return f, IsHTTP(info, file, f.Type)
		case *ast.FuncLit:
			if IsHTTP(info, file, f.Type) {
				return f, true
			}
			if call, ok := p.Parent().Node().(*ast.CallExpr); ok {
				if _, isGo := p.Parent().Parent().Node().(*ast.GoStmt); isGo && call.Fun == f {
					return nil, false
				}
			}
		case *ast.GoStmt:
			return nil, false
		}
	}
	return nil, false
}
