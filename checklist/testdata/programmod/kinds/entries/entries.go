// Package entries has one function per kind of entry point.
package entries

import (
	"context"
	"net/http"

	"github.com/nats-io/nats.go"
	"github.com/riverqueue/river"
	"github.com/spf13/cobra"
)

type OrderArgs struct{ ID string }

type Worker struct{}

// Work is a river worker: at least once.
func (w *Worker) Work(ctx context.Context, job *river.Job[OrderArgs]) error { return nil }

// Subscribe registers a NATS callback: at least once.
func Subscribe(nc *nats.Conn) { _, _ = nc.Subscribe("s", func(m *nats.Msg) {}) }

// HandleGitHubWebhook is a webhook by its name: at least once.
func HandleGitHubWebhook(w http.ResponseWriter, r *http.Request) {}

// List is an ordinary request handler: concurrent.
func List(w http.ResponseWriter, r *http.Request) {}

type UnimplementedOrdersServer struct{}

type Req struct{}
type Resp struct{}

type ordersServer struct{ UnimplementedOrdersServer }

// Get serves a gRPC method: concurrent.
func (s *ordersServer) Get(ctx context.Context, r *Req) (*Resp, error) { return nil, nil }

// Cmd is a CLI command: once.
var Cmd = &cobra.Command{Use: "migrate", RunE: func(cmd *cobra.Command, args []string) error { return nil }}

type Cron interface {
	AddFunc(spec string, f func()) error
}

// Schedule registers a cron job: at least once.
func Schedule(c Cron) { _ = c.AddFunc("@hourly", func() {}) }

// HandleInbox is an ActivityPub inbox: at least once.
func HandleInbox(w http.ResponseWriter, r *http.Request) {}
