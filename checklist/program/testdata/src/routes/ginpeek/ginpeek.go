// Package ginpeek mounts webhooks behind a middleware that reads the body
// but does not put it back: nothing is buffered for the handler.
package ginpeek

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
	hooks.Use(bufmw.Peek(log))
	hooks.POST("/stripe", Stripe) // want `route /stripe routes/ginpeek.Stripe: public$`
	return r
}
