// Package cobra stands in for github.com/spf13/cobra: only what the
// program model resolves.
package cobra

// Command is a command-line command.
type Command struct {
	Use     string
	RunE    func(cmd *Command, args []string) error
	PreRunE func(cmd *Command, args []string) error
}
