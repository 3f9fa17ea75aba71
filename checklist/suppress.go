package checklist

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// IgnoreDirective is the comment that suppresses a finding on its line or the
// line below: //prodready:ignore <check-id> <reason>. The ID "all" covers
// every check.
const IgnoreDirective = "//prodready:ignore"

// IgnoreWithoutReason is the ID of the finding a directive without a reason
// gets: it suppresses nothing, and says that it needs a reason.
const IgnoreWithoutReason = "ignore-without-reason"

// Suppression is what the directives at a finding's line say about it.
type Suppression struct {
	// Suppressed is true when the finding must not be reported: a //nolint
	// covers the check (see PeerLinters), or a //prodready:ignore names it
	// with a reason.
	Suppressed bool
	// Unreasoned is the line of a //prodready:ignore that names the check
	// without a reason, or 0. The finding stands, and the directive is
	// reported as an IgnoreWithoutReason finding of its own.
	Unreasoned int
}

// Suppress reads the directives that govern a finding of check id on line
// n of a file whose 1-based lines text returns (with "" past the end). Every
// driver (review, check and the vet tool) decides suppression here, so that
// they agree.
func Suppress(text func(n int) string, n int, id string) Suppression {
	if nolinted(text, n, PeerLinters(id)) {
		return Suppression{Suppressed: true}
	}
	for _, l := range []int{n, n - 1} {
		if l < 1 {
			continue
		}
		line := text(l)
		i := strings.Index(line, IgnoreDirective)
		if i < 0 {
			continue
		}
		fields := strings.Fields(line[i+len(IgnoreDirective):])
		if len(fields) == 0 || (fields[0] != id && fields[0] != "all") {
			continue
		}
		if len(fields) > 1 {
			return Suppression{Suppressed: true}
		}
		return Suppression{Unreasoned: l}
	}
	return Suppression{}
}

// UnreasonedMessage is the message of the IgnoreWithoutReason finding for a
// directive naming check id.
func UnreasonedMessage(id string) string {
	return fmt.Sprintf("%s %s needs a reason: say why this %s finding does not apply, so the next reader can judge it", IgnoreDirective, id, id)
}

// nolinted reports whether line n, or a line of its own just above, carries a
// golangci-lint directive that covers a check whose peer linters are peers: a
// bare //nolint, //nolint:all, or //nolint:<list> naming one of them. A reason
// is not required here; golangci-lint's own nolintlint polices that.
func nolinted(text func(int) string, n int, peers []string) bool {
	for _, l := range []int{n, n - 1} {
		if l < 1 {
			continue
		}
		line := text(l)
		// "// nolint:gosec" is the older spelling that golangci-lint's own
		// nolintlint now rejects; the author's intent is the same.
		marker := "//nolint"
		i := strings.Index(line, marker)
		if i < 0 {
			marker = "// nolint"
			i = strings.Index(line, marker)
		}
		if i < 0 || (l != n && strings.TrimSpace(line[:i]) != "") {
			continue // on the line above, only a directive on a line of its own counts
		}
		rest := line[i+len(marker):]
		if rest == "" || rest[0] == ' ' || rest[0] == '\t' {
			return true // bare //nolint: every linter
		}
		if rest[0] != ':' {
			continue // //nolintfoo is not a directive
		}
		list, _, _ := strings.Cut(rest[1:], " ")
		for _, name := range strings.Split(list, ",") {
			name = strings.TrimSpace(name)
			if name == "all" || slices.Contains(peers, name) {
				return true
			}
		}
	}
	return false
}

// PeerLinters names the public linters that report what check id reports, so
// that a `//nolint:<name>` directive the code already carries for one of them
// silences the check too: whoever wrote it has judged that line once. It
// returns nil for a check with no such peer.
func PeerLinters(id string) []string {
	switch id {
	case "error-ignored-io", "goroutine-error-dropped", "write-close-unchecked":
		return []string{"errcheck"}
	case "http-body-not-closed":
		return []string{"bodyclose"}
	case "http-no-context":
		return []string{"noctx"}
	case "context-background-in-scope":
		return []string{"contextcheck"}
	case "sql-rows-not-closed":
		return []string{"sqlclosecheck"}
	case "sql-rows-err-unchecked":
		return []string{"rowserrcheck"}
	case "server-no-timeouts":
		return []string{"gosec"}
	}
	return nil
}

// PeerRules returns the rule IDs of a peer linter that report the same
// defect as check id, where a team can switch one rule off in its lint
// configuration: gosec's G112 (a server with no ReadHeaderTimeout) and G114
// (net/http's serve functions, which take no timeouts) for
// server-no-timeouts.
func PeerRules(id string) []string {
	if id == "server-no-timeouts" {
		return []string{"G112", "G114"}
	}
	return nil
}

// LintConfigNames are the file names of a golangci-lint configuration.
var LintConfigNames = []string{".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json"}

// ExcludedRules returns the peer rules of check id (see [PeerRules]) that a
// golangci-lint configuration, given as its text, names. A configuration
// names a gosec rule to exclude it (in gosec's excludes, in an exclusion
// rule's text, or in a list of excluded issues); gosec runs every rule
// unless told otherwise, so naming one is how a team says it chose. Such
// a finding is the team's recorded decision: worth knowing, not a comment.
func ExcludedRules(config, id string) []string {
	var out []string
	for _, r := range PeerRules(id) {
		if ruleNamed(config, r) {
			out = append(out, r)
		}
	}
	return out
}

// ruleNamed reports whether text names the rule r as a word (G112, not
// G1120).
func ruleNamed(text, r string) bool {
	return regexp.MustCompile(`\b` + regexp.QuoteMeta(r) + `\b`).MatchString(text)
}
