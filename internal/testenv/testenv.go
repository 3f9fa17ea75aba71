// Package testenv holds helpers that tests across prodready share: real git
// repositories in temporary directories, and the webhook payloads tests send.
package testenv

import (
	"embed"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Webhook returns one of the webhook payloads the repository carries in
// testenv/webhooks, named EVENT.ACTION[.variant].json. They were written for
// prodready to the shapes GitHub documents for each event, with the fields
// prodready reads and the ones around them.
func Webhook(t testing.TB, name string) []byte {
	t.Helper()
	b, err := webhooks.ReadFile("webhooks/" + name)
	if err != nil {
		t.Fatalf("webhook fixture: %v", err)
	}
	return b
}

// WebhookNames lists the carried webhook payloads.
func WebhookNames(t testing.TB) []string {
	t.Helper()
	ents, err := webhooks.ReadDir("webhooks")
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(ents))
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// Shared returns the fixtures folder of the developers' and CI's shared
// checkout (../shared/fixtures beside the repository root) and whether it is
// there. Tests use it only to cross-check the repository's own fixtures; a
// fresh clone has no such folder, and tests must pass without it.
func Shared(t testing.TB) (string, bool) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			f := filepath.Join(d, "..", "shared", "fixtures")
			if st, err := os.Stat(f); err == nil && st.IsDir() {
				return f, true
			}
			return "", false
		}
		if filepath.Dir(d) == d {
			return "", false
		}
	}
}

//go:embed webhooks/*.json
var webhooks embed.FS

// Repo is a real git repository in a temporary directory.
type Repo struct {
	t   testing.TB
	Dir string
}

// NewRepo makes an empty repository with branch main and a committer identity.
func NewRepo(t testing.TB) *Repo {
	t.Helper()
	r := &Repo{t: t, Dir: t.TempDir()}
	r.Git("init", "-q", "-b", "main")
	r.Git("config", "user.email", "test@example.com")
	r.Git("config", "user.name", "Test")
	r.Git("config", "commit.gpgsign", "false")
	return r
}

// Git runs git in the repository and returns its trimmed output.
func (r *Repo) Git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.Dir
	cmd.Env = gitEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// Write writes files (path → content, slash-separated paths) into the work tree.
func (r *Repo) Write(files map[string]string) {
	r.t.Helper()
	WriteTree(r.t, r.Dir, files)
}

// WriteTree writes files (slash-separated paths relative to dir, and their
// contents) under dir, creating directories.
func WriteTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// WriteFile writes one file (slash-separated path), creating directories.
func (r *Repo) WriteFile(path, content string) {
	r.t.Helper()
	r.Write(map[string]string{path: content})
}

// Commit stages everything and commits it, returning the new HEAD SHA.
func (r *Repo) Commit(msg string) string {
	r.t.Helper()
	r.Git("add", "-A")
	r.Git("commit", "-q", "--allow-empty", "-m", msg)
	return r.Git("rev-parse", "HEAD")
}

// Diff returns `git diff base...head` as GitHub serves a pull request's diff.
func (r *Repo) Diff(base, head string) string {
	r.t.Helper()
	cmd := exec.Command("git", "diff", "--no-color", "--no-ext-diff", "--find-renames", "--src-prefix=a/", "--dst-prefix=b/", base+"..."+head)
	cmd.Dir = r.Dir
	cmd.Env = gitEnv()
	out, err := cmd.Output()
	if err != nil {
		r.t.Fatalf("git diff: %v", err)
	}
	return string(out)
}

// Clone runs git clone with args (say --depth=1, --branch=x) of src into a
// fresh temporary directory, as actions/checkout does.
func Clone(t testing.TB, src *Repo, args ...string) *Repo {
	t.Helper()
	dst := &Repo{Dir: filepath.Join(t.TempDir(), "clone"), t: t}
	all := append([]string{"clone", "--quiet"}, args...)
	all = append(all, "file://"+src.Dir, dst.Dir)
	cmd := exec.Command("git", all...)
	cmd.Env = gitEnv()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	dst.Git("config", "user.email", "test@example.com")
	dst.Git("config", "user.name", "Test")
	return dst
}

// gitEnv keeps git from prompting, from reading the machine's config and
// from translating its messages.
func gitEnv() []string {
	return append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C")
}

// GoMod is a minimal go.mod for a test module with no dependencies.
const GoMod = "module example.com/svc\n\ngo 1.22\n"
