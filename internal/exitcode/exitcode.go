// Package exitcode holds prodready's exit codes, the one table every command
// and the README follow, and UsageError, the one error type that marks a
// problem in how prodready was called or configured (exit 2).
package exitcode

import (
	"errors"
	"fmt"
)

// The exit codes.
const (
	OK       = 0 // nothing at or above --fail-on
	Findings = 1 // findings at or above --fail-on
	Usage    = 2 // usage or config error
	Failure  = 3 // operational failure
)

// Code is one row of the table.
type Code struct {
	Code    int
	Meaning string
}

// Table lists every exit code with its meaning, as the README's table and
// `prodready help` print it.
func Table() []Code {
	return []Code{
		{OK, "nothing at or above `--fail-on` (default `error`)"},
		{Findings, "findings at or above `--fail-on`"},
		{Usage, "usage or config error: one line on stderr naming the cause and the fix"},
		{Failure, "operational failure: loading failed, an API stayed unreachable after retries"},
	}
}

// UsageError marks an error in the caller's input: a flag, an argument, the
// config file, a revision, a directory that is no repository or module. It
// is used both as a value and as a pointer; Is and Of accept either.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef returns a UsageError with a formatted message (%w wraps).
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Errorf(format, args...)}
}

// AsUsage marks err as a usage error; nil stays nil.
func AsUsage(err error) error {
	if err == nil || IsUsage(err) {
		return err
	}
	return UsageError{err}
}

// IsUsage reports whether err is, or wraps, a UsageError.
func IsUsage(err error) bool {
	var v UsageError
	var p *UsageError
	return errors.As(err, &v) || errors.As(err, &p)
}

// Of returns the exit code for the error a command returned: OK for nil,
// Usage for a UsageError, Failure for anything else.
func Of(err error) int {
	switch {
	case err == nil:
		return OK
	case IsUsage(err):
		return Usage
	}
	return Failure
}
