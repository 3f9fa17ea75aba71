// Package timed sends through clients built with a Timeout, which closes
// the connection when it fires: a body left open holds it that long.
package timed

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// at most info: a client of the function with a Timeout.
func LatestRelease(u string) ([]byte, error) {
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get(u) // want `the return on line 20 leaves it open.*client's Timeout closes the connection`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Repo holds a client its constructor gives a Timeout.
type Repo struct{ hc *http.Client }

// NewRepo builds it.
func NewRepo() *Repo { return &Repo{hc: &http.Client{Timeout: 10 * time.Second}} }

// at most info: the field's every client has a Timeout.
func (r *Repo) Index(u string) ([]byte, error) {
	resp, err := r.hc.Get(u) // want `the response Body is closed on some paths but the return on line 39 leaves it open.*client.s Timeout`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		return nil, errors.New(resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Mirror holds a client set with and without a Timeout.
type Mirror struct{ hc *http.Client }

// NewMirror builds it with a Timeout.
func NewMirror() *Mirror { return &Mirror{hc: &http.Client{Timeout: time.Second}} }

// Plain swaps in a client with none.
func (m *Mirror) Plain() { m.hc = &http.Client{} }

// Fetch keeps its severity: one client of the field has no Timeout.
func (m *Mirror) Fetch(u string) ([]byte, error) {
	resp, err := m.hc.Get(u) // want `the return on line 61 leaves it open, so that connection never returns to the pool \(error statuses come in bursts\); defer resp.Body.Close\(\) right after the error check$`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode >= 400 {
		return nil, errors.New(resp.Status)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// at most info: the function sets its client's Timeout after building it.
func Probe(target string, seconds int) bool {
	client := &http.Client{}
	client.Timeout = time.Duration(seconds) * time.Second
	rs, err := client.Get("http://" + target + "/healthz") // want `the response Body is never closed.*client's Timeout closes the connection`
	return err == nil && rs.StatusCode == http.StatusOK
}

// Untimed keeps its severity: a client of the function with no Timeout,
// whose transport alone is tuned.
func Untimed(target string) bool {
	client := &http.Client{}
	client.Transport = http.DefaultTransport
	rs, err := client.Get("http://" + target + "/healthz") // want `the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close\(\) after the error check$`
	return err == nil && rs.StatusCode == http.StatusOK
}
