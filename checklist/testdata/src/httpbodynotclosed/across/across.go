// Package across calls the API client of another package.
package across

import (
	"net/http"

	"httpbodynotclosed/apiclient"
)

// Silent: Do closed the body before handing the response back.
func fetchDecoded(c *apiclient.Client, req *http.Request) (map[string]string, error) {
	var out map[string]string
	_, err := c.Do(req, &out)
	return out, err
}

func fetchRaw(c *apiclient.Client, req *http.Request) error {
	_, err := c.Raw(req) // want `assigned to _, so its Body is never closed`
	return err
}
