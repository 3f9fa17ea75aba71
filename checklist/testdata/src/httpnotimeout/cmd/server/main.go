// Command server serves: what main builds at start-up, the handlers use
// under load, so a client built there keeps its full severity.
package main

import (
	"io"
	"net/http"
)

func main() {
	upstream := &http.Client{} // want `http.Client without Timeout`
	http.HandleFunc("/proxy", func(w http.ResponseWriter, r *http.Request) {
		resp, err := upstream.Get("http://backend/")
		if err != nil {
			return
		}
		defer resp.Body.Close()
		_, _ = io.Copy(w, resp.Body)
	})
	_ = http.ListenAndServe(":8080", nil)
}
