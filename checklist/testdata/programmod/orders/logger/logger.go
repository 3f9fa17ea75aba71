// Package logger writes log lines and, when asked, forwards them to a log
// service over HTTP.
package logger

import (
	"bytes"
	"net/http"
)

// Logger is what the handlers log through.
type Logger interface {
	Warn(msg string)
}

// Forwarder ships every line to a log service.
type Forwarder struct {
	URL    string
	Client *http.Client
}

// Warn posts the line to the log service.
func (f *Forwarder) Warn(msg string) {
	resp, err := f.Client.Post(f.URL, "text/plain", bytes.NewReader([]byte(msg)))
	if err == nil {
		_ = resp.Body.Close()
	}
}
