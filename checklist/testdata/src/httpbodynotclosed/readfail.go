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

// apiError reads an error reply to its end to build the error.
func apiError(resp *http.Response) error {
	msg, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	return &statusError{code: resp.StatusCode, msg: string(msg)}
}

// statusOnly builds an error from the status alone: the body stays unread.
func statusOnly(resp *http.Response) error {
	return &statusError{code: resp.StatusCode}
}

type statusError struct {
	code int
	msg  string
}

func (e *statusError) Error() string { return e.msg }

// members reads an error reply to its end through apiError before
// returning: the transport has the connection back at EOF.
func members(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the return on line \d+ leaves it open.*\(info: the body is read to its end first`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, apiError(resp)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// owners returns an error built from the status alone: every error status
// leaves a connection open.
func owners(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the return on line \d+ leaves it open, so that connection never returns to the pool \(error statuses come in bursts\); defer resp.Body.Close\(\) right after the error check$`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, statusOnly(resp)
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// scrape never closes the body but reads all of it every time.
func scrape(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the response Body is never closed.*\(info: the body is read to its end first`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(resp.Body)
}

// scrapeOK returns early on an error status before its full read: that
// path leaks, so the finding keeps its severity.
func scrapeOK(hc *http.Client, u string) ([]byte, error) {
	resp, err := hc.Get(u) // want `the response Body is never closed, so its connection never returns to the pool and the process runs out of connections under load; defer resp.Body.Close\(\) after the error check$`
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errRefused
	}
	return io.ReadAll(resp.Body)
}
