package httpnotimeout

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// recaptcha checks a login's captcha token.
type recaptcha struct {
	secret string
}

// verify runs inside the login handler: a client with no Timeout posts
// with no context, so a stalled captcha host hangs every login.
func (rc recaptcha) verify(token string) (bool, error) {
	client := &http.Client{} // want `http.Client without Timeout: a peer that stops answering`
	form := url.Values{"secret": {rc.secret}, "response": {token}}
	resp, err := client.Post("https://www.google.com/recaptcha/api/siteverify", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var out struct {
		Success bool `json:"success"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return false, err
	}
	return out.Success, nil
}

// login is the handler that reaches verify.
func login(rc recaptcha) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ok, err := rc.verify(r.FormValue("captcha"))
		if err != nil || !ok {
			http.Error(w, "captcha", http.StatusForbidden)
		}
	}
}

// receiptOK asks the store for a receipt on the default client with a
// request built without a context.
func receiptOK(id string) (bool, error) {
	req, err := http.NewRequest(http.MethodGet, "https://receipts.example.com/"+id, nil)
	if err != nil {
		return false, err
	}
	resp, err := http.DefaultClient.Do(req) // want `http.DefaultClient has no timeout: a peer that stops answering`
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	return resp.StatusCode == http.StatusOK, nil
}

// avatars fetches avatars for a request handler.
type avatars struct {
	hc *http.Client
}

// newAvatars builds the client; every request carries the handler's
// context, which the server bounds: at most info.
func newAvatars() *avatars {
	return &avatars{hc: &http.Client{}} // want `http.Client without Timeout: its requests carry the caller's context`
}

// fetch sends with the caller's context.
func (a *avatars) fetch(ctx context.Context, u string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	return a.hc.Do(req)
}

// NewSDKClient hands a client to code out of sight that never sends here:
// at most info.
func NewSDKClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport} // want `http.Client without Timeout: no request sent with it is in sight`
}
