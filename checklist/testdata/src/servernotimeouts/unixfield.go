package servernotimeouts

import (
	"net"
	"net/http"
)

// A control socket: the constructor opens the listener and builds the
// server into fields, and Start serves one on the other.
type controlSocket struct {
	ln  net.Listener
	srv *http.Server
}

// at most info: the server field is served only on the Unix-socket field.
func newControlSocket(path string, h http.Handler) (*controlSocket, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	return &controlSocket{ln: ln, srv: &http.Server{Handler: h}}, nil // want `info only: it serves a Unix socket`
}

func (s *controlSocket) Start() { go func() { _ = s.srv.Serve(s.ln) }() }

// agentSocket holds a Unix listener opened by a method and served by a
// server built where it is served.
type agentSocket struct{ listener *net.UnixListener }

func (a *agentSocket) open(path string) error {
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	a.listener = ln
	return err
}

// at most info: a local server served on a field that only holds a Unix listener.
func (a *agentSocket) serve(h http.Handler) error {
	srv := &http.Server{Handler: h} // want `info only: it serves a Unix socket`
	return srv.Serve(a.listener)
}

// apiListener's listener field is set from a configured network: TCP when
// the configuration says so.
type apiListener struct {
	ln  net.Listener
	srv *http.Server
}

// The listener field is also set from a configured network: public.
func newAPIListener(network, addr string, h http.Handler) (*apiListener, error) {
	ln, err := net.Listen(network, addr)
	if err != nil {
		return nil, err
	}
	return &apiListener{ln: ln, srv: &http.Server{Handler: h}}, nil // want `http.Server without ReadHeaderTimeout`
}

func (s *apiListener) Start() { go func() { _ = s.srv.Serve(s.ln) }() }

// dualSocket serves the same server on a Unix socket and on a TCP port.
type dualSocket struct {
	ln  net.Listener
	srv *http.Server
}

// The server field is served on the Unix socket and with ListenAndServe: public.
func newDualSocket(path string, h http.Handler) (*dualSocket, error) {
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, err
	}
	d := &dualSocket{ln: ln}
	d.srv = &http.Server{Addr: ":8080", Handler: h} // want `http.Server without ReadHeaderTimeout`
	return d, nil
}

func (d *dualSocket) Start() {
	go func() { _ = d.srv.Serve(d.ln) }()
	go func() { _ = d.srv.ListenAndServe() }()
}

// serveEither listens on a Unix socket or on TCP as configured: the same
// server may face the network, so it stays posted.
func serveEither(socket, addr string, h http.Handler) error {
	var ln net.Listener
	var err error
	if socket != "" {
		ln, err = net.Listen("unix", socket)
	} else {
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout: a client that sends headers slowly \(Slowloris\) holds a connection and a goroutine as long as it likes, and a few thousand exhaust the server; set ReadHeaderTimeout \(and IdleTimeout\)$`
	return srv.Serve(ln)
}

// mobileAPI opens a loopback TCP listener for the app on the same device
// and serves it from another method.
type mobileAPI struct{ listener net.Listener }

func (m *mobileAPI) open() (err error) {
	m.listener, err = net.Listen("tcp", "localhost:65432")
	return err
}

// at most info: served only on the loopback listener the field holds.
func (m *mobileAPI) serve(h http.Handler) error {
	return http.Serve(m.listener, h) // want `info only: it serves a Unix socket or the loopback interface`
}

// publicAPI opens its listener on every interface: still posted.
type publicAPI struct{ listener net.Listener }

func (p *publicAPI) open() (err error) {
	p.listener, err = net.Listen("tcp", ":8443")
	return err
}

func (p *publicAPI) serve(h http.Handler) error {
	return http.Serve(p.listener, h) // want `http.Serve serves with no timeouts at all`
}

// daemonListener opens the daemon's Unix socket.
func daemonListener(path string) (net.Listener, error) {
	return net.Listen("unix", path)
}

// daemon serves a server held in a field on the listener a helper opens.
type daemon struct{ srv *http.Server }

// at most info: the server field is served only on the helper's Unix socket.
func (d *daemon) configure(h http.Handler) {
	d.srv = &http.Server{Handler: h} // want `info only: it serves a Unix socket`
}

func (d *daemon) serve(path string) error {
	l, err := daemonListener(path)
	if err != nil {
		return err
	}
	return d.srv.Serve(l)
}

// publicListener opens a TCP listener on a configured address.
func publicListener(addr string) (net.Listener, error) {
	return net.Listen("tcp", addr)
}

// gateway serves a server held in a field on a TCP listener a helper opens:
// the finding keeps its severity.
type gateway struct{ srv *http.Server }

func (g *gateway) configure(h http.Handler) {
	g.srv = &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout`
}

func (g *gateway) serve(addr string) error {
	l, err := publicListener(addr)
	if err != nil {
		return err
	}
	return g.srv.Serve(l)
}

// at most info: the server is handed with a Unix listener to a helper that
// serves one on the other.
func startOnSocket(path string, h http.Handler) error {
	if path != "" {
		var listener net.Listener
		addr, err := net.ResolveUnixAddr("unix", path)
		if err != nil {
			return err
		} else if listener, err = net.ListenUnix("unix", addr); err != nil {
			return err
		}
		server := &http.Server{Addr: path, Handler: h} // want `info only: it serves a Unix socket`
		go serveOn(server, listener)
	}
	return nil
}

func serveOn(s *http.Server, l net.Listener) { _ = s.Serve(l) }

// The helper is handed a TCP listener: posted.
func startOnPort(addr string, h http.Handler) error {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	server := &http.Server{Addr: addr, Handler: h} // want `http.Server without ReadHeaderTimeout`
	go serveOn(server, listener)
	return nil
}

// One server variable and two listeners of one name: the Unix branch's
// server is info, the TCP branch's is posted.
func startEither(socket, addr string, h http.Handler) error {
	var server *http.Server
	if socket != "" {
		var listener net.Listener
		ua, err := net.ResolveUnixAddr("unix", socket)
		if err != nil {
			return err
		} else if listener, err = net.ListenUnix("unix", ua); err != nil {
			return err
		} else {
			server = &http.Server{Handler: h} // want `info only: it serves a Unix socket`
			go serveOn(server, listener)
		}
	} else if listener, err := net.Listen("tcp", addr); err == nil {
		server = &http.Server{Handler: h} // want `http.Server without ReadHeaderTimeout`
		go serveOn(server, listener)
	}
	_ = server
	return nil
}
