// Package cli implements the prodready command line: parsing, wiring the
// pipeline to its inputs and outputs, and exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/prodready/prodready/internal/exitcode"
)

// Exit codes: the table is package exitcode's; these names are the CLI's.
const (
	ExitOK       = exitcode.OK       // nothing at or above --fail-on
	ExitFindings = exitcode.Findings // findings at or above --fail-on
	ExitUsage    = exitcode.Usage    // usage or config error
	ExitFailure  = exitcode.Failure  // operational failure
)

// Env is the process environment as the commands see it: Getenv and the
// standard streams. Tests build their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// IsTerminal reports whether Stdout is a terminal (colour).
	IsTerminal bool
	// StderrIsTerminal reports whether Stderr is a terminal (progress).
	StderrIsTerminal bool
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"review", "review a change (base..head) of a local repository; a dry run that prints what it would post", runReview},
		{"check", "check whole packages like a linter (default ./...)", runCheck},
		{"checks", "list the checks, or explain one: prodready checks [ID]", runChecks},
		{"action", "run as a GitHub Action step", runAction},
		{"serve", "run the GitHub App server", runServe},
		{"version", "print the version", runVersion},
	}
}

// usagef returns a usage error.
func usagef(format string, args ...any) error { return exitcode.Usagef(format, args...) }

// exitError carries an exit code with no further message (findings at or
// above --fail-on).
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Main runs prodready with args (without the program name) and returns the exit code.
func Main(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		return exitCode(env.Stderr, err)
	}
	fmt.Fprintf(env.Stderr, "prodready: unknown command %q; run 'prodready help' for the list\n", args[0])
	return ExitUsage
}

func exitCode(stderr io.Writer, err error) int {
	if err == nil {
		return ExitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	if errors.Is(err, errHelp) {
		return ExitOK
	}
	msg := strings.ReplaceAll(err.Error(), "\n", "; ")
	fmt.Fprintf(stderr, "prodready: %s\n", msg)
	return exitcode.Of(err)
}

var errHelp = errors.New("help shown")

func usage(w io.Writer) {
	fmt.Fprintln(w, "prodready reviews Go changes for what breaks in production: what if it runs twice,")
	fmt.Fprintln(w, "fails halfway, or meets a burst of load.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: prodready <command> [flags]")
	fmt.Fprintln(w)
	cs := commands()
	sort.SliceStable(cs, func(i, j int) bool { return false })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'prodready <command> --help' for a command's flags.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit codes:")
	for _, c := range exitcode.Table() {
		fmt.Fprintf(w, "  %d  %s\n", c.Code, strings.ReplaceAll(c.Meaning, "`", ""))
	}
}
