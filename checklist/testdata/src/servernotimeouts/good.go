package servernotimeouts

import (
	"context"
	"net/http"
	"time"
)

func goodServer(h http.Handler) *http.Server {
	return &http.Server{
		Addr:              ":8080",
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}

// ReadTimeout covers the headers too.
func readTimeout(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadTimeout: 10 * time.Second}
}

// Set right after it is built.
func configured(h http.Handler) *http.Server {
	srv := &http.Server{Handler: h}
	srv.ReadHeaderTimeout = 5 * time.Second
	return srv
}

// The method of a configured server, with graceful shutdown.
func run(ctx context.Context, h http.Handler) error {
	srv := goodServer(h)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	}
}

// StartOption customises the server before it starts.
type StartOption func(*http.Server)

// WithNetworkTimeout is the option a framework always passes first.
func WithNetworkTimeout(d time.Duration) StartOption {
	return func(s *http.Server) {
		s.ReadTimeout = d
		s.ReadHeaderTimeout = d
	}
}

// start applies its options to the server, which is where the timeouts are
// set.
func start(addr string, h http.Handler, opts ...StartOption) error {
	server := &http.Server{Addr: addr, Handler: h}
	for _, opt := range opts {
		opt(server)
	}
	return server.ListenAndServe()
}
