package httpbodynotclosed

import (
	"encoding/json"
	"io"
	"net/http"
)

// readJSON decodes a document and closes the reader when it can: callers
// hand it a response body as an io.Reader.
func readJSON(r io.Reader, v any) (err error) {
	defer func() {
		if rc, ok := r.(io.ReadCloser); ok {
			if cerr := rc.Close(); err == nil {
				err = cerr
			}
		}
	}()
	return json.NewDecoder(r).Decode(v)
}

// decodeOnly decodes and closes nothing.
func decodeOnly(r io.Reader, v any) error {
	return json.NewDecoder(r).Decode(v)
}

// Member is a sharing's member.
type Member struct{ Name string }

// FetchMember hands the body to readJSON, which closes it.
func FetchMember(c *http.Client, url string) (*Member, error) {
	res, err := c.Get(url)
	if err != nil {
		return nil, err
	}
	m := &Member{}
	return m, readJSON(res.Body, m)
}

// FetchMemberLeaky hands the body to a decoder that never closes it.
func FetchMemberLeaky(c *http.Client, url string) (*Member, error) {
	res, err := c.Get(url) // want `the response Body is never closed`
	if err != nil {
		return nil, err
	}
	m := &Member{}
	return m, decodeOnly(res.Body, m)
}

// refresh retries with a new token, closing the first reply.
func refresh(c *http.Client, res *http.Response, url string) (*http.Response, error) {
	res.Body.Close()
	return c.Get(url + "?refreshed=1")
}

// FetchWithRefresh replaces the response only on a 401: on the other
// paths the first response is the one the deferred Close closes.
func FetchWithRefresh(c *http.Client, url string) (*Member, error) {
	res, err := c.Get(url)
	if res != nil && res.StatusCode == http.StatusUnauthorized {
		res, err = refresh(c, res, url)
	}
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	m := &Member{}
	return m, json.NewDecoder(res.Body).Decode(m)
}

// FetchWithRefreshLeaky closes neither response.
func FetchWithRefreshLeaky(c *http.Client, url string) (int, error) {
	res, err := c.Get(url) // want `the response Body is never closed`
	if err == nil && res.StatusCode == http.StatusUnauthorized {
		res, err = c.Get(url + "?refreshed=1") // want `the response Body is never closed`
	}
	if err != nil {
		return 0, err
	}
	return res.StatusCode, nil
}
