package httpbodynotclosed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

type api struct {
	hc *http.Client
}

// Decoded but never closed.
func (a *api) user(ctx context.Context, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := a.hc.Do(req) // want `response Body is never closed`
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Only the status is looked at.
func (a *api) alive(u string) bool {
	resp, err := a.hc.Get(u) // want `response Body is never closed`
	return err == nil && resp.StatusCode == http.StatusOK
}

// A method value: the type of the result gives it away.
func (a *api) viaMethodValue(req *http.Request) ([]byte, error) {
	do := a.hc.Do
	resp, err := do(req) // want `response Body is never closed`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// Through a wrapper of our own that returns the response.
func send(hc *http.Client, req *http.Request) (*http.Response, error) {
	return hc.Do(req)
}

func ping(hc *http.Client, req *http.Request) error {
	_, err := send(hc, req) // want `assigned to _`
	return err
}

// Inside a closure.
func pollAll(hc *http.Client, urls []string) []int {
	var codes []int
	each := func(u string) {
		var resp *http.Response
		resp, err := hc.Get(u) // want `response Body is never closed`
		if err == nil {
			codes = append(codes, resp.StatusCode)
		}
	}
	for _, u := range urls {
		each(u)
	}
	return codes
}

// Discarded entirely.
func fireAndForget(hc *http.Client, req *http.Request) {
	hc.Do(req) // want `discarded`
}

// fetchReply sends the request and hands back the open response.
func fetchReply(ctx context.Context, hc *http.Client, req *http.Request) (*http.Response, error) {
	res, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	if res.StatusCode >= 500 {
		res.Body.Close()
		return nil, fmt.Errorf("server error %d", res.StatusCode)
	}
	return res, nil
}

// StatusOf reads the status of a response fetchReply left open.
func StatusOf(ctx context.Context, hc *http.Client, req *http.Request) int {
	res, err := fetchReply(ctx, hc, req) // want `the response Body is never closed`
	if err != nil {
		return 0
	}
	return res.StatusCode
}

// logged prints the response for debugging: fmt does not close it.
func logged(hc *http.Client, req *http.Request) (int, error) {
	resp, err := hc.Do(req) // want `the response Body is never closed`
	if err != nil {
		return 0, err
	}
	fmt.Println("upstream answered", resp)
	return resp.StatusCode, nil
}

// silenced assigns the response to the blank identifier to quiet the
// compiler; nothing closes it.
func silenced(hc *http.Client, u string) error {
	resp, err := hc.Get(u) // want `the response Body is never closed`
	_ = resp
	return err
}

// readStatus reads the response but never closes it.
func readStatus(resp *http.Response) (string, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 512))
	return string(b), err
}

// viaReader hands the response to a helper of the package that only reads.
func viaReader(hc *http.Client, u string) (string, error) {
	resp, err := hc.Get(u) // want `the response Body is never closed`
	if err != nil {
		return "", err
	}
	return readStatus(resp)
}

// keepAlive is a no-op: a hook left empty.
func keepAlive(io.ReadCloser) {}

// viaNoop hands the body to a function that does nothing with it.
func viaNoop(hc *http.Client, u string) error {
	resp, err := hc.Get(u) // want `the response Body is never closed`
	if err != nil {
		return err
	}
	keepAlive(resp.Body)
	return nil
}

// twoCalls reuses resp: the first response was closed, the second is not.
func twoCalls(hc *http.Client, a, b string) (int, error) {
	resp, err := hc.Get(a)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	resp, err = hc.Get(b) // want `the response Body is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

// fetchQuote returns early on an error status, before the deferred Close.
func fetchQuote(ctx context.Context, hc *http.Client, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := hc.Do(req) // want `the return on line \d+ leaves it open`
	if err != nil {
		return fmt.Errorf("quote: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("quote: status %d", resp.StatusCode)
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(out)
}

// guardedByStatus closes only behind a guard that also asks for a 200: a
// non-200 reply takes the false edge with its body open.
func guardedByStatus(hc *http.Client, u string) error {
	resp, err := hc.Get(u) // want `the return on line \d+, \d+ leaves it open`
	if err != nil {
		return err
	}
	if resp != nil && resp.StatusCode == http.StatusOK {
		defer resp.Body.Close()
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

// doStatusChecked refuses a nil response or an error status in one test:
// the error status takes the same edge with its body open.
func doStatusChecked(hc *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := hc.Do(req) // want `the return on line \d+ leaves it open`
	if err != nil {
		return nil, err
	}
	if resp == nil || resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("bad response from %s", req.URL)
	}
	return resp, nil
}

// sessionRequest is a hand-written request type whose Execute hands back
// the open response.
type sessionRequest struct{ hc *http.Client }

// Execute sends the request.
func (r sessionRequest) Execute() (*http.Response, error) {
	return r.hc.Get("https://idp.example/sessions")
}

// dropSession drops an open response.
func dropSession(r sessionRequest) error {
	_, err := r.Execute() // want `the \*http.Response is assigned to _`
	return err
}

// FirstLine wraps the body in a reader it reads itself and never closes.
func FirstLine(c *http.Client, u string) (string, error) {
	resp, err := c.Get(u) // want `the response Body is never closed`
	if err != nil {
		return "", err
	}
	br := bufio.NewReader(resp.Body)
	return br.ReadString('\n')
}
