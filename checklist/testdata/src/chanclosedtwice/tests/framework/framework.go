// Package framework is an integration-test harness kept under tests/: a
// channel closed by two of its goroutines is the harness's business.
package framework

// Proc is a process the harness runs.
type Proc struct{ done chan struct{} }

// Run waits for either reader.
func (p *Proc) Run(out, errs <-chan string) {
	go func() {
		for range out {
		}
		close(p.done)
	}()
	go func() {
		for range errs {
		}
		close(p.done)
	}()
}
