package retrylibs

import (
	"bytes"
	"net/http"

	retryablehttp "github.com/hashicorp/go-retryablehttp"
)

// payer posts payments through go-retryablehttp's standard client.
type payer struct{ hc *http.Client }

func newPayer() *payer {
	rc := retryablehttp.NewClient()
	return &payer{hc: rc.StandardClient()}
}

// The standard client retries the payment after a lost answer.
func (p *payer) pay(body []byte) error {
	resp, err := p.hc.Post("https://pay.example/payments", "application/json", bytes.NewReader(body)) // want `through a client whose Transport retries \(retryablehttp\.Client\.StandardClient\)`
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// A GET through the same client is safe to retry: silent.
func (p *payer) balance() error {
	resp, err := p.hc.Get("https://pay.example/balance")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

var _ = newPayer
