package httpstatusunchecked

import (
	"bytes"
	"image"
	"io"
	"net/http"
	"os"
)

// notify posts to a webhook and drains the reply for connection reuse:
// nothing of the body is kept, so no error page is taken as data.
func notify(url string, payload []byte) error {
	resp, err := http.Post(url, "application/json", bytes.NewReader(payload))
	if err != nil {
		return err
	}
	_, _ = io.ReadAll(resp.Body)
	return resp.Body.Close()
}

// notifyKept keeps what it read: an error page becomes the receipt.
// at most info: the reply is handed to the caller, where an error page usually fails the next step.
func notifyKept(url string, payload []byte) ([]byte, error) {
	resp, err := http.Post(url, "application/json", bytes.NewReader(payload))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	receipt, _ := io.ReadAll(resp.Body) // want `without checking resp\.StatusCode`
	return receipt, nil
}

// imageSize decodes an image's header: an error page fails to decode and
// the error is returned; at most info.
func imageSize(url string) (int, int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	cfg, _, err := image.DecodeConfig(resp.Body) // want `without checking resp\.StatusCode`
	if err != nil {
		return 0, 0, err
	}
	return cfg.Width, cfg.Height, nil
}

// saveCover writes whatever came back to disk: an error page is kept as
// the cover.
func saveCover(url, path string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body) // want `without checking resp\.StatusCode`
	return err
}
