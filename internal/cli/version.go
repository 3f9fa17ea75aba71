package cli

import (
	"context"
	"fmt"
	"runtime/debug"
)

// Version is prodready's version; release builds set it with -ldflags.
var Version = "devel"

func version() string {
	if Version != "devel" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return Version
}

func runVersion(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet("version", "prodready version", "Print prodready's version.", env)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "prodready %s\n", version())
	return nil
}
