// Package probe checks a peer from the running service: production code.
package probe

import "net/http"

// Ready asks the peer whether it is up.
func Ready(u string) (bool, error) {
	resp, err := http.Get(u) // want `http.Get uses http.DefaultClient`
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK, nil
}
