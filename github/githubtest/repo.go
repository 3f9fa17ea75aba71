package githubtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Repo is a real git repository in a test's temporary directory.
type Repo struct {
	Dir string
	t   testing.TB
}

// NewRepo runs git init in a fresh t.TempDir() on branch main.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{Dir: t.TempDir(), t: t}
	r.Git("init", "--quiet", "--initial-branch=main")
	r.Git("config", "user.email", "test@example.com")
	r.Git("config", "user.name", "Test")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Git runs git in the repository and returns its trimmed output; it fails
// the test on error.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes a file (slash-separated path), creating directories.
func (r *Repo) Write(path, content string) {
	r.t.Helper()
	full := filepath.Join(r.Dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// Commit stages everything and commits; it returns the new commit's SHA.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "--quiet", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

// Diff returns `git diff base...head` as GitHub serves a pull request's diff.
func (r *Repo) Diff(base, head string) string {
	r.t.Helper()
	cmd := exec.Command("git", "diff", "--no-color", "--no-ext-diff", "--find-renames", "--src-prefix=a/", "--dst-prefix=b/", base+"..."+head)
	cmd.Dir = r.Dir
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("git diff: %v", err)
	}
	return string(out)
}

// Clone runs git clone with args (say --depth=1, --branch=x) of src into a
// fresh temporary directory.
func Clone(t testing.TB, src *Repo, args ...string) *Repo {
	t.Helper()
	dst := &Repo{Dir: filepath.Join(t.TempDir(), "clone"), t: t}
	all := append([]string{"clone", "--quiet"}, args...)
	all = append(all, "file://"+src.Dir, dst.Dir)
	cmd := exec.Command("git", all...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "LC_ALL=C", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	dst.Git("config", "user.email", "test@example.com")
	dst.Git("config", "user.name", "Test")
	return dst
}
