// Package gin stands in for github.com/gin-gonic/gin: only what the program
// model resolves.
package gin

// Engine is a router.
type Engine struct{}

// Default returns a router.
func Default() *Engine { return &Engine{} }

// Run serves on addr.
func (e *Engine) Run(addr ...string) error { return nil }

// RunTLS serves TLS on addr.
func (e *Engine) RunTLS(addr, certFile, keyFile string) error { return nil }
