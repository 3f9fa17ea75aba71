// Package change resolves what a review covers in a git repository: the base
// and head commits, the diff between them, and a directory holding the head's
// files.
package change

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNotRepo is returned when the directory is not inside a git work tree.
var ErrNotRepo = errors.New("not a git repository")

// ErrNoBase is returned when no base was given and no default base exists.
var ErrNoBase = errors.New("no default base")

// ErrBadRevision is returned when a revision does not name a commit.
var ErrBadRevision = errors.New("unknown revision")

// Change is a resolved base..head range in a repository.
type Change struct {
	// Root is the top of the work tree.
	Root string
	// Base is the merge base of the requested base and head, as a full SHA.
	Base string
	// Head is the head commit's full SHA.
	Head string
}

// Git runs git in dir and returns its standard output. Errors carry git's
// first line of standard error.
func Git(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-c", "core.quotepath=off"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg == "" {
			msg = err.Error()
		}
		return out, fmt.Errorf("git %s: %s", args[0], msg)
	}
	return out, nil
}

// Root returns the top of the work tree holding dir.
func Root(ctx context.Context, dir string) (string, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s: %w (no such directory)", dir, ErrNotRepo)
	}
	out, err := Git(ctx, dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return "", fmt.Errorf("%s: %w", dir, ErrNotRepo)
	}
	return filepath.Clean(strings.TrimSpace(string(out))), nil
}

// RevParse resolves rev to a full commit SHA.
func RevParse(ctx context.Context, dir, rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%q: %w", rev, ErrBadRevision)
	}
	out, err := Git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%q: %w", rev, ErrBadRevision)
	}
	return strings.TrimSpace(string(out)), nil
}

// DefaultBase finds the branch a change is measured against: origin/HEAD,
// then main, then master (local or on origin).
func DefaultBase(ctx context.Context, dir string) (string, error) {
	for _, rev := range []string{"origin/HEAD", "main", "master", "origin/main", "origin/master"} {
		if _, err := RevParse(ctx, dir, rev); err == nil {
			return rev, nil
		}
	}
	return "", fmt.Errorf("%w: none of origin/HEAD, main or master exists; pass --base", ErrNoBase)
}

// Resolve turns base and head revisions into a Change. An empty head means
// HEAD; an empty base means DefaultBase. Base becomes the merge base of the two.
func Resolve(ctx context.Context, dir, base, head string) (Change, error) {
	root, err := Root(ctx, dir)
	if err != nil {
		return Change{}, err
	}
	if head == "" {
		head = "HEAD"
	}
	headSHA, err := RevParse(ctx, root, head)
	if err != nil {
		return Change{}, fmt.Errorf("--head: %w", err)
	}
	if base == "" {
		if base, err = DefaultBase(ctx, root); err != nil {
			return Change{}, err
		}
	}
	baseSHA, err := RevParse(ctx, root, base)
	if err != nil {
		return Change{}, fmt.Errorf("--base: %w", err)
	}
	out, err := Git(ctx, root, "merge-base", baseSHA, headSHA)
	if err != nil {
		return Change{}, fmt.Errorf("no merge base between %s and %s: %w", base, head, err)
	}
	return Change{Root: root, Base: strings.TrimSpace(string(out)), Head: headSHA}, nil
}

// Diff returns `git diff <base>..<head>` with rename detection, in the plain
// form every diff parser reads (no colour, no external diff, no textconv).
func (c Change) Diff(ctx context.Context) ([]byte, error) {
	out, err := Git(ctx, c.Root, "diff", "--no-color", "--no-ext-diff", "--no-textconv",
		"--find-renames", "--src-prefix=a/", "--dst-prefix=b/", c.Base+".."+c.Head)
	if err != nil {
		return nil, fmt.Errorf("diff %s..%s: %w", short(c.Base), short(c.Head), err)
	}
	return out, nil
}

// Show returns a file's content at rev, and false if it does not exist there.
func Show(ctx context.Context, dir, rev, path string) ([]byte, bool, error) {
	if _, err := Git(ctx, dir, "cat-file", "-e", rev+":"+path); err != nil {
		return nil, false, nil
	}
	out, err := Git(ctx, dir, "show", rev+":"+path)
	if err != nil {
		return nil, false, fmt.Errorf("read %s at %s: %w", path, short(rev), err)
	}
	return out, true, nil
}

// Checkout returns a directory holding head's files. When the work tree is at
// head and the given paths are unmodified, that is the work tree itself;
// otherwise a temporary detached worktree is added, and cleanup removes it.
func (c Change) Checkout(ctx context.Context, paths []string) (dir string, cleanup func(), err error) {
	noop := func() {}
	cur, err := RevParse(ctx, c.Root, "HEAD")
	if err == nil && cur == c.Head {
		args := append([]string{"status", "--porcelain", "--untracked-files=no", "--"}, paths...)
		out, err := Git(ctx, c.Root, args...)
		if err == nil && len(bytes.TrimSpace(out)) == 0 {
			return c.Root, noop, nil
		}
	}
	tmp, err := os.MkdirTemp("", "prodready-head-")
	if err != nil {
		return "", noop, fmt.Errorf("checkout head: %w", err)
	}
	wt := filepath.Join(tmp, "src")
	if _, err := Git(ctx, c.Root, "worktree", "add", "--detach", "--quiet", wt, c.Head); err != nil {
		os.RemoveAll(tmp)
		return "", noop, fmt.Errorf("checkout head %s: %w", short(c.Head), err)
	}
	return wt, func() {
		// Cleanup must run even when ctx has been cancelled.
		_, _ = Git(context.WithoutCancel(ctx), c.Root, "worktree", "remove", "--force", wt)
		os.RemoveAll(tmp)
	}, nil
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
