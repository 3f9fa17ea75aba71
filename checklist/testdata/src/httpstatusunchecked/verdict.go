package httpstatusunchecked

import (
	"encoding/json"
	"io"
	"net/http"
)

// Token is an OAuth2 token: callers test it with Valid before use.
type Token struct{ AccessToken string }

// Valid reports whether the token carries an access token.
func (t *Token) Valid() bool { return t != nil && t.AccessToken != "" }

// exchange returns a token whose Valid the callers test: an error reply
// leaves it empty, caught downstream; at most info.
func exchange(hc *http.Client, u string) (*Token, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var tok Token
	err = json.NewDecoder(resp.Body).Decode(&tok) // want `this reads resp.Body without checking resp.StatusCode`
	return &tok, err
}

// larkUsers is a vendor envelope: callers check its Code.
type larkUsers struct {
	Code  int
	Msg   string
	Users []string
}

// listUsers hands the envelope to callers that check its Code:
// at most info.
func listUsers(hc *http.Client, u string) (*larkUsers, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out larkUsers
	err = json.NewDecoder(resp.Body).Decode(&out) // want `this reads resp.Body without checking resp.StatusCode`
	return &out, err
}

// Profile is a user's profile, with nothing that says it is an error.
type Profile struct {
	ID   int64
	Name string
}

// profile decodes an error reply as a profile with ID 0: full severity.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func profile(hc *http.Client, u string) (*Profile, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var p Profile
	err = json.NewDecoder(resp.Body).Decode(&p) // want `this reads resp.Body without checking resp.StatusCode`
	return &p, err
}

// icon serves whatever the icon host sent, error pages too: full severity.
func icon(w http.ResponseWriter, u string) {
	resp, err := http.Get(u)
	if err != nil {
		return
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body) // want `this reads resp.Body without checking resp.StatusCode`
	_, _ = w.Write(b)
}

// rpcReply is a JSON-RPC envelope: an error reply fills Error.
type rpcReply struct {
	Result json.RawMessage
	Error  *struct{ Message string }
}

// decodeReply turns the envelope's error into an error.
func decodeReply(r io.Reader, out any) error {
	var env rpcReply
	if err := json.NewDecoder(r).Decode(&env); err != nil {
		return err
	}
	return env.check(out)
}

func (e *rpcReply) check(out any) error {
	if e.Error != nil {
		return io.ErrUnexpectedEOF
	}
	return json.Unmarshal(e.Result, out)
}

// call hands the body to the package's envelope decoder, which turns an
// error reply into an error: at most info.
func call(hc *http.Client, u string, out any) error {
	resp, err := hc.Post(u, "application/json", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeReply(resp.Body, out) // want `this reads resp.Body without checking resp.StatusCode`
}

// decodeProfile decodes a plain profile, no verdict in it.
func decodeProfile(r io.Reader, p *Profile) error { return json.NewDecoder(r).Decode(p) }

// fetchProfile hands the body to a decoder of plain data: full severity.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func fetchProfile(hc *http.Client, u string, p *Profile) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return decodeProfile(resp.Body, p) // want `this reads resp.Body without checking resp.StatusCode`
}

// idpProfile is a user's record at the identity provider.
type idpProfile struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

// errNoEmail is returned for a profile without an address.
var errNoEmail = &noEmail{}

type noEmail struct{}

func (*noEmail) Error() string { return "no e-mail in profile" }

// profileEmail refuses a profile without an e-mail address, which is what
// an error reply decodes to; at most info.
func profileEmail(hc *http.Client, u string) (string, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var p idpProfile
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil { // want `this reads resp.Body without checking resp.StatusCode.*info: the function fails when a decoded field is empty`
		return "", err
	}
	if p.Email == "" {
		return "", errNoEmail
	}
	return p.Email, nil
}

// displayName only falls back when the name is empty: an error reply is
// shown as "anonymous", so the empty-field rule does not apply; the name is
// handed to the caller, which makes it info.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func displayName(hc *http.Client, u string) (string, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var p idpProfile
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil { // want `this reads resp.Body without checking resp.StatusCode.*check the status first \(info: the reply is handed to the caller`
		return "", err
	}
	if p.Name == "" {
		return "anonymous", nil
	}
	return p.Name, nil
}
