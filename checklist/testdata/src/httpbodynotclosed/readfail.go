package httpbodynotclosed

import (
	"io"
	"net/http"
)

// groups closes the body after reading it: only a failed read returns with
// it open, when the transport has given the connection up already.
func groups(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the return on line \d+ leaves it open.*\(info: only after reading the body failed\)`
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return data, nil
}

// login returns on a refused login before the close: every wrong password
// leaves a connection open.
func login(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the return on line \d+, \d+ leaves it open, so that connection never returns to the pool \(error statuses come in bursts\); defer resp.Body.Close\(\) right after the error check$`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusUnauthorized {
		return nil, errRefused
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	return data, nil
}

type refused struct{}

func (refused) Error() string { return "refused" }

var errRefused error = refused{}
