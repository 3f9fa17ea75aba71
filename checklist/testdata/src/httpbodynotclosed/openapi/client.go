// Package openapi stands in for a client made by OpenAPI Generator.
package openapi

import "net/http"

// ApiDisableSessionRequest is a request; its Execute reads and closes the
// body before it returns the response.
type ApiDisableSessionRequest struct{ HC *http.Client }

// Execute sends the request.
func (r ApiDisableSessionRequest) Execute() (*http.Response, error) {
	resp, err := r.HC.Get("https://idp.example/sessions")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return resp, nil
}
