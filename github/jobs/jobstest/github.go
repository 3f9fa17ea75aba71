// Package jobstest is a fake GitHub on 127.0.0.1 for the App's tests: the
// REST endpoints a review job calls, with GitHub's rules for App and
// installation tokens, and real git repositories served over smart HTTP by
// `git http-backend` (net/http/cgi), which demand the installation token.
package jobstest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	gh "github.com/google/go-github/v62/github"
	"github.com/tidwall/sjson"

	"github.com/prodready/prodready/github/githubtest"
	"github.com/prodready/prodready/internal/testenv"
)

// AppID is the fake App's ID.
const AppID = 4242

// GitHub is the fake: githubtest's REST API (reviews, comments, check runs,
// GraphQL, with GitHub's rules) behind a front that adds what an App needs:
// installation tokens, collaborator permissions and git smart HTTP.
type GitHub struct {
	// API is the REST fake; tests read reviews and comments from it.
	API *githubtest.Server
	// URL is the front's root; clone URLs live under /git/.
	URL string
	// PrivateKeyPEM is the App's private key.
	PrivateKeyPEM []byte
	// Token is the installation token the fake issues and demands.
	Token string

	t          testing.TB
	key        *rsa.PrivateKey
	gitRoot    string
	mu         sync.Mutex
	perms      map[string]string
	tokens     int
	beforePack func(r *http.Request)
}

// New starts a fake GitHub, closed at cleanup.
func New(t testing.TB) *GitHub {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	g := &GitHub{
		t: t, key: key, Token: "ghs_fakeinstallationtoken", API: githubtest.New(t),
		PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		gitRoot:       t.TempDir(), perms: map[string]string{},
	}
	g.API.AddToken(g.Token, githubtest.WriteToken("prodready[bot]"))
	api, err := url.Parse(g.API.URL)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(api)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", g.accessToken)
	mux.HandleFunc("GET /repos/{owner}/{repo}/collaborators/{user}/permission", g.permission)
	mux.HandleFunc("/git/", g.git)
	mux.Handle("/", proxy)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Serve both layouts, as GitHub.com (root) and GHES (/api/v3) do.
		if rest, ok := strings.CutPrefix(r.URL.Path, "/api/v3/"); ok {
			if strings.HasPrefix(rest, "app/") || strings.Contains(rest, "/collaborators/") {
				r.URL.Path = "/" + rest
			}
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	g.URL = front.URL
	return g
}

// APIURL is the REST root as GITHUB_API_URL would hold it (GHES layout).
func (g *GitHub) APIURL() string { return g.URL + "/api/v3" }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"})
}

// accessToken checks the App JWT (RS256, signed by the App's key, iss = the
// App ID, at most 10 minutes long) and issues the installation token.
func (g *GitHub) accessToken(w http.ResponseWriter, r *http.Request) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		fail(w, 401, "A JSON web token could not be decoded")
		return
	}
	claims := &jwt.RegisteredClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, func(tk *jwt.Token) (any, error) {
		if tk.Method.Alg() != "RS256" {
			return nil, fmt.Errorf("alg %s", tk.Method.Alg())
		}
		return &g.key.PublicKey, nil
	})
	if err != nil || claims.Issuer != strconv.Itoa(AppID) || claims.ExpiresAt == nil || claims.IssuedAt == nil ||
		claims.ExpiresAt.Sub(claims.IssuedAt.Time) > 11*time.Minute {
		fail(w, 401, "'Expiration time' claim ('exp') is too far in the future, or the JWT is invalid")
		return
	}
	g.mu.Lock()
	g.tokens++
	g.mu.Unlock()
	writeJSON(w, 201, map[string]any{"token": g.Token, "expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
}

// CloneURL is the repository's clone URL on the fake.
func (g *GitHub) CloneURL(owner, repo string) string {
	return g.URL + "/git/" + owner + "/" + repo + ".git"
}

// SetPermission sets a user's permission on every repository.
func (g *GitHub) SetPermission(user, perm string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.perms[user] = perm
}

// FailReviews makes the next n review POSTs answer 502.
func (g *GitHub) FailReviews(n int) {
	g.API.Script(githubtest.Fault{Route: githubtest.RouteCreateReview, Status: http.StatusBadGateway,
		Body: "<html>502 Bad Gateway</html>", Times: n})
}

// BeforeFetch runs f before each git upload-pack request; f may block.
func (g *GitHub) BeforeFetch(f func(r *http.Request)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.beforePack = f
}

// Reviews returns the reviews submitted on a pull request.
func (g *GitHub) Reviews(owner, repo string, n int) []gh.PullRequestReview {
	return g.API.Reviews(owner, repo, n)
}

// Summaries returns a pull request's issue comments that carry the summary marker.
func (g *GitHub) Summaries(owner, repo string, n int) []gh.IssueComment {
	var out []gh.IssueComment
	for _, c := range g.API.IssueComments(owner, repo, n) {
		if strings.Contains(c.GetBody(), "<!-- prodready:summary -->") {
			out = append(out, c)
		}
	}
	return out
}

func (g *GitHub) permission(w http.ResponseWriter, r *http.Request) {
	if a := r.Header.Get("Authorization"); a != "token "+g.Token && a != "Bearer "+g.Token {
		fail(w, 401, "Bad credentials")
		return
	}
	g.mu.Lock()
	p, ok := g.perms[r.PathValue("user")]
	g.mu.Unlock()
	if !ok {
		fail(w, 404, "Not Found")
		return
	}
	writeJSON(w, 200, map[string]any{"permission": p, "user": map[string]any{"login": r.PathValue("user")}})
}

// git serves /git/OWNER/REPO.git over smart HTTP, for the installation token
// only (Basic x-access-token:TOKEN, as GitHub takes it).
func (g *GitHub) git(w http.ResponseWriter, r *http.Request) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+g.Token))
	if r.Header.Get("Authorization") != want {
		w.Header().Set("WWW-Authenticate", `Basic realm="GitHub"`)
		http.Error(w, "authentication required", http.StatusUnauthorized)
		return
	}
	if strings.HasSuffix(r.URL.Path, "/git-upload-pack") {
		g.mu.Lock()
		f := g.beforePack
		g.mu.Unlock()
		if f != nil {
			f(r)
			if r.Context().Err() != nil {
				return
			}
		}
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	h := &cgi.Handler{
		Path: gitPath, Args: []string{"http-backend"},
		Env:    []string{"GIT_PROJECT_ROOT=" + g.gitRoot, "GIT_HTTP_EXPORT_ALL=1", "GIT_CONFIG_NOSYSTEM=1"},
		Stderr: io.Discard,
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, "/git")
	h.ServeHTTP(w, r2)
}

// Repo is a repository on the fake: a work tree to commit in, pushed to the
// bare repository the fake serves.
type Repo struct {
	*githubtest.Repo
	g           *GitHub
	Owner, Name string
	bare        string
}

// NewRepo creates OWNER/NAME with a first commit of files on main, and
// returns it with the commit's SHA.
func (g *GitHub) NewRepo(owner, name string, files map[string]string) (*Repo, string) {
	g.t.Helper()
	r := &Repo{Repo: githubtest.NewRepo(g.t), g: g, Owner: owner, Name: name,
		bare: filepath.Join(g.gitRoot, owner, name+".git")}
	for p, c := range files {
		r.WriteFile(p, c)
	}
	sha := r.Commit("base")
	if err := os.MkdirAll(filepath.Dir(r.bare), 0o755); err != nil {
		g.t.Fatal(err)
	}
	r.Git("clone", "-q", "--bare", r.Dir, r.bare)
	r.Git("--git-dir", r.bare, "config", "uploadpack.allowAnySHA1InWant", "true")
	r.Git("--git-dir", r.bare, "config", "http.receivepack", "false")
	return r, sha
}

// Push commits files on branch (created from main if new) and publishes it.
func (r *Repo) Push(branch string, files map[string]string) string {
	r.g.t.Helper()
	if out := r.Git("branch", "--list", branch); out == "" {
		r.Git("checkout", "-q", "-b", branch, "main")
	} else {
		r.Git("checkout", "-q", branch)
	}
	for p, c := range files {
		r.WriteFile(p, c)
	}
	sha := r.Commit("change on " + branch)
	r.Git("push", "-q", "--force", r.bare, branch)
	return sha
}

// OpenPR registers pull request n from base to head with GitHub's diff.
func (r *Repo) OpenPR(n int, base, head string) {
	r.g.t.Helper()
	r.g.API.AddPR(r.g.t, githubtest.PR{Owner: r.Owner, Repo: r.Name, Number: n, BaseSHA: base, HeadSHA: head, Diff: r.Diff(base, head)})
}

// MovePR moves pull request n's head, as a push to its branch does.
func (r *Repo) MovePR(n int, base, head string) {
	r.g.t.Helper()
	r.g.API.Push(r.g.t, r.Owner, r.Name, n, head, r.Diff(base, head))
}

// ClosePR closes pull request n; its GET then answers state "closed".
func (r *Repo) ClosePR(n int) {
	r.g.t.Helper()
	r.g.API.SetState(r.g.t, r.Owner, r.Name, n, "closed")
}

// FailGetPR makes the next n pull request GETs answer 502.
func (g *GitHub) FailGetPR(n int) {
	g.API.Script(githubtest.Fault{Route: githubtest.RouteGetPR, Status: http.StatusBadGateway,
		Body: "<html>502 Bad Gateway</html>", Times: n})
}

// Fixture reads one of the webhook payloads the repository carries
// (internal/testenv/webhooks).
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	return testenv.Webhook(t, name)
}

// Set edits a JSON payload (sjson paths).
func Set(t testing.TB, payload []byte, edits map[string]any) []byte {
	t.Helper()
	var err error
	for path, v := range edits {
		if payload, err = sjson.SetBytes(payload, path, v); err != nil {
			t.Fatal(err)
		}
	}
	return payload
}

// PullRequestPayload is GitHub's example pull_request payload of action,
// retargeted at a pull request of a repository on the fake.
func (g *GitHub) PullRequestPayload(t testing.TB, action, owner, repo string, n int, base, head string) []byte {
	t.Helper()
	return Set(t, Fixture(t, "pull_request.synchronize.json"), map[string]any{
		"action": action, "number": n, "installation.id": 1,
		"repository.name": repo, "repository.full_name": owner + "/" + repo,
		"repository.owner.login": owner, "repository.clone_url": g.CloneURL(owner, repo),
		"pull_request.number": n, "pull_request.head.sha": head, "pull_request.base.sha": base,
	})
}

// Sign computes X-Hub-Signature-256 for payload.
func Sign(secret string, payload []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(payload)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
