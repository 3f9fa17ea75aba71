// Package failsafe is a minimal stand-in for github.com/failsafe-go/failsafe-go.
package failsafe

// Policy is a retry policy, a circuit breaker or alike.
type Policy[R any] interface{ policy() }

// Run runs fn under the policies (a retry policy runs it again).
func Run(fn func() error, policies ...Policy[any]) error { return fn() }

// Get runs fn under the policies and returns its result.
func Get[R any](fn func() (R, error), policies ...Policy[R]) (R, error) { return fn() }
