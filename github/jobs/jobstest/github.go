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
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
	"github.com/tidwall/sjson"

	"github.com/prodready/prodready/internal/testenv"
)

// AppID is the fake App's ID.
const AppID = 4242

// Review is a review the fake received.
type Review struct {
	ID       int64
	Owner    string
	Repo     string
	Number   int
	CommitID string
	Event    string
	Body     string
	Comments []ReviewComment
}

// ReviewComment is one inline comment of a review.
type ReviewComment struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Body string `json:"body"`
}

// Comment is an issue comment.
type Comment struct {
	ID     int64  `json:"id"`
	Number int    `json:"-"`
	Body   string `json:"body"`
}

// PR is a pull request the fake knows.
type PR struct {
	Owner, Repo string
	Number      int
	Base, Head  string
}

// GitHub is the fake.
type GitHub struct {
	// URL is the REST API root and the git host (clone URLs live under /git/).
	URL string
	// PrivateKeyPEM is the App's private key.
	PrivateKeyPEM []byte
	// Token is the installation token the fake issues and demands.
	Token string

	t        testing.TB
	key      *rsa.PrivateKey
	gitRoot  string
	srv      *httptest.Server
	mu       sync.Mutex
	nextID   int64
	prs      map[string]*PR
	reviews  []Review
	comments []*Comment
	perms    map[string]string
	// failReviews answers the next n review POSTs with 502.
	failReviews int
	// reviewPosts counts review POSTs, failed ones included.
	reviewPosts int
	tokens      int
	beforePack  func(r *http.Request)
}

// New starts a fake GitHub, closed at cleanup.
func New(t testing.TB) *GitHub {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	g := &GitHub{
		t: t, key: key, Token: "ghs_fakeinstallationtoken",
		PrivateKeyPEM: pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}),
		gitRoot:       t.TempDir(), prs: map[string]*PR{}, perms: map[string]string{}, nextID: 1000,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /app/installations/{id}/access_tokens", g.accessToken)
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{n}", g.auth(g.getPR))
	mux.HandleFunc("GET /repos/{owner}/{repo}/collaborators/{user}/permission", g.auth(g.permission))
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{n}/reviews", g.auth(g.listReviews))
	mux.HandleFunc("POST /repos/{owner}/{repo}/pulls/{n}/reviews", g.auth(g.createReview))
	mux.HandleFunc("GET /repos/{owner}/{repo}/pulls/{n}/comments", g.auth(g.listReviewComments))
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{n}/comments", g.auth(g.listComments))
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues/{n}/comments", g.auth(g.createComment))
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/comments/{id}", g.auth(g.editComment))
	mux.HandleFunc("/git/", g.git)
	g.srv = httptest.NewServer(mux)
	t.Cleanup(g.srv.Close)
	g.URL = g.srv.URL
	return g
}

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

// auth demands the installation token.
func (g *GitHub) auth(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a := r.Header.Get("Authorization")
		if a != "token "+g.Token && a != "Bearer "+g.Token {
			fail(w, 401, "Bad credentials")
			return
		}
		h(w, r)
	}
}

func prKey(owner, repo string, n int) string { return fmt.Sprintf("%s/%s#%d", owner, repo, n) }

func number(r *http.Request) int {
	n, _ := strconv.Atoi(r.PathValue("n"))
	return n
}

// CloneURL is the repository's clone URL on the fake.
func (g *GitHub) CloneURL(owner, repo string) string {
	return g.URL + "/git/" + owner + "/" + repo + ".git"
}

// SetPR creates or moves a pull request.
func (g *GitHub) SetPR(owner, repo string, n int, base, head string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.prs[prKey(owner, repo, n)] = &PR{Owner: owner, Repo: repo, Number: n, Base: base, Head: head}
}

// SetPermission sets a user's permission on every repository.
func (g *GitHub) SetPermission(user, perm string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.perms[user] = perm
}

// FailReviews makes the next n review POSTs answer 502.
func (g *GitHub) FailReviews(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failReviews = n
}

// BeforeFetch runs f before each git upload-pack request; f may block.
func (g *GitHub) BeforeFetch(f func(r *http.Request)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.beforePack = f
}

// Reviews returns the reviews received.
func (g *GitHub) Reviews() []Review {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Review(nil), g.reviews...)
}

// ReviewPosts counts review POSTs, the failed ones included.
func (g *GitHub) ReviewPosts() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.reviewPosts
}

// Comments returns a pull request's issue comments.
func (g *GitHub) Comments(n int) []Comment {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []Comment
	for _, c := range g.comments {
		if c.Number == n {
			out = append(out, *c)
		}
	}
	return out
}

func (g *GitHub) getPR(w http.ResponseWriter, r *http.Request) {
	owner, repo := r.PathValue("owner"), r.PathValue("repo")
	g.mu.Lock()
	pr, ok := g.prs[prKey(owner, repo, number(r))]
	g.mu.Unlock()
	if !ok {
		fail(w, 404, "Not Found")
		return
	}
	repoJSON := map[string]any{"name": repo, "full_name": owner + "/" + repo, "clone_url": g.CloneURL(owner, repo)}
	writeJSON(w, 200, map[string]any{
		"number": pr.Number, "state": "open",
		"head": map[string]any{"sha": pr.Head, "ref": "feature", "repo": repoJSON},
		"base": map[string]any{"sha": pr.Base, "ref": "main", "repo": repoJSON},
	})
}

func (g *GitHub) permission(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	p, ok := g.perms[r.PathValue("user")]
	g.mu.Unlock()
	if !ok {
		fail(w, 404, "Not Found")
		return
	}
	writeJSON(w, 200, map[string]any{"permission": p, "user": map[string]any{"login": r.PathValue("user")}})
}

func (g *GitHub) listReviews(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []map[string]any{}
	for _, rv := range g.reviews {
		if rv.Owner == r.PathValue("owner") && rv.Repo == r.PathValue("repo") && rv.Number == number(r) {
			out = append(out, map[string]any{"id": rv.ID, "body": rv.Body, "commit_id": rv.CommitID, "state": "COMMENTED"})
		}
	}
	writeJSON(w, 200, out)
}

func (g *GitHub) listReviewComments(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []map[string]any{}
	for _, rv := range g.reviews {
		if rv.Owner == r.PathValue("owner") && rv.Repo == r.PathValue("repo") && rv.Number == number(r) {
			for _, c := range rv.Comments {
				out = append(out, map[string]any{"path": c.Path, "line": c.Line, "body": c.Body})
			}
		}
	}
	writeJSON(w, 200, out)
}

// createReview enforces GitHub's rules: a known pull request, its head or an
// earlier commit as commit_id, a valid event, and a body for COMMENT.
func (g *GitHub) createReview(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CommitID string          `json:"commit_id"`
		Event    string          `json:"event"`
		Body     string          `json:"body"`
		Comments []ReviewComment `json:"comments"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 10<<20)).Decode(&req); err != nil {
		fail(w, 400, "Problems parsing JSON")
		return
	}
	owner, repo, n := r.PathValue("owner"), r.PathValue("repo"), number(r)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reviewPosts++
	if g.failReviews > 0 {
		g.failReviews--
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
		return
	}
	if _, ok := g.prs[prKey(owner, repo, n)]; !ok {
		fail(w, 404, "Not Found")
		return
	}
	switch req.Event {
	case "COMMENT", "REQUEST_CHANGES", "APPROVE", "":
	default:
		fail(w, 422, "Unprocessable Entity: event is not one of APPROVE, REQUEST_CHANGES, COMMENT")
		return
	}
	if req.Event == "COMMENT" && req.Body == "" && len(req.Comments) == 0 {
		fail(w, 422, "Unprocessable Entity: body is required for COMMENT")
		return
	}
	if len(req.CommitID) != 40 {
		fail(w, 422, "Unprocessable Entity: commit_id is not part of the pull request")
		return
	}
	g.nextID++
	g.reviews = append(g.reviews, Review{ID: g.nextID, Owner: owner, Repo: repo, Number: n, CommitID: req.CommitID,
		Event: req.Event, Body: req.Body, Comments: req.Comments})
	writeJSON(w, 200, map[string]any{"id": g.nextID, "body": req.Body, "commit_id": req.CommitID, "state": "COMMENTED"})
}

func (g *GitHub) listComments(w http.ResponseWriter, r *http.Request) {
	n := number(r)
	g.mu.Lock()
	defer g.mu.Unlock()
	out := []*Comment{}
	for _, c := range g.comments {
		if c.Number == n {
			out = append(out, c)
		}
	}
	writeJSON(w, 200, out)
}

func (g *GitHub) createComment(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || req.Body == "" {
		fail(w, 422, "Unprocessable Entity: body is required")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.nextID++
	c := &Comment{ID: g.nextID, Number: number(r), Body: req.Body}
	g.comments = append(g.comments, c)
	writeJSON(w, 201, c)
}

func (g *GitHub) editComment(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Body string `json:"body"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil || req.Body == "" {
		fail(w, 422, "Unprocessable Entity: body is required")
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, c := range g.comments {
		if c.ID == id {
			c.Body = req.Body
			writeJSON(w, 200, c)
			return
		}
	}
	fail(w, 404, "Not Found")
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
	*testenv.Repo
	g           *GitHub
	Owner, Name string
	bare        string
}

// NewRepo creates OWNER/NAME with a first commit of files on main, and
// returns it with the commit's SHA.
func (g *GitHub) NewRepo(owner, name string, files map[string]string) (*Repo, string) {
	g.t.Helper()
	r := &Repo{Repo: testenv.NewRepo(g.t), g: g, Owner: owner, Name: name,
		bare: filepath.Join(g.gitRoot, owner, name+".git")}
	r.Write(files)
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
	r.Write(files)
	sha := r.Commit("change on " + branch)
	r.Git("push", "-q", "--force", r.bare, branch)
	return sha
}

// Fixture reads one of GitHub's example webhook payloads from the shared
// fixtures (../shared/fixtures/webhooks beside the repository, or beside one
// of its parent folders).
func Fixture(t testing.TB, name string) []byte {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		b, err := os.ReadFile(filepath.Join(d, "shared", "fixtures", "webhooks", name))
		if err == nil {
			return b
		}
		if filepath.Dir(d) == d {
			t.Fatalf("webhook fixture %s not found above %s (want ../shared/fixtures/webhooks)", name, dir)
		}
	}
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
