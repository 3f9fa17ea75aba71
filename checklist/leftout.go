package checklist

import "strings"

// LeftOut is a check from the catalogue that does not ship, with the reason
// it cannot yet reach the precision bar. CHECKS.md prints these.
type LeftOut struct {
	// ID is the check's catalogue ID.
	ID string
	// Question is the question it would answer ("fails-halfway", ...).
	Question string
	// Reason says why it is left out.
	Reason string
}

// LeftOutChecks returns every catalogue check that does not ship, with its
// reason, in catalogue order.
func LeftOutChecks() []LeftOut {
	var out []LeftOut
	out = append(out, leftOutFailsHalfway()...)
	return out
}

// PeerNote compares a check with the public linter it overlaps, on the kinds
// of case that linter's own tests cover. It returns "" when the check has no
// public peer. (Kept apart from Check so that the catalog struct stays
// unchanged; CHECKS.md prints it under the check.)
func PeerNote(id string) string {
	return strings.TrimSpace(peerNotes()[id] + " " + docPeer(id))
}

// peerNotes maps check IDs to their peer comparison.
func peerNotes() map[string]string {
	m := map[string]string{}
	for id, note := range failsHalfwayPeers() {
		m[id] = note
	}
	return m
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
