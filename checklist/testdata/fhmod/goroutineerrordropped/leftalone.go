package goroutineerrordropped

import (
	"context"
	"io"
	"net"
	"net/http"
	"text/template"
	"time"

	"golang.org/x/sync/errgroup"
)

// The cases below drop an error in a goroutine but are not reported: on
// real code most such errors were shutdowns, best-effort sends, setters or
// failures their callee had already reported, so the check leaves them
// alone (see its rationale). They keep the narrowing honest: if the check
// widens again, these fail.

// Syncer copies data in the background.
type Syncer struct{ every time.Duration }

func (s *Syncer) sync(ctx context.Context) error { return ctx.Err() }

func (s *Syncer) process(ctx context.Context, id int) error { return ctx.Err() }

// Start drops a sync error inside a closure.
func (s *Syncer) Start(ctx context.Context) {
	go func() {
		s.sync(ctx)
	}()
}

// Kick starts a method value that is no server.
func (s *Syncer) Kick(ctx context.Context) {
	run := s.sync
	go run(ctx)
}

// RefreshQuietly drops what an errgroup's Wait hands back.
func (s *Syncer) RefreshQuietly(ctx context.Context, ids []int) {
	go func() {
		g, gctx := errgroup.WithContext(ctx)
		for _, id := range ids {
			g.Go(func() error { return s.process(gctx, id) })
		}
		if err := g.Wait(); err != nil {
			return
		}
	}()
}

// service is supervised: its supervisor calls Serve and reads the error.
type service struct{}

// Serve runs until ctx ends.
func (service) Serve(ctx context.Context) error {
	<-ctx.Done()
	return ctx.Err()
}

// Supervised starts a service that runs until cancelled.
func Supervised(ctx context.Context, svc service) {
	go svc.Serve(ctx)
}

// connServer serves one connection per call.
type connServer struct{}

// Serve handles conn until it closes.
func (connServer) Serve(conn net.Conn) error { return conn.Close() }

// PerConn serves each connection on its own; one failed connection is not
// the process's failure.
func PerConn(h connServer, ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		go h.Serve(conn)
	}
}

// Render executes a template, which is no command.
func Render(t *template.Template, w io.Writer, data any) {
	go t.Execute(w, data)
}

// Listening binds its port and handles that error; Serve on the bound
// listener can then end only at shutdown or on a lasting accept failure.
func Listening(srv *http.Server, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	go func() { srv.Serve(ln) }()
	return nil
}

// Warm drops an error in a goroutine the same way a request handler might,
// but no handler reaches it: it runs at start-up, where the rule for request
// paths does not apply.
func (s *Syncer) Warm(ctx context.Context) {
	go func() {
		s.sync(ctx)
	}()
	go s.sync(ctx)
}
