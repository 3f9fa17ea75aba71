package action

import (
	"context"
	"fmt"
	"strings"

	"github.com/prodready/prodready/review/change"
)

// EnsureCommits makes base and head, and a merge base between them, present
// in the checkout. actions/checkout fetches one commit by default (the
// pull request's merge commit), so the base is usually missing: fetch both
// commits from origin, deepening until they meet, and unshallow as a last
// resort. Fetching uses the credentials actions/checkout persisted.
func EnsureCommits(ctx context.Context, dir, base, head string) error {
	if connected(ctx, dir, base, head) {
		return nil
	}
	shallow := false
	if out, err := change.Git(ctx, dir, "rev-parse", "--is-shallow-repository"); err == nil {
		shallow = strings.TrimSpace(string(out)) == "true"
	}
	for _, depth := range []string{"--depth=50", "--deepen=500"} {
		args := []string{"fetch", "--no-tags", "--no-recurse-submodules", "--quiet", depth, "origin", base, head}
		if !shallow && depth == "--depth=50" {
			args = []string{"fetch", "--no-tags", "--no-recurse-submodules", "--quiet", "origin", base, head}
		}
		if _, err := change.Git(ctx, dir, args...); err != nil {
			return fmt.Errorf("fetch base %s and head %s from origin: %w; give actions/checkout fetch-depth: 0", shortSHA(base), shortSHA(head), err)
		}
		if connected(ctx, dir, base, head) {
			return nil
		}
		if !shallow {
			break
		}
	}
	if shallow {
		if _, err := change.Git(ctx, dir, "fetch", "--no-tags", "--no-recurse-submodules", "--quiet", "--unshallow", "origin"); err != nil {
			return fmt.Errorf("unshallow the checkout: %w; give actions/checkout fetch-depth: 0", err)
		}
		if connected(ctx, dir, base, head) {
			return nil
		}
	}
	return fmt.Errorf("base %s and head %s share no history in this checkout; give actions/checkout fetch-depth: 0", shortSHA(base), shortSHA(head))
}

// connected reports whether both commits exist and have a merge base.
func connected(ctx context.Context, dir, base, head string) bool {
	for _, c := range []string{base, head} {
		if _, err := change.Git(ctx, dir, "cat-file", "-e", c+"^{commit}"); err != nil {
			return false
		}
	}
	_, err := change.Git(ctx, dir, "merge-base", base, head)
	return err == nil
}
