// Package httpstatusunchecked holds response bodies read without looking at
// the status, and reads that check it.
package httpstatusunchecked

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	stdhttp "net/http"
	"net/url"
	"os"
)

// Price is a quote.
type Price struct{ Cents int64 }

// Client calls a pricing API.
type Client struct {
	hc   *http.Client
	base string
}

// Quote decodes whatever came back.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func (c *Client) Quote(ctx context.Context, sku string) (*Price, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/prices/"+sku, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var p Price
	return &p, json.NewDecoder(resp.Body).Decode(&p) // want `this reads resp.Body without checking resp.StatusCode`
}

// Version reads an error page as the version.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func Version(base string) (string, error) {
	r, err := http.Get(base + "/version")
	if err != nil {
		return "", err
	}
	defer r.Body.Close()
	b, err := io.ReadAll(r.Body) // want `this reads r.Body without checking r.StatusCode`
	return string(b), err
}

// Rates goes through a method value.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func (c *Client) Rates() (map[string]float64, error) {
	get := c.hc.Get
	resp, err := get(c.base + "/rates")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var m map[string]float64
	err = json.NewDecoder(resp.Body).Decode(&m) // want `this reads resp.Body without checking resp.StatusCode`
	return m, err
}

// Mirror saves responses to files from a closure.
func Mirror(urls []string, dir string) error {
	save := func(u string) error {
		res, err := stdhttp.Post(u, "text/plain", nil)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		f, err := os.Create(dir + "/" + url.PathEscape(u))
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, res.Body); err != nil { // want `this reads res.Body without checking res.StatusCode`
			f.Close()
			return err
		}
		return f.Close()
	}
	for _, u := range urls {
		if err := save(u); err != nil {
			return err
		}
	}
	return nil
}

// Feed decodes XML from a form post.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func (c *Client) Feed(q string) (any, error) {
	resp, err := c.hc.PostForm(c.base+"/feed", url.Values{"q": {q}})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var v struct{ Items []string }
	dec := xml.NewDecoder(resp.Body) // want `this reads resp.Body without checking resp.StatusCode`
	return v, dec.Decode(&v)
}

// quote is a reply whose fields carry no status.
type quote struct {
	Price int64 `json:"price"`
	Okay  bool  `json:"okay_to_buy"`
}

// Quote decodes and tests a field, but not one that says whether the call
// failed.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func Quote(ctx context.Context, hc *http.Client, req *http.Request) (int64, error) {
	resp, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var q quote
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&q); err != nil { // want `this reads resp.Body without checking resp.StatusCode`
		return 0, err
	}
	if !q.Okay {
		return 0, nil
	}
	return q.Price, nil
}

// download saves whatever came back as the file: an error page becomes the
// download, with no step after it to fail.
func download(hc *http.Client, u, path string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body) // want `this reads resp.Body without checking resp.StatusCode.*check the status first$`
	return err
}

// nameStore keeps display names.
type nameStore interface{ Save(name string) error }

// syncName decodes the reply and uses it here only: at most info, since an
// error page usually fails the decode or the step after it.
func syncName(hc *http.Client, u string, st nameStore) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var p struct{ Name string }
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil { // want `this reads resp.Body without checking resp.StatusCode.*info: the reply is used within this function`
		return err
	}
	return st.Save(p.Name)
}
