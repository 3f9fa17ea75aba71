// Package limithandlers holds handlers that read whole bodies, registered
// by the limit* and authtype packages.
package limithandlers

import (
	"io"
	"net/http"
)

// H holds the handlers.
type H struct{}

func (h *H) Listed(w http.ResponseWriter, r *http.Request)   { _, _ = io.ReadAll(r.Body) }
func (h *H) Unlisted(w http.ResponseWriter, r *http.Request) { _, _ = io.ReadAll(r.Body) }
func (h *H) Wrapped(w http.ResponseWriter, r *http.Request)  { _, _ = io.ReadAll(r.Body) }
func (h *H) Typed(w http.ResponseWriter, r *http.Request)    { _, _ = io.ReadAll(r.Body) }
func (h *H) Built(w http.ResponseWriter, r *http.Request)    { _, _ = io.ReadAll(r.Body) }
func (h *H) Rated(w http.ResponseWriter, r *http.Request)    { _, _ = io.ReadAll(r.Body) }
