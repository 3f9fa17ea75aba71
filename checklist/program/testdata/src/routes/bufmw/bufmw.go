// Package bufmw holds gin middleware declared apart from the routes:
// LogBody reads each request body whole and puts the copy back (so the
// handlers after it read memory), Peek reads it whole and does not.
package bufmw

import (
	"bytes"
	"io"
	"log/slog"

	"github.com/gin-gonic/gin"
)

// LogBody logs every request body and hands the handler a copy.
func LogBody(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := io.ReadAll(c.Request.Body)
		if err != nil {
			return
		}
		log.Info("request", "body", string(body))
		c.Request.Body = io.NopCloser(bytes.NewReader(body))
	}
}

// Peek logs the body's size and leaves the handler nothing to read.
func Peek(log *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, _ := io.ReadAll(c.Request.Body)
		log.Info("request", "size", len(body))
	}
}
