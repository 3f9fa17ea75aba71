// Package migrations runs once per deploy, not per request.
package migrations

import (
	"encoding/json"
	"net/http"
)

// Apply fetches the schema bundle whole: it runs once per deploy.
func Apply(hc *http.Client, url string) (map[string]string, error) {
	resp, err := hc.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]string{}
	return out, json.NewDecoder(resp.Body).Decode(&out)
}
