package httpnotimeout

import (
	"context"
	"net"
	"net/http"
	nethttp "net/http"
	"net/url"
	"time"
)

// Plain literal.
// No request it sends without a context is in sight: at most info.
func newClient() *http.Client {
	return &http.Client{} // want `http.Client without Timeout`
}

// Import alias and a value literal with other fields set.
// No request it sends without a context is in sight: at most info.
func transportOnly(rt http.RoundTripper) nethttp.Client {
	return nethttp.Client{Transport: rt} // want `http.Client without Timeout`
}

// Type alias.
type webClient = http.Client

// No request it sends without a context is in sight: at most info.
func viaAlias() *webClient {
	return &webClient{CheckRedirect: nil} // want `http.Client without Timeout`
}

// No request it sends without a context is in sight: at most info.
func viaNew() *http.Client {
	c := new(http.Client) // want `new\(http.Client\) has no Timeout`
	return c
}

// Package helpers use DefaultClient.
func fetch(u string) (*http.Response, error) {
	return http.Get(u) // want `http.Get uses http.DefaultClient`
}

func submit(u string, form url.Values) error {
	resp, err := nethttp.PostForm(u, form) // want `http.PostForm uses http.DefaultClient`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A function value of a helper.
var head = http.Head // want `http.Head uses http.DefaultClient`

// A method value of the default client.
// No request it sends without a context is in sight: at most info.
func methodValue(ctx context.Context, u string) (*http.Response, error) {
	do := http.DefaultClient.Do // want `http.DefaultClient has no timeout`
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return do(req)
}

// Nested in a struct literal.
type api struct {
	hc   *http.Client
	base string
}

// No request it sends without a context is in sight: at most info.
func newAPI(base string) *api {
	return &api{hc: &http.Client{}, base: base} // want `http.Client without Timeout`
}

// Handed to a library that is given no timeout either.
type libOption func(*http.Client)

func withClient(hc *http.Client) libOption { return func(*http.Client) {} }

// No request it sends without a context is in sight: at most info.
func handedOver(rt http.RoundTripper) []libOption {
	return []libOption{withClient(&http.Client{Transport: rt})} // want `http.Client without Timeout`
}

// A fallback that is not a nil check: the default client replaces a
// configured one whenever debugging is on.
// No request it sends without a context is in sight: at most info.
func debugClient(hc *http.Client, debug bool) *http.Client {
	if debug {
		hc = http.DefaultClient // want `http.DefaultClient has no timeout`
	}
	return hc
}

// A context without a deadline bounds nothing.
// No request it sends without a context is in sight: at most info.
func statusCancelable(ctx context.Context, base string) (*http.Response, error) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, http.MethodGet, base+"/status", http.NoBody)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout`
}

// A transport with only a dial timeout leaves the wait for an answer open.
// No request it sends without a context is in sight: at most info.
func dialOnly() *http.Client {
	tr := &http.Transport{TLSHandshakeTimeout: 5 * time.Second}
	return &http.Client{Transport: tr} // want `http.Client without Timeout`
}

// proxiedCopy copies DefaultClient and changes only where it connects: the
// copy still has no bound.
// No request it sends without a context is in sight: at most info.
func proxiedCopy(proxy *url.URL) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = http.ProxyURL(proxy)
	c := *http.DefaultClient // want `http.DefaultClient has no timeout`
	c.Transport = tr
	return &c
}

// Fetcher chooses DefaultClient after checking something else.
type Fetcher struct {
	Proxy *url.URL
	hc    *http.Client
}

// client returns DefaultClient when no proxy is set, whatever hc holds.
// No request it sends without a context is in sight: at most info.
func (f *Fetcher) client() *http.Client {
	if f.Proxy != nil {
		return f.hc
	}
	return http.DefaultClient // want `http.DefaultClient has no timeout`
}

// pick uses DefaultClient whenever the caller asks for verbose logging.
// No request it sends without a context is in sight: at most info.
func pick(verbose bool, hc *http.Client) *http.Client {
	var c *http.Client
	if !verbose {
		c = hc
	} else {
		c = http.DefaultClient // want `http.DefaultClient has no timeout`
	}
	return c
}

// fresh replaces the caller's client whenever it has no jar: not a nil default.
// No request it sends without a context is in sight: at most info.
func fresh(hc *http.Client) *http.Client {
	if hc.Jar == nil {
		return &http.Client{} // want `http.Client without Timeout`
	}
	return hc
}

// fetchRates sends on the default client with the ctx it is given; one of
// its callers passes a ctx with no deadline, so nothing bounds the call.
// No request it sends without a context is in sight: at most info.
func fetchRates(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout`
}

// RatesBounded calls fetchRates with a deadline.
func RatesBounded(u string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := fetchRates(ctx, u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// RatesNightly calls fetchRates with its own ctx, which has no deadline.
func RatesNightly(ctx context.Context, u string) error {
	resp, err := fetchRates(ctx, u)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// metadataClient dials a TCP peer through a custom dialer: a custom dial is
// not a Unix socket, and the client still needs a Timeout.
// No request it sends without a context is in sight: at most info.
func metadataClient(addr string) *http.Client {
	d := &net.Dialer{Timeout: time.Second}
	return &http.Client{Transport: &http.Transport{ // want `http.Client without Timeout`
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "tcp", addr)
		},
	}}
}

// ProbeLoose builds a one-off client and sends on the ctx it is given,
// which nobody bounds.
// No request it sends without a context is in sight: at most info.
func ProbeLoose(ctx context.Context, u string) (int, error) {
	hc := &http.Client{} // want `http.Client without Timeout`
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

// workers takes DefaultClient into a variable and sets only its transport,
// then sends a request built with no context: posted.
func workers(u string) (*http.Response, error) {
	client := http.DefaultClient // want `http.DefaultClient has no timeout`
	client.Transport = http.DefaultTransport
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}

// daemonStatus asks the local agent over the loopback: a stall is rare on
// the same host, so at most info.
func daemonStatus(port string) (*http.Response, error) {
	return http.Get("http://localhost:" + port + "/status") // want `http\.Get uses http\.DefaultClient.*info: every URL in this function names the loopback`
}

// mirrorStatus asks the local agent and then a remote mirror: the remote
// call has no bound, so the finding keeps its severity.
func mirrorStatus(port string) error {
	if _, err := http.Get("http://127.0.0.1:" + port + "/status"); err != nil { // want `http\.Get uses http\.DefaultClient`
		return err
	}
	_, err := http.Get("https://mirror.example.com/status") // want `http\.Get uses http\.DefaultClient`
	return err
}
