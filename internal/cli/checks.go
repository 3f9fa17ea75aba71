package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/prodready/prodready/checklist"
	"github.com/prodready/prodready/review/load"
	"github.com/prodready/prodready/review/report"
)

func runChecks(_ context.Context, env *Env, args []string) error {
	fs := newFlagSet("checks", "prodready checks [ID]",
		"List the catalog of checks, or show one check's rationale with a bad and a good example.", env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		c := checklist.Lookup(fs.Arg(0))
		if c == nil {
			return usagef("no check %q; run 'prodready checks' for the list", fs.Arg(0))
		}
		fmt.Fprintf(env.Stdout, "%s (%s, %s)\n%s\n\nWhy: %s\n\nFix: %s\n", c.ID, c.Question, c.Severity, c.Title, c.Rationale, c.Fix)
		if c.Bad != "" {
			fmt.Fprintf(env.Stdout, "\nBad:\n%s\n", indent(c.Bad))
		}
		if c.Good != "" {
			fmt.Fprintf(env.Stdout, "\nGood:\n%s\n", indent(c.Good))
		}
		if note := checklist.PeerNote(c.ID); note != "" {
			fmt.Fprintf(env.Stdout, "\nCompared with other linters: %s\n", note)
		}
		if peers := checklist.PeerLinters(c.ID); len(peers) > 0 {
			fmt.Fprintf(env.Stdout, "\nAlso silenced by: //nolint:%s\n", strings.Join(peers, ","))
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tQUESTION\tSEVERITY\tTITLE\tFIX")
	for _, c := range checklist.Catalog() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Question, c.Severity, c.Title, c.Fix)
	}
	return tw.Flush()
}

func indent(s string) string {
	out := "    "
	for _, r := range s {
		out += string(r)
		if r == '\n' {
			out += "    "
		}
	}
	return out
}

// rules describes the catalog for report formats.
func rules() []report.Rule {
	var out []report.Rule
	for _, c := range checklist.Catalog() {
		out = append(out, report.Rule{
			ID: c.ID, Question: string(c.Question), Severity: string(c.Severity),
			Title: c.Title, Rationale: c.Rationale, Fix: c.Fix,
		})
	}
	return out
}

func loadOptions(cf commonFlags, p *progress) load.Options {
	return load.Options{Tags: cf.tags, Tests: cf.tests, Loaded: p.Loaded}
}
