package httpstatusunchecked

import (
	"encoding/json"
	"net/http"
)

// Image is one entry of a registry's tag list.
type Image struct{ Name string }

// tags decodes the reply into a list: an error reply is an object or a
// page, which fails to decode into a slice, and that error is returned:
// at most info.
func tags(hc *http.Client, u string) ([]Image, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []Image
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil { // want `this reads resp.Body without checking resp.StatusCode`
		return nil, err
	}
	return out, nil
}

// Photo is one photo's details.
type Photo struct {
	ID  string
	URL string
}

// photo decodes into a struct: an error object decodes as an empty photo,
// which the caller caches; the check's severity.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func photo(hc *http.Client, u string) (*Photo, error) {
	resp, err := hc.Get(u)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var p Photo
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil { // want `this reads resp.Body without checking resp.StatusCode`
		return nil, err
	}
	return &p, nil
}

// smsReply is an SMS gateway's reply, whose own status says whether the
// message went out.
type smsReply struct {
	Status string
	Errors []string
}

// sendSMS checks the gateway's status field: that covers the HTTP status.
func sendSMS(hc *http.Client, u string) error {
	resp, err := hc.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var r smsReply
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return err
	}
	if r.Status != "success" {
		return errSMS
	}
	return nil
}

var errSMS = errorString("sms not sent")

type errorString string

func (e errorString) Error() string { return string(e) }
