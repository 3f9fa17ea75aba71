package program

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/internal/sqltext"
)

var (
	tableRE  = regexp.MustCompile(`(?i)\b(?:into|update|from)\s+([a-z_][a-z0-9_."]*)`)
	addRE    = regexp.MustCompile(` Add[A-Z]`)
	markerRE = regexp.MustCompile(`(?i)\bdo\s+nothing\b|\binsert\s+(or\s+)?ignore\b`)
)

// markerWords name tables and identifiers that record what was processed.
var markerWords = []string{"processed", "dedup", "idempot", "seen", "inbox", "handled", "received", "delivered_event", "webhook_event", "event_id", "message_id"}

// dedupeWords in an identifier speak of a dedupe guard.
var dedupeWords = []string{"dedup", "idempot", "alreadyprocessed", "markprocessed", "isprocessed", "duplicate", "uniqueviolation"}

// callEffect classifies one call: the effect it has, whether it is a dedupe
// marker, and whether it opens a transaction.
func callEffect(info *types.Info, outer *ast.BlockStmt, call *ast.CallExpr, fn *types.Func) (eff *Effect, dedupe, tx bool) {
	if s, ok := sqltext.Statement(info, outer, call); ok {
		return sqlEffect(s, call)
	}
	if fn == nil {
		if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "close" {
			if _, isBuiltin := info.Uses[id].(*types.Builtin); isBuiltin {
				return &Effect{Kind: ChanClose, Pos: call.Pos()}, false, false
			}
		}
		return nil, false, false
	}
	name := fn.Name()
	pkg := ""
	if fn.Pkg() != nil {
		pkg = fn.Pkg().Path()
	}
	recv := recvName(fn)
	at := func(k EffectKind, detail string) *Effect { return &Effect{Kind: k, Detail: detail, Pos: call.Pos()} }
	switch name {
	case "Begin", "BeginTx", "Beginx", "BeginTxx", "Transaction", "RunInTx", "BeginFunc", "BeginTxFunc":
		return nil, false, true
	}
	if txHelper(info, pkg, name, call) {
		return nil, false, true
	}
	var chainMemo *string
	chain := func() string { // rendered only for the ORM builders that need it
		if chainMemo == nil {
			c := chainText(call)
			chainMemo = &c
		}
		return *chainMemo
	}
	switch {
	case pkg == "net/http":
		switch name {
		case "Post", "PostForm":
			e := at(HTTPOut, "POST")
			if len(call.Args) > 0 {
				e.Target = targetText(info, call.Args[0])
			}
			return e, false, false
		case "NewRequest", "NewRequestWithContext":
			idx := 0
			if name == "NewRequestWithContext" {
				idx = 1
			}
			if len(call.Args) > idx {
				if tv, ok := info.Types[call.Args[idx]]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
					e := at(HTTPOut, strings.ToUpper(constant.StringVal(tv.Value)))
					if len(call.Args) > idx+1 {
						e.Target = targetText(info, call.Args[idx+1])
					}
					return e, false, false
				}
			}
		}
	case pkg == "sync" && (name == "Lock" || name == "RLock"):
		return at(Lock, recv), false, false
	case pkg == "golang.org/x/sync/errgroup" && name == "Go":
		return at(Goroutine, "errgroup"), false, false
	case pkg == "os" && (name == "WriteFile" || name == "Create" || name == "OpenFile"):
		return at(FileWrite, name), false, false
	case pkg == "net/smtp" && name == "SendMail",
		hasPrefix(pkg, "github.com/sendgrid/", "github.com/mailgun/", "gopkg.in/gomail", "github.com/wneessen/go-mail", "github.com/twilio/") &&
			(strings.Contains(name, "Send") || name == "CreateMessage" || name == "CreateApiV2010Message"),
		hasPrefix(pkg, "github.com/aws/aws-sdk-go-v2/service/ses", "github.com/aws/aws-sdk-go-v2/service/sesv2") && strings.HasPrefix(name, "Send"):
		return at(Email, name), false, false
	case hasPrefix(pkg, "github.com/stripe/stripe-go", "github.com/adyen/", "github.com/braintree-go/", "github.com/plutov/paypal") && mutating(name):
		return at(Payment, name), false, false
	case hasPrefix(pkg, "github.com/nats-io/", "github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp", "cloud.google.com/go/pubsub",
		"github.com/ThreeDotsLabs/watermill", "github.com/aws/aws-sdk-go-v2/service/sns", "github.com/aws/aws-sdk-go-v2/service/sqs") &&
		(strings.HasPrefix(name, "Publish") || name == "SendMessage" || name == "SendMessageBatch"):
		return at(Publish, name), false, false
	case hasPrefix(pkg, "github.com/segmentio/kafka-go") && name == "WriteMessages",
		hasPrefix(pkg, "github.com/IBM/sarama", "github.com/Shopify/sarama") && strings.HasPrefix(name, "SendMessage"),
		hasPrefix(pkg, "github.com/twmb/franz-go", "github.com/confluentinc/") && strings.HasPrefix(name, "Produce"),
		hasPrefix(pkg, "github.com/hibiken/asynq") && strings.HasPrefix(name, "Enqueue"),
		hasPrefix(pkg, "github.com/riverqueue/river") && recv == "Client" && strings.HasPrefix(name, "Insert"):
		return at(Publish, name), false, false
	case hasPrefix(pkg, mongoDrivers...) && recv == "Collection":
		return mongoEffect(info, outer, call, name), false, false
	case kubeClient(pkg) && name == "Create":
		return objectCreate(info, outer, call, pkg, name), false, false
	case hasPrefix(pkg, redisClients...):
		return kvEffect(info, outer, call, pkg, name), false, false
	case hasPrefix(pkg, "gorm.io/gorm"):
		switch name {
		case "Create", "CreateInBatches":
			if strings.Contains(chain(), "OnConflict") {
				return at(Upsert, "gorm "+name), false, false
			}
			return at(Insert, "gorm "+name), false, false
		case "Save", "FirstOrCreate":
			return at(Upsert, "gorm "+name), false, false
		case "Update", "Updates", "UpdateColumn", "UpdateColumns":
			if strings.Contains(chain(), " Expr") && strings.ContainsAny(argsText(call), "+-") && !counterArg(argsText(call)) {
				return at(RelUpdate, "gorm "+name), false, false
			}
			return at(Update, "gorm "+name), false, false
		case "Delete":
			return at(Delete, "gorm Delete"), false, false
		}
	case hasPrefix(pkg, "github.com/uptrace/bun") && (name == "Exec" || name == "Scan"):
		switch recv {
		case "InsertQuery":
			if strings.Contains(strings.ToUpper(chain()), "CONFLICT") || strings.Contains(chain(), " Ignore") {
				return at(Upsert, "bun insert"), markerRE.MatchString(chain()), false
			}
			return at(Insert, "bun insert"), false, false
		case "UpdateQuery":
			return at(Update, "bun update"), false, false
		case "DeleteQuery":
			return at(Delete, "bun delete"), false, false
		}
	case hasPrefix(pkg, "xorm.io/xorm") && (name == "Insert" || name == "InsertOne" || name == "InsertMulti"):
		return at(Insert, "xorm "+name), false, false
	case hasPrefix(pkg, "xorm.io/xorm") && (name == "Update" || name == "Exec"):
		// sess.Incr("num_watches").Update(bean): a tally bumped in SQL.
		if col, ok := xormIncr(call); ok {
			return at(RelUpdate, col), false, false
		}
		if name == "Update" {
			return at(Update, "xorm Update"), false, false
		}
	case hasPrefix(pkg, "xorm.io/xorm") && name == "Delete":
		return at(Delete, "xorm Delete"), false, false
	case hasPrefix(pkg, "github.com/go-gorp/gorp", "gopkg.in/gorp") && name == "Insert":
		// dbmap.Insert(&row): gorp writes one row per argument, unguarded.
		return at(Insert, "gorp Insert"), false, false
	case hasPrefix(pkg, "github.com/jackc/pgx") && name == "CopyFrom":
		return at(Insert, "COPY"), false, false
	case (name == "Save" || name == "SaveX" || name == "Exec" || name == "ExecX") && (strings.HasSuffix(recv, "Create") || strings.HasSuffix(recv, "CreateBulk")):
		// ent's generated builders: client.Refund.Create()...Save(ctx).
		if strings.Contains(chain(), "OnConflict") {
			return at(Upsert, "ent "+recv), strings.Contains(chain(), "DoNothing") || strings.Contains(chain(), "Ignore"), false
		}
		return at(Insert, "ent "+recv), false, false
	case (name == "Save" || name == "SaveX" || name == "Exec" || name == "ExecX") && strings.HasSuffix(recv, "UpdateOne") && addRE.MatchString(chain()) && entNumericAdd(info, call):
		return at(RelUpdate, "ent "+recv), false, false
	}
	return nil, false, false
}

// sqlEffect classifies a statement run by a call.
func sqlEffect(s string, call *ast.CallExpr) (*Effect, bool, bool) {
	table := ""
	if m := tableRE.FindStringSubmatch(sqltext.Normalize(s)); m != nil {
		table = strings.Trim(m[1], `"`)
	}
	at := func(k EffectKind, detail string) *Effect { return &Effect{Kind: k, Detail: detail, Pos: call.Pos()} }
	switch {
	case sqltext.IsInsert(s):
		if sqltext.Guarded(s) {
			marker := markerRE.MatchString(s) || hasWord(table, markerWords)
			return at(Upsert, "INSERT INTO "+table), marker, false
		}
		return at(Insert, "INSERT INTO "+table), false, false
	case strings.HasPrefix(strings.ToUpper(sqltext.Normalize(s)), "UPDATE"):
		if col, rel := sqltext.RelativeUpdate(s); rel && !sqltext.UpdateGuarded(s) {
			return at(RelUpdate, col), false, false
		}
		return at(Update, "UPDATE "+table), false, false
	case strings.HasPrefix(strings.ToUpper(sqltext.Normalize(s)), "DELETE"):
		return at(Delete, "DELETE FROM "+table), false, false
	case strings.HasPrefix(strings.ToUpper(sqltext.Normalize(s)), "BEGIN"):
		return nil, false, true
	}
	return nil, false, false
}

// targetText renders a request's URL argument: its constant value, or the
// expression's text, cut to a length a fact can carry.
// paramRequest returns an [HTTPParam] effect when call builds a request
// (net/http's or go-retryablehttp's NewRequest, NewRequestWithContext) whose
// method is a parameter of fn, the function holding the call.
func paramRequest(info *types.Info, call *ast.CallExpr, callee, fn *types.Func) *Effect {
	if callee == nil || fn == nil || callee.Pkg() == nil || recvName(callee) != "" {
		return nil
	}
	switch callee.Pkg().Path() {
	case "net/http", "github.com/hashicorp/go-retryablehttp":
	default:
		return nil
	}
	idx := 0
	switch callee.Name() {
	case "NewRequest":
	case "NewRequestWithContext":
		idx = 1
	default:
		return nil
	}
	if len(call.Args) <= idx {
		return nil
	}
	p := paramIndex(info, call.Args[idx], fn)
	if p < 0 {
		return nil
	}
	e := &Effect{Kind: HTTPParam, Detail: "param:" + strconv.Itoa(p), Pos: call.Pos()}
	if len(call.Args) > idx+1 {
		e.Target = targetText(info, call.Args[idx+1])
	}
	return e
}

// paramIndex returns the index of fn's parameter that e names, or -1.
func paramIndex(info *types.Info, e ast.Expr, fn *types.Func) int {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || fn == nil {
		return -1
	}
	v, ok := info.Uses[id].(*types.Var)
	if !ok {
		return -1
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return -1
	}
	for i := range sig.Params().Len() {
		if sig.Params().At(i) == v {
			return i
		}
	}
	return -1
}

// argTexts records a call's arguments for [paramMethod]: a constant
// string's value, "param:N" for the caller's own parameter N, else "".
func argTexts(info *types.Info, call *ast.CallExpr, fn *types.Func) []string {
	out := make([]string, len(call.Args))
	some := false
	for i, a := range call.Args {
		if tv, ok := info.Types[a]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
			out[i], some = constant.StringVal(tv.Value), true
		} else if p := paramIndex(info, a, fn); p >= 0 {
			out[i], some = "param:"+strconv.Itoa(p), true
		}
	}
	if !some {
		return nil
	}
	return out
}

// paramMethod resolves an HTTPParam effect's detail ("param:N") at a call
// with args: the caller's parameter it passes on, or the constant method
// when it is POST or PATCH; "" drops the effect.
func paramMethod(detail string, args []string) string {
	n, ok := strings.CutPrefix(detail, "param:")
	if !ok {
		return detail // already resolved
	}
	i, err := strconv.Atoi(n)
	if err != nil || i >= len(args) {
		return ""
	}
	a := args[i]
	if strings.HasPrefix(a, "param:") {
		return a
	}
	switch m := strings.ToUpper(a); m {
	case "POST", "PATCH":
		return m
	}
	return ""
}

func targetText(info *types.Info, e ast.Expr) string {
	s := types.ExprString(e)
	if tv, ok := info.Types[e]; ok && tv.Value != nil && tv.Value.Kind() == constant.String {
		s = constant.StringVal(tv.Value)
	}
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}

// counterArg reports whether a gorm.Expr text shifts a version, sequence or
// position column ("position + 1"), which is not a tally.
func counterArg(text string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if sqltext.CounterColumn(w) {
			return true
		}
	}
	return false
}

// dedupeIdent reports whether an identifier names a dedupe guard.
func dedupeIdent(name string) bool {
	// One pass over the name, trying the words only where one may start:
	// this runs on every identifier of the module.
	for i := 0; i < len(name); i++ {
		switch name[i] | 0x20 {
		case 'a', 'd', 'i', 'm', 'u': // the first letters of dedupeWords (TestDedupeWordsFirstLetters)
			for _, w := range dedupeWords {
				if name[i]|0x20 == w[0] && len(name)-i >= len(w) && strings.EqualFold(name[i:i+len(w)], w) {
					return true
				}
			}
		}
	}
	return false
}

// containsFold reports whether s contains the lower-case ASCII word w in any
// case, without allocating: it runs on every identifier of the module.
func containsFold(s, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if s[i]|0x20 == w[0] && strings.EqualFold(s[i:i+len(w)], w) {
			return true
		}
	}
	return false
}

func hasWord(s string, words []string) bool {
	l := strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func hasPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// mutating reports whether a payment SDK call changes something (refund.New,
// CreatePayment, Capture) rather than reading or constructing a client
// (NewClient, Get).
func mutating(name string) bool {
	return name == "New" || hasPrefix(name, "Create", "Capture", "Refund", "Charge", "Confirm", "Cancel", "Update", "Post", "Authorize")
}

// recvName is the name of a method's receiver type, without pointer.
func recvName(fn *types.Func) string {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Recv() == nil {
		return ""
	}
	t := sig.Recv().Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return ""
}

// chainText renders the names and literals of a call and the selector chain
// it hangs off (db.Clauses(clause.OnConflict{...}).Create), each after a
// space, so that builder options are seen.
func chainText(call *ast.CallExpr) string {
	var b strings.Builder
	ast.Inspect(call, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			b.WriteString(" " + x.Name)
		case *ast.BasicLit:
			b.WriteString(" " + x.Value)
		}
		return true
	})
	return b.String()
}

// xormIncr returns the column an xorm builder chain adds to or takes from
// (Incr("num_watches"), Decr("stock", n)), unless it is a version, sequence
// or position counter.
func xormIncr(call *ast.CallExpr) (string, bool) {
	col, found := "", false
	ast.Inspect(call, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Incr" && sel.Sel.Name != "Decr") || len(c.Args) == 0 {
			return true
		}
		if bl, ok := ast.Unparen(c.Args[0]).(*ast.BasicLit); ok && bl.Kind == token.STRING {
			col = strings.Trim(bl.Value, "\"`")
		}
		found = col != "" && !sqltext.CounterColumn(col)
		return !found
	})
	return col, found
}

// argsText renders the call's arguments' literal text, enough to see the
// operator inside gorm.Expr("stock - ?").
func argsText(call *ast.CallExpr) string {
	var b strings.Builder
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if bl, ok := n.(*ast.BasicLit); ok {
				b.WriteString(bl.Value)
			}
			return true
		})
	}
	return b.String()
}

// txHelper reports whether call hands a function to a helper that runs it
// in a transaction: the helper's name or its package's says so
// (transaction.Run(ctx, db, fn), store.WithTx(ctx, fn), db.InTransaction(fn))
// and one of its arguments is a function.
func txHelper(info *types.Info, pkg, name string, call *ast.CallExpr) bool {
	// Cheap tests first: this runs on every call of the module.
	if !slices.ContainsFunc(call.Args, func(a ast.Expr) bool { return funcTyped(info, a) }) {
		return false
	}
	words := code.IdentWords(name)
	if i := strings.LastIndexByte(pkg, '/'); i >= 0 {
		words = append(words, code.IdentWords(pkg[i+1:])...)
	} else if pkg != "" {
		words = append(words, code.IdentWords(pkg)...)
	}
	return slices.ContainsFunc(words, func(w string) bool {
		switch w {
		case "transaction", "transactional", "tx", "txn":
			return true
		}
		return false
	})
}

// funcTyped reports whether a is a function literal or another value of
// function type.
func funcTyped(info *types.Info, a ast.Expr) bool {
	if _, ok := ast.Unparen(a).(*ast.FuncLit); ok {
		return true
	}
	if t := info.TypeOf(a); t != nil {
		_, ok := t.Underlying().(*types.Signature)
		return ok
	}
	return false
}
