package githubtest

import (
	"testing"

	"github.com/prodready/prodready/internal/testenv"
)

// Repo is a real git repository in a test's temporary directory; it is the
// one in internal/testenv, named here so GitHub tests need one import.
type Repo = testenv.Repo

// NewRepo runs git init in a fresh t.TempDir() on branch main.
func NewRepo(t testing.TB) *Repo { return testenv.NewRepo(t) }

// Clone runs git clone with args (say --depth=1, --branch=x) of src into a
// fresh temporary directory.
func Clone(t testing.TB, src *Repo, args ...string) *Repo { return testenv.Clone(t, src, args...) }
