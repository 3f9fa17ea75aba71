package errorignoredio

import (
	"compress/gzip"
	"net/http"
)

// gzipResponseWriter compresses a response.
type gzipResponseWriter struct {
	http.ResponseWriter
	gw *gzip.Writer
}

// at most info: http.Flusher's Flush has no result to carry the error, and
// the gzip writer reports it again on the next Write or Close.
func (w *gzipResponseWriter) Flush() {
	if w.gw != nil {
		w.gw.Flush() // want `the error of this flush is discarded`
	}
	if fw, ok := w.ResponseWriter.(http.Flusher); ok {
		fw.Flush()
	}
}

// Finish drops the Close error of the last bytes: posted.
func (w *gzipResponseWriter) Finish() error {
	w.gw.Close() // want `the error of this flush is discarded`
	return nil
}
