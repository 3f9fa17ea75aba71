// Package cobra stands in for github.com/spf13/cobra in the
// goroutine-error-dropped cases: only the parts the check resolves.
package cobra

// Command is a command-line command.
type Command struct {
	Use  string
	RunE func(cmd *Command, args []string) error
}

// Execute runs the command.
func (c *Command) Execute() error { return c.RunE(c, nil) }
