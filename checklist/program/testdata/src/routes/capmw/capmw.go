// Package capmw holds middleware declared in another package than the
// routes': Cap limits request bodies (its name does not say so, its body
// does), Log does not; AuthHandler and Checker authenticate, though their
// methods' names do not say so.
package capmw

import "net/http"

// Cap limits every request body to n bytes.
func Cap(n int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, n)
			next.ServeHTTP(w, r)
		})
	}
}

// Log logs requests.
func Log(next http.Handler) http.Handler { return next }

// AuthHandler authenticates requests.
type AuthHandler struct{}

// WrapHandler lets only logged-in callers through.
func (*AuthHandler) WrapHandler(next http.Handler) http.Handler { return next }

// Checker checks something about a request.
type Checker struct{}

// Handler wraps next in the check.
func (*Checker) Handler(next http.Handler) http.Handler { return next }

// NewSessionChecker returns a Checker of the caller's session.
func NewSessionChecker() *Checker { return &Checker{} }

// NewRateChecker returns a Checker of the caller's request rate.
func NewRateChecker() *Checker { return &Checker{} }
