// Package ginbuffered mounts webhooks behind a middleware that buffers
// the body: their reads are of the copy.
package ginbuffered

import (
	"io"
	"log/slog"

	"github.com/gin-gonic/gin"

	"routes/bufmw"
)

func Stripe(c *gin.Context) { _, _ = io.ReadAll(c.Request.Body) }

func Mount(log *slog.Logger) *gin.Engine {
	r := gin.Default()
	hooks := r.Group("/webhooks")
	hooks.Use(bufmw.LogBody(log)) // want `route middleware routes/bufmw.LogBody: public$`
	hooks.POST("/stripe", Stripe) // want `route /stripe routes/ginbuffered.Stripe: public, limit bufmw.LogBody`
	return r
}
