package httpstatusunchecked

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Checked looks at the status first.
func (c *Client) Checked(ctx context.Context, sku string) (*Price, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/prices/"+sku, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("price %s: %s", sku, resp.Status)
	}
	var p Price
	return &p, json.NewDecoder(resp.Body).Decode(&p)
}

// After reads the body first to put it in the error.
func (c *Client) After(ctx context.Context) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/state", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("state: %d: %s", resp.StatusCode, body)
	}
	return body, nil
}

// Delegated hands the response to a checker.
func (c *Client) Delegated(ctx context.Context) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/config", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := expectOK(resp); err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.NewDecoder(resp.Body).Decode(&m)
}

func expectOK(resp *http.Response) error {
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("unexpected status %s", resp.Status)
	}
	return nil
}

// Switched branches on the code.
func (c *Client) Switched(ctx context.Context, id string) (*Price, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/p/"+id, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		var p Price
		return &p, json.NewDecoder(resp.Body).Decode(&p)
	case http.StatusNotFound:
		return nil, nil
	default:
		return nil, fmt.Errorf("price %s: %s", id, resp.Status)
	}
}

// Ping only drains the body so the connection can be reused.
func (c *Client) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, c.base+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// Raw returns the response to a caller that checks it.
func (c *Client) Raw(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", path, err)
	}
	return resp, nil
}

// botReply is how a chat API answers: failures come back in the body.
type botReply struct {
	Ok          bool   `json:"ok"`
	Description string `json:"description"`
}

// SendMessage relies on the API's own status field, which it returns on
// every failure, and checks it.
func SendMessage(ctx context.Context, hc *http.Client, req *http.Request) error {
	resp, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var reply botReply
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&reply); err != nil {
		return fmt.Errorf("send message: %w", err)
	}
	if !reply.Ok {
		return fmt.Errorf("send message: %s", reply.Description)
	}
	return nil
}

// at most info: the backup download is refused unless the reply says it is
// an archive, which turns away an object store's XML error page.
func fetchBackup(ctx context.Context, c *http.Client, url string, dst io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/gzip" {
		return fmt.Errorf("backup: unexpected content type %q", ct)
	}
	_, err = io.Copy(dst, resp.Body) // want `info: the function reads the reply's Content-Type`
	return err
}
