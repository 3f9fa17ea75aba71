package goroutineerrordropped

import (
	"context"
	"crypto/sha256"
	"errors"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// Group runs work through errgroup.
func (s *Syncer) Group(ctx context.Context, ids []int) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for _, id := range ids {
		g.Go(func() error { return s.process(ctx, id) })
	}
	return g.Wait()
}

// Channel sends the error to a reader.
func (s *Syncer) Channel(ctx context.Context) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- s.sync(ctx) }()
	return errc
}

// Logged logs what it cannot return.
func Logged(srv *http.Server) {
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("server stopped", "addr", srv.Addr, "err", err)
		}
	}()
}

// Closer closes a listener when ctx ends: cleanup has no one to tell.
func Closer(ctx context.Context, ln net.Listener) {
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
}

// Stored keeps the first error for Wait.
type Stored struct {
	mu  sync.Mutex
	err error
	wg  sync.WaitGroup
}

// Run stores the error under a lock.
func (st *Stored) Run(ctx context.Context, s *Syncer) {
	st.wg.Add(1)
	go func() {
		defer st.wg.Done()
		if err := s.sync(ctx); err != nil {
			st.mu.Lock()
			st.err = errors.Join(st.err, err)
			st.mu.Unlock()
		}
	}()
}

// NoError starts something that cannot fail.
func NoError(ch chan<- int) {
	go func() {
		for i := range 3 {
			ch <- i
		}
		close(ch)
	}()
}

// Each function of the group logs its own failure, so the goroutine that
// waits for them has nothing left to tell.
func (s *Syncer) Refresh(ctx context.Context, ids []int, log *slog.Logger) {
	go func() {
		g, gctx := errgroup.WithContext(ctx)
		for _, id := range ids {
			g.Go(func() error {
				err := s.process(gctx, id)
				if err != nil {
					log.Error("refresh failed", "id", id, "err", err)
				}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return
		}
		log.Info("refreshed", "count", len(ids))
	}()
}

// Verify checks a stream in the background; the caller reads verified after
// Wait, so every early return is reported by leaving it false.
func (s *Syncer) Verify(ctx context.Context, ids []int) bool {
	var wg sync.WaitGroup
	var verified bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, id := range ids {
			if err := s.process(ctx, id); err != nil {
				return
			}
		}
		verified = true
	}()
	wg.Wait()
	return verified
}

// rangeOpts validates what it is given.
type rangeOpts struct{ start, end int64 }

func (o *rangeOpts) SetRange(start, end int64) error {
	if end < start {
		return errors.New("bad range")
	}
	o.start, o.end = start, end
	return nil
}

// Fetch fills its options and checksums in the background; neither a
// setter's validation nor a hash write is a failure of the work.
func (s *Syncer) Fetch(ctx context.Context, buf []byte, done chan<- []byte) {
	go func() {
		var opts rangeOpts
		opts.SetRange(0, int64(len(buf))-1)
		h := sha256.New()
		h.Write(buf)
		done <- h.Sum(nil)
	}()
}

// ErrChan hands the serve loop's error to whoever started it.
func ErrChan(srv *http.Server, ln net.Listener) <-chan error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	return errc
}

// Fatal ends the process when the server stops.
func Fatal(srv *http.Server) {
	go func() {
		log.Fatal(srv.ListenAndServe())
	}()
}

// Servers run in an errgroup, whose Wait the caller returns.
func Servers(ctx context.Context, public, admin *http.Server) error {
	g, ctx := errgroup.WithContext(ctx)
	g.Go(public.ListenAndServe)
	g.Go(admin.ListenAndServe)
	g.Go(func() error {
		<-ctx.Done()
		return errors.Join(public.Shutdown(context.Background()), admin.Shutdown(context.Background()))
	})
	return g.Wait()
}

// Commands logs a sub-command's failure.
func Commands(cmd *cobra.Command, args []string, log *slog.Logger) {
	go func() {
		if err := cmd.RunE(cmd, args); err != nil {
			log.Error("command failed", "cmd", cmd.Use, "err", err)
		}
	}()
}

// Stop shuts a server down in the background; its error has no one to tell.
func Stop(ctx context.Context, srv *http.Server) {
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
}

// Mailer sends mail.
type Mailer struct{}

// Send mails one message.
func (Mailer) Send(ctx context.Context, to string) error { return ctx.Err() }

// Signup answers at once and mails in the background, logging the mail's
// failure: the error is kept, so a goroutine on a request path is fine.
func Signup(m Mailer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		to := r.FormValue("email")
		go func() {
			if err := m.Send(context.WithoutCancel(r.Context()), to); err != nil {
				slog.Error("welcome mail", "to", to, "err", err)
			}
		}()
		w.WriteHeader(http.StatusCreated)
	}
}
