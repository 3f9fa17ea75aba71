package httpnotimeout

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"time"
)

// A client built with a timeout.
func goodClient(rt http.RoundTripper) *http.Client {
	return &http.Client{Transport: rt, Timeout: 15 * time.Second}
}

// A client whose timeout is set right after it is built.
func configured(d time.Duration) *http.Client {
	c := &http.Client{}
	c.Timeout = d
	return c
}

// Requests go through a client that has one.
type service struct {
	client *http.Client
}

func (s *service) status(ctx context.Context, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return 0, fmt.Errorf("build request: %w", err)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("head %s: %w", u, err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// A server-side handler: http.Get here is a method of our own type.
type getter struct{}

func (getter) Get(u string) string { return u }

func useGetter(g getter) string { return g.Get("x") }

// A variable named like the package does not confuse the check.
func shadowed() string {
	http := getter{}
	return http.Get("y")
}

// refusing answers every request with the error it was built with, without
// a peer: a placeholder client for a target whose real client failed to
// build, so its requests fail fast instead of going elsewhere.
type refusing struct{ cause error }

func (r refusing) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, fmt.Errorf("no client for this target: %w", r.cause)
}

// FailingClient has no Timeout because its transport never dials.
func FailingClient(cause error) *http.Client {
	return &http.Client{Transport: refusing{cause: cause}}
}

// Options stands in for a client library configured with functional options
// (the Docker SDK's client.WithHTTPClient and client.WithTimeout).
type Option func(*settings)

type settings struct {
	hc      *http.Client
	timeout time.Duration
}

func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.hc = hc } }
func WithTimeout(d time.Duration) Option    { return func(s *settings) { s.timeout = d } }

// The library sets the deadline on the client it is handed.
func libraryOptions(rt http.RoundTripper, every time.Duration) []Option {
	return []Option{
		WithHTTPClient(&http.Client{Transport: rt}),
		WithTimeout(every),
	}
}

// Falling back to the default client when the caller supplied none is the
// caller's choice, as it is for net/http's own nil client.
type caller struct{ hc *http.Client }

func (c *caller) do(ctx context.Context, req *http.Request) (*http.Response, error) {
	hc := c.hc
	if hc == nil {
		hc = http.DefaultClient
	}
	return hc.Do(req.WithContext(ctx))
}

// The default client is chosen only when no timeout was configured.
func clientFor(rt http.RoundTripper, timeout time.Duration) *http.Client {
	var hc *http.Client
	if rt != http.DefaultTransport || timeout > 0 {
		hc = &http.Client{Transport: rt, Timeout: timeout}
	} else {
		hc = http.DefaultClient
	}
	return hc
}

// A watch is a long-lived response: a client Timeout would cut it off, so it
// is bounded by its context instead.
func WatchEvents(ctx context.Context, rt http.RoundTripper, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("build watch request: %w", err)
	}
	hc := &http.Client{Transport: rt}
	return hc.Do(req)
}

// A connection upgraded to a multiplexed stream protocol.
func dialStream(ctx context.Context, rt http.RoundTripper, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return fmt.Errorf("build upgrade request: %w", err)
	}
	hc := http.Client{Transport: rt}
	return negotiateUpgrade(&hc, req)
}

func negotiateUpgrade(hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("upgrade: %w", err)
	}
	return resp.Body.Close()
}

// The request carries a deadline: the context bounds the call, which is the
// fix the check offers.
func statusWithin(base string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/status", http.NoBody)
	if err != nil {
		return 0, fmt.Errorf("build status request: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, fmt.Errorf("status: %w", err)
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// The deadline is attached on the way out.
func pingWithin(ctx context.Context, req *http.Request, d time.Duration) error {
	tctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(tctx))
	if err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return resp.Body.Close()
}

// newTransport bounds each phase of an exchange: dialing, the TLS
// handshake and the wait for response headers.
func newTransport() (*http.Transport, error) {
	return &http.Transport{
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: time.Minute,
		IdleConnTimeout:       90 * time.Second,
	}, nil
}

// An object-store client streams large bodies: a whole-exchange Timeout
// would cut off a slow but healthy download, so the transport bounds a
// silent peer instead.
func objectStoreClient() (*http.Client, error) {
	transport, err := newTransport()
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: transport}, nil
}

// The same, with the transport built inline.
var downloads = &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 30 * time.Second}}

// authClient copies DefaultClient and gives the copy a transport that bounds
// the wait for response headers; DefaultClient itself is not changed.
func authClient(cfg *tls.Config, seconds int64) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = time.Duration(seconds) * time.Second
	tr.TLSClientConfig = cfg
	c := *http.DefaultClient
	c.Transport = tr
	return &c
}

// boundedCopy copies DefaultClient and sets the copy's Timeout.
func boundedCopy() *http.Client {
	c := *http.DefaultClient
	c.Timeout = 10 * time.Second
	return &c
}

// ACMEClient lets its caller supply a client; every request it sends
// carries the caller's ctx.
type ACMEClient struct {
	HTTPClient *http.Client
}

// httpClient falls back to DefaultClient when the caller set none.
func (c *ACMEClient) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

// SearchClient takes its HTTP client from an option.
type SearchClient struct{ c *http.Client }

// SetHTTPClient installs hc, or DefaultClient when the caller passes nil.
func SetHTTPClient(hc *http.Client) func(*SearchClient) {
	return func(s *SearchClient) {
		if hc != nil {
			s.c = hc
		} else {
			s.c = http.DefaultClient
		}
	}
}

// APIConfig lets the caller pass a client.
type APIConfig struct{ Client *http.Client }

// client builds a default only when the caller passed none.
func (cfg *APIConfig) client() *http.Client {
	if cfg.Client == nil {
		return &http.Client{Transport: http.DefaultTransport}
	}
	return cfg.Client
}

// NewAPI fills in a client when the caller passed nil.
func NewAPI(hc *http.Client) *APIConfig {
	if hc == nil {
		hc = &http.Client{}
	}
	return &APIConfig{Client: hc}
}

// fetchQuote sends on the default client with the ctx it is given; every
// caller in the package passes one with a deadline, which is the timeout.
func fetchQuote(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req)
}

// QuoteNow calls fetchQuote with a deadline.
func QuoteNow(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	resp, err := fetchQuote(ctx, u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// QuoteBy calls fetchQuote with a deadline of its caller's choosing.
func QuoteBy(parent context.Context, at time.Time, u string) error {
	ctx, cancel := context.WithDeadline(parent, at)
	defer cancel()
	resp, err := fetchQuote(ctx, u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// dockerClient talks to the local Docker daemon over its Unix socket, whose
// events endpoint long-polls: a Timeout would cut the poll.
func dockerClient(sock string) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", sock)
		},
	}}
}

// Probe builds a one-off client and bounds its only request with a deadline.
func Probe(parent context.Context, u string) (int, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second)
	defer cancel()
	hc := &http.Client{}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// executors takes DefaultClient into a variable and sets its Timeout
// before sending: the calls have a timeout.
func executors(u string) (*http.Response, error) {
	client := http.DefaultClient
	client.Timeout = 30 * time.Second
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}
