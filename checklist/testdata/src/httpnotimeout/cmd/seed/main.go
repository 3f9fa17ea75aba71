// Command seed fills a local database and exits: one-shot.
package main

import "net/http"

// main waits for the local API once: at most info.
func main() {
	resp, err := http.Get("http://localhost:8080/healthz") // want `http.Get uses http.DefaultClient`
	if err == nil {
		resp.Body.Close()
	}
}
