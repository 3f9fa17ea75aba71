// Package goroutineerrordropped holds goroutines that lose the error of a
// server or command they run, and goroutines that report it.
package goroutineerrordropped

import (
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
func Bound(srv *http.Server, ln net.Listener) {
	serve := srv.Serve
	go serve(ln) // want `this go statement drops the error serve returns`
}

// rpcServer is a server with its own accept loop, as gRPC's is.
type rpcServer struct{}

// Serve accepts connections on l until it fails.
func (*rpcServer) Serve(l net.Listener) error {
	_, err := l.Accept()
	return err
}

// API wraps an RPC server in a field.
type API struct{ rpc *rpcServer }

// Start serves inside a closure that only tidies up after itself.
func (a *API) Start(ln net.Listener) {
	go func() {
		defer ln.Close()
		a.rpc.Serve(ln) // want `this goroutine drops the error of a.rpc.Serve: nothing waits for it, so if the server stops`
	}()
}

// Quiet returns on the error without telling anyone.
func Quiet(srv *http.Server, ln net.Listener) {
	go func() {
		if err := srv.Serve(ln); err != nil { // want `this goroutine returns on err from srv.Serve without reporting it`
			return
		}
	}()
}

// muxer owns its listener, as cmux does.
type muxer struct{ ln net.Listener }

// Serve runs the multiplexer's accept loop.
func (m *muxer) Serve() error {
	_, err := m.ln.Accept()
	return err
}

// Split assigns the error first and tests it on the next line.
func Split(m *muxer) {
	go func() {
		err := m.Serve()
		if err != nil { // want `this goroutine returns on err from m.Serve without reporting it`
			return
		}
	}()
}

// All runs several sub-commands in one process, as demo programs do.
func All(api, worker *cobra.Command, args []string) {
	go api.RunE(api, args) // want `this go statement drops the error api.RunE returns: nothing waits for the goroutine, so if the command stops`
	go worker.Execute()    // want `this go statement drops the error worker.Execute returns`
}
