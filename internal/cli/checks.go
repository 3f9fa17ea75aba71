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
	fs := newFlagSet("checks", "prodready checks [--wide] [ID]",
		"List the catalog of checks, or show one check's rationale with a bad and a good example.", env)
	wide := fs.Bool("wide", false, "list every column (the fix too) at full length, past 100 columns")
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
	cat := checklist.Catalog()
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, gap, ' ', 0)
	if *wide {
		fmt.Fprintln(tw, "ID\tQUESTION\tSEVERITY\tTITLE\tFIX")
		for _, c := range cat {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.ID, c.Question, c.Severity, c.Title, c.Fix)
		}
		return tw.Flush()
	}
	// The title gets what the first three columns leave of listWidth.
	idW, qW, sW := len("ID"), len("QUESTION"), len("SEVERITY")
	for _, c := range cat {
		idW, qW, sW = max(idW, len(c.ID)), max(qW, len(c.Question)), max(sW, len(c.Severity))
	}
	titleW := max(listWidth-idW-qW-sW-3*gap, 20)
	fmt.Fprintln(tw, "ID\tQUESTION\tSEVERITY\tTITLE")
	for _, c := range cat {
		lines := wrap(c.Title, titleW)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Question, c.Severity, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(tw, "\t\t\t%s\n", l)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(env.Stdout, "\n'prodready checks ID' explains one check; 'prodready checks --wide' adds each fix.")
	return err
}

// listWidth is the widest line 'prodready checks' prints without --wide;
// gap is the space between its columns.
const (
	listWidth = 100
	gap       = 2
)

// wrap breaks s into lines of at most n runes at spaces (a word longer
// than n stands alone on its line).
func wrap(s string, n int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= n:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
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
