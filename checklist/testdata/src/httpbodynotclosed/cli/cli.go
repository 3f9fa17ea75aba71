// Package cli holds command-line commands: a command's Run, and the
// unexported functions only it calls, run once; a command that starts a
// server serves.
package cli

import (
	"net/http"

	"github.com/spf13/cobra"
	"github.com/urfave/cli/v2"
)

type runner struct{ hc *http.Client }

// Unregister is the unregister command.
func (r *runner) Unregister() *cobra.Command {
	return &cobra.Command{Use: "unregister", RunE: func(*cobra.Command, []string) error {
		return r.unregister()
	}}
}

// unregister runs only from the command: at most info.
func (r *runner) unregister() error {
	resp, err := r.hc.Post("http://server/unregister", "", nil) // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// Ping is an urfave/cli command.
func (r *runner) Ping() *cli.Command {
	return &cli.Command{Name: "ping", Action: func(*cli.Context) error {
		return r.ping()
	}}
}

// ping runs only from the command: at most info.
func (r *runner) ping() error {
	resp, err := r.hc.Get("http://server/ping") // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// Serve starts a server in its Run: what it calls serves.
func (r *runner) Serve() *cobra.Command {
	return &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error {
		r.register()
		return http.ListenAndServe(":8080", nil)
	}}
}

// register is called from the serving command: full severity.
func (r *runner) register() {
	resp, err := r.hc.Post("http://server/register", "", nil) // want `response Body is never closed`
	if err != nil {
		return
	}
	_ = resp.StatusCode
}

// Report is exported: callers elsewhere may serve, full severity.
func (r *runner) Report() error {
	resp, err := r.hc.Get("http://server/report") // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}
