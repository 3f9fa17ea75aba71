// Package effects has one function per effect the model recognises.
package effects

import (
	"context"
	"database/sql"
	"net/http"
	"net/smtp"
	"os"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	stripe "github.com/stripe/stripe-go/v81"
	"github.com/stripe/stripe-go/v81/refund"
	"github.com/uptrace/bun"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"xorm.io/xorm"

	"example.com/kinds/ent"
)

type Row struct{ ID int }

func SQLInsert(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "INSERT INTO rows (id) VALUES (1)")
}

func SQLUpsert(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "INSERT INTO rows (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET n = 2")
}

func SQLRelUpdate(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "UPDATE rows SET n = n + 1")
}

func SQLUpdate(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "UPDATE rows SET n = 1")
}

func SQLDelete(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "DELETE FROM rows WHERE id = 1")
}

func GormInsert(db *gorm.DB) { db.Create(&Row{}) }

func GormUpsert(db *gorm.DB) { db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Row{}) }

func GormRelUpdate(db *gorm.DB) { db.Model(&Row{}).Update("n", gorm.Expr("n + ?", 1)) }

func BunInsert(ctx context.Context, db *bun.DB) { _, _ = db.NewInsert().Model(&Row{}).Exec(ctx) }

func BunUpsert(ctx context.Context, db *bun.DB) {
	_, _ = db.NewInsert().Model(&Row{}).On("CONFLICT (id) DO NOTHING").Exec(ctx)
}

func XormInsert(e *xorm.Engine) { _, _ = e.Insert(&Row{}) }

func EntInsert(ctx context.Context, c *ent.RefundCreate) { _, _ = c.SetAmount(1).Save(ctx) }

func NATSPublish(nc *nats.Conn) { _ = nc.Publish("s", nil) }

func RiverEnqueue(ctx context.Context, c *river.Client) { _ = c.Insert(ctx, Row{}) }

func OutboundPost(ctx context.Context) {
	_, _ = http.NewRequestWithContext(ctx, http.MethodPost, "https://example.com", nil)
}

func Payment() { _, _ = refund.New(&stripe.RefundParams{Charge: "ch"}) }

func PaymentRead() { _, _ = refund.Get("re") }

func Email() { _ = smtp.SendMail("127.0.0.1:25", nil, "a", nil, nil) }

func FileWrite() { _ = os.WriteFile("f", nil, 0o600) }

func Goroutine() { go func() {}() }

func Lock(mu *sync.Mutex) {
	mu.Lock()
	defer mu.Unlock()
}

func ChanClose(ch chan int) { close(ch) }

func Marker(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "INSERT INTO processed_events (id) VALUES (1) ON CONFLICT DO NOTHING")
}

func Tx(ctx context.Context, db *sql.DB) { _, _ = db.BeginTx(ctx, nil) }
