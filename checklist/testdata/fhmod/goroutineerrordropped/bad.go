// Package goroutineerrordropped holds goroutines that lose the error of a
// server or command they run, and goroutines that report it.
package goroutineerrordropped

import (
	"context"
	"net"
	"net/http"
	nethttp "net/http"

	"github.com/spf13/cobra"
)

// Metrics starts a server whose bind error vanishes.
func Metrics(srv *http.Server) {
	go srv.ListenAndServe() // want `this go statement drops the error srv.ListenAndServe returns: nothing waits for the goroutine, so if the server stops`
}

// Pprof serves the default mux through an aliased import.
func Pprof(addr string) {
	go nethttp.ListenAndServe(addr, nil) // want `this go statement drops the error nethttp.ListenAndServe returns`
}

// TLS starts the server through a method expression.
func TLS(srv *http.Server, cert, key string) {
	go (*http.Server).ListenAndServeTLS(srv, cert, key) // want `drops the error \(\*http.Server\).ListenAndServeTLS returns`
}

// Bound starts the server through a method value.
func Bound(srv *http.Server) {
	serve := srv.ListenAndServe
	go serve() // want `this go statement drops the error serve returns`
}

// gateway is a server of its own that binds its address, as RPC gateways do.
type gateway struct{ addr string }

// ListenAndServe binds the gateway's address and serves it.
func (g *gateway) ListenAndServe() error {
	ln, err := net.Listen("tcp", g.addr)
	if err != nil {
		return err
	}
	return ln.Close()
}

// API wraps a gateway in a field.
type API struct{ gw *gateway }

// Start serves inside a closure that only tidies up after itself.
func (a *API) Start(done chan<- struct{}) {
	go func() {
		defer close(done)
		a.gw.ListenAndServe() // want `this goroutine drops the error of a.gw.ListenAndServe: nothing waits for it, so if the server stops`
	}()
}

// Quiet returns on the error without telling anyone.
func Quiet(srv *http.Server, cert, key string) {
	go func() {
		if err := srv.ListenAndServeTLS(cert, key); err != nil { // want `this goroutine returns on err from srv.ListenAndServeTLS without reporting it`
			return
		}
	}()
}

// Split assigns the error first and tests it on the next line.
func Split(g *gateway) {
	go func() {
		err := g.ListenAndServe()
		if err != nil { // want `this goroutine returns on err from g.ListenAndServe without reporting it`
			return
		}
	}()
}

// All runs several sub-commands in one process, as demo programs do.
func All(api, worker *cobra.Command, args []string) {
	go api.RunE(api, args) // want `this go statement drops the error api.RunE returns: nothing waits for the goroutine, so if the command stops`
	go worker.Execute()    // want `this go statement drops the error worker.Execute returns`
}

// Receipts sends order receipts.
type Receipts struct{}

// Send mails one receipt.
func (Receipts) Send(ctx context.Context, orderID string) error { return ctx.Err() }

// Orders answers checkout requests.
type Orders struct{ receipts Receipts }

// Checkout answers at once and mails the receipt in the background; the
// mail's failure is dropped twice over.
func (o *Orders) Checkout(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("order")
	go o.receipts.Send(context.WithoutCancel(r.Context()), id) // want `this goroutine, started by request handler \(\*Orders\).Checkout, drops the error o.receipts.Send returns`
	go func() {
		o.receipts.Send(context.WithoutCancel(r.Context()), id) // want `this goroutine, started by request handler \(\*Orders\).Checkout, drops the error of o.receipts.Send`
	}()
	w.WriteHeader(http.StatusAccepted)
}
