// Package handlers holds request handlers; the router package registers them.
package handlers

import (
	"context"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/labstack/echo/v4"
)

type H struct{}

func (h *H) Upload(w http.ResponseWriter, r *http.Request)   { _, _ = io.ReadAll(r.Body) }
func (h *H) Settings(w http.ResponseWriter, r *http.Request) { _, _ = io.ReadAll(r.Body) }
func (h *H) Import(w http.ResponseWriter, r *http.Request)   { _, _ = io.ReadAll(r.Body) }

// Factory returns the handler it builds.
func (h *H) Factory() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _, _ = io.ReadAll(r.Body) }
}

func Upload(w http.ResponseWriter, r *http.Request) {}

func GinUpload(c *gin.Context)        {}
func GinSettings(c *gin.Context)      {}
func EchoUpload(c echo.Context) error { return nil }
func FiberUpload(c *fiber.Ctx) error  { return nil }

// Server is a handler value.
type Server struct{}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {}

type user struct{}

func currentUser(r *http.Request) (*user, bool)       { return nil, false }
func UserFromContext(ctx context.Context) *user       { return nil }
func lookupUser(ctx context.Context, id string) *user { return nil }

func (h *H) Profile(w http.ResponseWriter, r *http.Request) { // want `identity first: currentUser`
	if _, ok := currentUser(r); !ok {
		return
	}
	_, _ = io.ReadAll(r.Body)
}

func (h *H) Basic(w http.ResponseWriter, r *http.Request) { // want `identity first: r.BasicAuth`
	if _, _, ok := r.BasicAuth(); !ok {
		return
	}
	_, _ = io.ReadAll(r.Body)
}

func (h *H) Header(w http.ResponseWriter, r *http.Request) { // want `identity first: r.Header.Get`
	if r.Header.Get("Authorization") == "" {
		return
	}
	_, _ = io.ReadAll(r.Body)
}

func (h *H) FromCtx(w http.ResponseWriter, r *http.Request) { // want `identity first: UserFromContext`
	_ = UserFromContext(r.Context())
	_, _ = io.ReadAll(r.Body)
}

// Lookup reads a user record by id: not the caller.
func (h *H) Lookup(w http.ResponseWriter, r *http.Request) {
	_ = lookupUser(r.Context(), r.URL.Query().Get("id"))
	_, _ = io.ReadAll(r.Body)
}

// After asks who is calling only after the read.
func (h *H) After(w http.ResponseWriter, r *http.Request) {
	_, _ = io.ReadAll(r.Body)
	_, _ = currentUser(r)
}
