// Package untimeddefault replaces http.DefaultClient in init with a client
// that has no timeout either: its uses stay reported.
package untimeddefault

import "net/http"

// at most info: start-up code; the uses below carry the error.
func init() {
	http.DefaultClient = &http.Client{} // want `http.Client without Timeout`
}

// notInit is not run at start-up by the runtime.
func notInit() {
	http.DefaultClient.Timeout = 0
}

func fetch(u string) (*http.Response, error) {
	return http.Get(u) // want `http.Get uses http.DefaultClient`
}
