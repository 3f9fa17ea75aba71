package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"
)

func newFlagSet(name, synopsis, doc string, env *Env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: %s\n\n%s\n", synopsis, doc)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 { // serve has none: no empty "Flags:" heading
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parse parses flags, mapping -h to errHelp and other problems to usage
// errors. Flags may come after arguments (`check ./... --format json`), as
// with go's own commands: the standard flag package stops at the first
// argument, so parse resumes after each run of arguments, and a `--` ends
// the flags for good. fs.Args() then holds the arguments in their order.
func parse(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return errHelp
			}
			return usagef("%s: %v", fs.Name(), firstLine(err.Error()))
		}
		rest := fs.Args()
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			positional = append(positional, rest...)
			break
		}
		i := 0
		for i < len(rest) && !isFlagArg(rest[i]) {
			i++
		}
		positional = append(positional, rest[:i]...)
		if i == len(rest) {
			break
		}
		args = rest[i:]
	}
	// Parsing "--" alone sets fs.Args() without touching any flag.
	return fs.Parse(append([]string{"--"}, positional...))
}

// isFlagArg reports whether a command-line word is a flag ("-" alone is an
// argument: standard input).
func isFlagArg(s string) bool { return len(s) > 1 && s[0] == '-' }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// listFlag is a comma-separated list flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}
