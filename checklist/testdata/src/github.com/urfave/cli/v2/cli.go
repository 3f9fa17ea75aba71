// Package cli stands in for github.com/urfave/cli/v2: only what the program
// model resolves.
package cli

// Context is a command's context.
type Context struct{}

// Command is a command-line command.
type Command struct {
	Name   string
	Action func(*Context) error
}
