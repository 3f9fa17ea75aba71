package httpbodynotclosed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"

	"httpbodynotclosed/openapi"
)

// The usual shape: deferred close after the error check.
func getJSON(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("build request: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("get %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("get %s: status %d", u, resp.StatusCode)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(out)
}

// Closed in a deferred closure that also drains it.
func drained(hc *http.Client, req *http.Request) (int, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		_ = resp.Body.Close()
	}()
	return resp.StatusCode, nil
}

// Returned to the caller, who owns it.
type transport struct{ next http.RoundTripper }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Header.Set("X-Seen", "1")
	return resp, nil
}

// Handed to a helper that closes it.
func closeBody(resp *http.Response) error {
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

func handedOn(hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	return closeBody(resp)
}

// Stored in a struct whose owner closes it later.
type stream struct {
	resp *http.Response
	sc   *bufio.Scanner
}

func (s *stream) Close() error { return s.resp.Body.Close() }

func open(hc *http.Client, req *http.Request) (*stream, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	return &stream{resp: resp, sc: bufio.NewScanner(resp.Body)}, nil
}

// A method value of Close, deferred.
func closeFn(hc *http.Client, req *http.Request) ([]byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	closeIt := resp.Body.Close
	defer closeIt()
	return io.ReadAll(resp.Body)
}

// A recorder's response is an in-memory buffer.
func recorded(h http.Handler, req *http.Request) int {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	return res.StatusCode
}

// A wrapper that reads and closes the body itself and hands back the bytes.
func doRead(hc *http.Client, req *http.Request) (*http.Response, []byte, error) { // want doRead:"closes every response it returns"
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, b, err
}

func useDoRead(hc *http.Client, req *http.Request) ([]byte, error) {
	_, body, err := doRead(hc, req)
	return body, err
}

// sendHook posts a webhook, drains and closes the reply, and returns the
// response for its status code only.
func sendHook(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) { // want sendHook:"closes every response it returns"
	res, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 1<<16))
	_ = res.Body.Close()
	return res, nil
}

// Dispatch logs the status of a webhook whose body sendHook already closed.
func Dispatch(ctx context.Context, hc *http.Client, req *http.Request) int {
	res, err := sendHook(ctx, hc, req)
	if err != nil {
		return 0
	}
	return res.StatusCode
}

// statusThenClose checks the status after closing on the error branch too:
// every path closes the body.
func statusThenClose(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("quote: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return fmt.Errorf("quote: status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// viaFinisher hands the response to a function value it was given: what
// that does is out of sight, so the hand-off counts.
func viaFinisher(hc *http.Client, u string, finish func(*http.Response) error) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return finish(resp)
}

// closeQuietly closes what it is given, through a second helper.
func closeQuietly(c io.Closer) { _ = c.Close() }

// drainThenClose drains and hands on to the closer.
func drainThenClose(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	closeQuietly(resp.Body)
}

// viaChain hands the response down two helpers, the second of which closes.
func viaChain(hc *http.Client, u string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer drainThenClose(resp)
	return nil
}

// attempt wraps the body on success and closes it on cancellation; with no
// `if err != nil` right after the call, which paths hold a response turns
// on conditions (resp != nil) that the paths are not judged by.
func attempt(ctx context.Context, rt http.RoundTripper, req *http.Request) (*http.Response, error) {
	resp, err := rt.RoundTrip(req)
	if err == nil {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{resp.Body, resp.Body}
	}
	if ctx.Err() != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, ctx.Err()
	}
	return resp, err
}

// guardedDefer closes the body in a deferred call behind a nil guard: where
// the guard fails there is no body, so every later return is covered.
func guardedDefer(ctx context.Context, u string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	if resp != nil && resp.Body != nil {
		defer func() { _ = resp.Body.Close() }()
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}

// doChecked hands the response to its caller and refuses a nil one: the
// true edge of `resp == nil` holds no body to close.
func doChecked(hc *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp == nil {
		return nil, fmt.Errorf("no response from %s", req.URL)
	}
	return resp, nil
}

// pooledClient hands out clients from a pool; its Get returns the response
// through a named result, and the caller closes it.
type pooledClient struct{ hc *http.Client }

// Get returns the response through its named result with a bare return.
func (c *pooledClient) Get(u string) (resp *http.Response, err error) {
	if c.hc != nil {
		resp, err = c.hc.Get(u)
	} else {
		resp, err = http.DefaultClient.Get(u)
	}
	return
}

// probe picks one of two clients on two branches, then closes whichever
// response it got after one error check.
func probe(secure, insecure *http.Client, req *http.Request, allowInsecure bool) (int, error) {
	var resp *http.Response
	var err error
	if !allowInsecure {
		resp, err = secure.Do(req)
	} else {
		resp, err = insecure.Do(req)
	}
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

// disableSession drops the response of a generated client's Execute, which
// has read and closed the body already.
func disableSession(r openapi.ApiDisableSessionRequest) error {
	_, err := r.Execute()
	return err
}

// apiResponse wraps a response whose body it has read and closed.
type apiResponse struct{ resp *http.Response }

// HTTPResponse returns the wrapped response.
func (r *apiResponse) HTTPResponse() *http.Response { return r.resp }

// statusOf reads the status of a wrapped response: nothing is sent.
func statusOf(r *apiResponse) int {
	if hr := r.HTTPResponse(); hr != nil {
		return hr.StatusCode
	}
	return 0
}

// WatchStream hands the caller a reader over the event stream, which it
// reads until its context ends; the error path closes the body.
func WatchStream(ctx context.Context, c *http.Client, u string) (io.Reader, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("watch: %s", resp.Status)
	}
	return bufio.NewReader(resp.Body), nil
}

// ConnectTunnel reads a proxy's reply to CONNECT from a connection it
// holds: no pool waits for that body, and the connection becomes the
// tunnel.
func ConnectTunnel(conn net.Conn, req *http.Request) (net.Conn, error) {
	if err := req.Write(conn); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("proxy: %s", resp.Status)
	}
	return conn, nil
}
