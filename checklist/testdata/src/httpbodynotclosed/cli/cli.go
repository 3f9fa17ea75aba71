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

// Export is a command whose RunE is a method named, not a literal.
func (r *runner) Export() *cobra.Command {
	return &cobra.Command{Use: "export", RunE: r.ExportRunE, PreRunE: chain(r.LoadRunE)}
}

// ExportRunE runs once, as the export command: at most info.
func (r *runner) ExportRunE(*cobra.Command, []string) error {
	resp, err := r.hc.Get("http://server/export") // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// LoadRunE runs once, before the export command, through a chain: at most info.
func (r *runner) LoadRunE(*cobra.Command, []string) error {
	resp, err := r.hc.Get("http://server/config") // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return nil
}

// chain runs the given RunE functions in order.
func chain(fns ...func(*cobra.Command, []string) error) func(*cobra.Command, []string) error {
	return func(c *cobra.Command, args []string) error {
		for _, f := range fns {
			if err := f(c, args); err != nil {
				return err
			}
		}
		return nil
	}
}

// Daemon is a command whose named RunE starts a server.
func (r *runner) Daemon() *cobra.Command {
	return &cobra.Command{Use: "daemon", RunE: r.DaemonRunE}
}

// DaemonRunE starts the server: full severity.
func (r *runner) DaemonRunE(*cobra.Command, []string) error {
	resp, err := r.hc.Get("http://server/announce") // want `response Body is never closed`
	if err != nil {
		return err
	}
	_ = resp.StatusCode
	return http.ListenAndServe(":8081", nil)
}
