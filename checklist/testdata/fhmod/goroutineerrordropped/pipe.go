package goroutineerrordropped

import (
	"io"
	"net/http"
	"os"
)

// Stream copies a file into a pipe from a goroutine; each failure is handed
// to the reading end with CloseWithError, which is how it is kept.
func Stream(w http.ResponseWriter, r *http.Request) {
	pr, pw := io.Pipe()
	defer pr.Close()
	go func() {
		f, err := os.Open("/srv/data")
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		defer f.Close()
		_, err = io.Copy(pw, f)
		pw.CloseWithError(err)
	}()
	_, _ = io.Copy(w, pr)
}
