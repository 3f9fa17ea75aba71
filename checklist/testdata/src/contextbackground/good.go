package contextbackground

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"time"
)

// Serve shuts the server down with a fresh, bounded context once ctx is done.
func Serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// Audit writes an audit row that must outlive the request.
func (s *Store) Audit(w http.ResponseWriter, r *http.Request) {
	user := r.FormValue("user")
	go func() {
		actx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := s.db.ExecContext(actx, "INSERT INTO audit(user_id) VALUES ($1)", user); err != nil {
			slog.Error("audit", "err", err)
		}
	}()
	w.WriteHeader(http.StatusAccepted)
}

// Tx is the part of a pgx-style transaction Move needs.
type Tx interface {
	Exec(ctx context.Context, sql string, args ...any) error
	Rollback(ctx context.Context) error
	Commit(ctx context.Context) error
}

// Move rolls back with a fresh context: ctx may already be cancelled.
func Move(ctx context.Context, tx Tx, from, to string) error {
	if err := tx.Exec(ctx, "UPDATE items SET bin = $1 WHERE bin = $2", to, from); err != nil {
		_ = tx.Rollback(context.Background())
		return err
	}
	return tx.Commit(ctx)
}

// Default fills in a nil context.
func Default(ctx context.Context, db *sql.DB) error {
	if ctx == nil {
		ctx = context.Background()
	}
	return db.PingContext(ctx)
}

// Detach keeps the values but not the cancellation.
func (s *Store) Detach(ctx context.Context, id string) error {
	bg := context.WithoutCancel(ctx)
	_, err := s.db.ExecContext(bg, "UPDATE jobs SET state = 'queued' WHERE id = $1", id)
	return err
}

// Main has no context of its own to pass.
func Main(db *sql.DB) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return db.PingContext(ctx)
}

// Drain flushes after the loop saw ctx end.
func Drain(ctx context.Context, flush func(context.Context) error, in <-chan []byte) error {
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := flush(fctx)
			cancel()
			return errors.Join(ctx.Err(), err)
		case b := <-in:
			_ = b
		}
	}
}

// Checkout returns a cleanup func that runs after the caller is done with ctx.
func (s *Store) Checkout(ctx context.Context, dir string) (func(), error) {
	if _, err := s.db.ExecContext(ctx, "INSERT INTO leases(dir) VALUES ($1)", dir); err != nil {
		return nil, err
	}
	return func() {
		_, _ = s.db.ExecContext(context.Background(), "DELETE FROM leases WHERE dir = $1", dir)
	}, nil
}

// Watch releases a lease once ctx ends.
func (s *Store) Watch(ctx context.Context, id string) func() bool {
	return context.AfterFunc(ctx, func() {
		_, _ = s.db.ExecContext(context.Background(), "UPDATE leases SET held = false WHERE id = $1", id)
	})
}

// Logger takes a context for its attributes only.
type Logger interface {
	Printf(ctx context.Context, format string, args ...any)
}

// Chooser picks the context by configuration and logs with a fresh one.
func Chooser(ctx context.Context, log Logger, honour bool) context.Context {
	log.Printf(context.TODO(), "choosing context")
	if honour {
		return ctx
	}
	return context.Background()
}

// An admin endpoint that stops the process: the shutdown must run to the end
// even though the request that asked for it is answered and gone.
func (s *Store) Stop(w http.ResponseWriter, r *http.Request, exitProcess func(context.Context) error) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	if err := exitProcess(context.Background()); err != nil {
		http.Error(w, "shutdown failed", http.StatusInternalServerError)
	}
}

// FetchAll runs every batch even when ctx is cancelled, because the reader
// below expects one result per batch; each batch still checks ctx itself.
func FetchAll(ctx context.Context, batches int, run func(context.Context, int) error, results chan<- error) {
	// A background context here on purpose: every batch must report, even
	// after ctx is cancelled, or the reader waits forever.
	forEach(context.Background(), batches, func(i int) {
		results <- run(ctx, i)
	})
}

func forEach(ctx context.Context, n int, f func(int)) {
	for i := 0; i < n && ctx.Err() == nil; i++ {
		f(i)
	}
}

// Subscriber stops its error handler when its group closes, not when the
// subscribe call's ctx ends.
type Subscriber struct{ closed chan struct{} }

// Start runs the handler under a context it cancels by hand.
func (s *Subscriber) Start(ctx context.Context, errs <-chan error) <-chan struct{} {
	hctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-hctx.Done():
				return
			case err := <-errs:
				slog.ErrorContext(ctx, "group error", "err", err)
			}
		}
	}()
	go func() {
		<-s.closed
		stop()
	}()
	return done
}

// Span is a trace span.
type Span struct{ ID string }

type spanKey struct{}

// SpanFromContext returns the span ctx carries.
func SpanFromContext(ctx context.Context) *Span {
	s, _ := ctx.Value(spanKey{}).(*Span)
	return s
}

// ContextWithSpan returns ctx carrying s.
func ContextWithSpan(ctx context.Context, s *Span) context.Context {
	return context.WithValue(ctx, spanKey{}, s)
}

// Shadow compares a second implementation after the answer went out: it
// keeps the caller's trace but not its cancellation, and bounds itself.
func (s *Store) Shadow(ctx context.Context, id int64) {
	sctx, cancel := context.WithTimeout(ContextWithSpan(context.Background(), SpanFromContext(ctx)), 2*time.Second)
	defer cancel()
	_, _ = s.db.ExecContext(sctx, "SELECT shadow_check($1)", id)
}

// JobMeta names a job and carries a context as a plain field, not embedded:
// it is a record, not the job's context, so a function given one has no
// ctx at hand and a fresh context is its only choice.
type JobMeta struct {
	Saved context.Context
	ID    string
}

// Replay re-runs a recorded job with a fresh context.
func (s *Store) Replay(m JobMeta) error {
	_, err := s.db.ExecContext(context.Background(), "UPDATE jobs SET replays = replays + 1 WHERE id = $1", m.ID)
	return err
}

// Lock returns a release func, named first and returned after: the caller
// runs it later, when ctx may be done.
func (s *Store) Lock(ctx context.Context, id int64) (func() error, error) {
	if _, err := s.db.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		return nil, err
	}
	release := func() error {
		_, err := s.db.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", id)
		return err
	}
	return release, nil
}
