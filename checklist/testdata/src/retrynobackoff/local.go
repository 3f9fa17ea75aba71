package retrynobackoff

import (
	"net/http"
	"strings"
	"time"
)

// withBusyRetry retries a write while SQLite says the database is locked:
// a local file, no remote dependency to stampede; at most info.
func withBusyRetry(op func() error) error {
	var err error
	for retry := 0; retry < 10; retry++ {
		err = op()
		if !isSQLiteBusy(err) {
			return err
		}
		time.Sleep(time.Second) // want `waits a fixed delay between attempts`
	}
	return err
}

func isSQLiteBusy(err error) bool {
	return err != nil && strings.Contains(err.Error(), "database is locked")
}

// withWriteRetry retries any write with a fixed delay: at most info, as
// every fixed pause is.
func withWriteRetry(op func() error) error {
	var err error
	for retry := 0; retry < 10; retry++ {
		if err = op(); err == nil {
			return nil
		}
		time.Sleep(time.Second) // want `waits a fixed delay between attempts`
	}
	return err
}

// pollBusy retries an HTTP request while the server says busy, with a fixed
// pause: at most info.
func pollBusy(hc *http.Client, u string) (*http.Response, error) {
	var errBusy error
	for attempt := 0; attempt < 5; attempt++ {
		resp, err := hc.Get(u)
		if err == nil && resp.StatusCode != http.StatusServiceUnavailable {
			return resp, nil
		}
		errBusy = err
		time.Sleep(time.Second) // want `waits a fixed delay between attempts`
	}
	return nil, errBusy
}
