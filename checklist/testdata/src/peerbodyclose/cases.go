// Package peerbodyclose holds our own cases of the kinds bodyclose's tests
// cover, to compare http-body-not-closed with it. A want comment marks where
// prodready reports.
package peerbodyclose

import (
	"context"
	"io"
	"net/http"

	"github.com/gorilla/websocket"
)

// 1. Never closed.
func neverClosed(u string, hc *http.Client) ([]byte, error) {
	resp, err := hc.Get(u) // want `response Body is never closed`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// 2. Closed with defer right after the error check.
func deferred(hc *http.Client, u string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return nil
}

// 3. Closed through a deferred closure that takes the body as a parameter.
func closureParam(hc *http.Client, u string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer func(b io.ReadCloser) { _ = b.Close() }(resp.Body)
	return nil
}

// 4. Handed to a function that closes it.
func helperCloses(hc *http.Client, u string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	return drain(resp)
}

func drain(resp *http.Response) error {
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// 5. Handed to a function that does NOT close it. Both follow the callee
// of the package and report it.
func helperLeaks(hc *http.Client, u string) int {
	resp, err := hc.Get(u) // want `the response Body is never closed`
	if err != nil {
		return 0
	}
	return statusOf(resp)
}

func statusOf(resp *http.Response) int { return resp.StatusCode }

// 6. Returned to the caller, who owns it.
func returned(ctx context.Context, hc *http.Client, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return hc.Do(req)
}

// 7. A caller of a wrapper that returns the response, not closing it.
func wrapperCaller(ctx context.Context, hc *http.Client, u string) error {
	resp, err := returned(ctx, hc, u) // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// 8. Stored in a struct that closes it later.
type result struct{ resp *http.Response }

func stored(hc *http.Client, u string) (*result, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	return &result{resp: resp}, nil
}

// 9. Closed in a goroutine that consumes the body.
func inGoroutine(hc *http.Client, u string, out chan<- []byte) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	go func() {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		out <- b
	}()
	return nil
}

// 10. A websocket dial returns the handshake response in second place; its
// body needs no close from the caller, and prodready does not ask for one.
func dialWS(u string) error {
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		return err
	}
	return conn.Close()
}

// 11. The response discarded outright.
func discarded(hc *http.Client, u string) {
	_, _ = hc.Get(u) // want `assigned to _`
}

// 12. Closed only on one branch. prodready follows the paths and reports
// the return that leaves it open; bodyclose counts any close as handled.
func oneBranch(hc *http.Client, u string) (int, error) {
	resp, err := hc.Get(u) // want `the return on line 139 leaves it open`
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	return resp.StatusCode, nil
}
