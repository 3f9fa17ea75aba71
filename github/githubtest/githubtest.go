// Package githubtest is a fake GitHub API on 127.0.0.1 for tests. It keeps
// pull requests, their diffs, review comments, reviews, issue comments, check
// runs and review threads in memory, and it enforces the rules of the real
// API that prodready must survive:
//
//   - a review comment on a line outside the diff gets 422 "Pull request
//     review thread line must be part of the diff"; start_line must lie in the
//     same hunk and before line;
//   - lists paginate with Link headers (per_page up to 100);
//   - each token has permissions; a read-only token gets 403 "Resource not
//     accessible by integration";
//   - faults (a 403 secondary rate limit with Retry-After, a 5xx) can be
//     scripted for the next matching requests;
//   - GraphQL answers reviewThreads and resolveReviewThread.
//
// The REST API is served both at the root and under /api/v3 (GitHub
// Enterprise Server's layout); GraphQL at /graphql and /api/graphql. Every
// call is counted by route.
package githubtest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/review/patch"
)

// Routes, as GitHub's documentation names them; Server.Calls counts by these.
const (
	RouteGetPR                = "GET /repos/{owner}/{repo}/pulls/{pull_number}"
	RouteListReviewComments   = "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments"
	RouteCreateReviewComment  = "POST /repos/{owner}/{repo}/pulls/{pull_number}/comments"
	RouteCreateReview         = "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews"
	RouteListReviews          = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews"
	RouteListCommentsOfReview = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments"
	RouteDeleteReview         = "DELETE /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}"
	RouteListIssueComments    = "GET /repos/{owner}/{repo}/issues/{issue_number}/comments"
	RouteCreateIssueComment   = "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"
	RouteEditIssueComment     = "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"
	RouteCreateCheckRun       = "POST /repos/{owner}/{repo}/check-runs"
	RouteUpdateCheckRun       = "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"
	RouteGraphQL              = "POST /graphql"
	RouteGetContents          = "GET /repos/{owner}/{repo}/contents/{path}"
)

// Permission levels.
const (
	None  = ""
	Read  = "read"
	Write = "write"
)

// Token describes what a token may do. Keys of Perms are GitHub's permission
// names: "pull_requests", "issues", "checks", "contents".
type Token struct {
	Login string
	Perms map[string]string
}

// WriteToken may do everything prodready does.
func WriteToken(login string) Token {
	return Token{Login: login, Perms: map[string]string{
		"pull_requests": Write, "issues": Write, "checks": Write, "contents": Read,
	}}
}

// ReadOnlyToken is what a fork's pull_request workflow gets.
func ReadOnlyToken(login string) Token {
	return Token{Login: login, Perms: map[string]string{
		"pull_requests": Read, "issues": Read, "checks": Read, "contents": Read,
	}}
}

// PR is a pull request the server knows.
type PR struct {
	Owner, Repo string
	Number      int
	BaseSHA     string
	HeadSHA     string
	// Diff is `git diff base...head`, as GitHub serves it.
	Diff string
	// Fork marks a pull request whose head lives in another repository.
	Fork bool
	// State is "open" (the default when empty) or "closed".
	State string
}

// Fault is a scripted answer for the next Times requests matching Route.
type Fault struct {
	Route  string
	Status int
	Header http.Header
	Body   string
	Times  int
}

// SecondaryRateLimit is the fault GitHub answers when content is created
// too fast: 403 with Retry-After.
func SecondaryRateLimit(route string, retryAfter time.Duration) Fault {
	return Fault{
		Route: route, Status: http.StatusForbidden, Times: 1,
		Header: http.Header{"Retry-After": {strconv.Itoa(int(retryAfter / time.Second))}},
		Body: `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",` +
			`"documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`,
	}
}

// Server is the fake. Create it with New.
type Server struct {
	// URL is the server's root, e.g. http://127.0.0.1:PORT.
	URL string
	// Mux lets a test serve more routes beside the API (git smart HTTP, say);
	// anything the API does not claim is passed to it.
	Mux *http.ServeMux

	srv *httptest.Server

	mu       sync.Mutex
	tokens   map[string]Token
	prs      map[string]*prState
	calls    map[string]int
	faults   []*Fault
	nextID   int64
	files    map[string]string // owner/repo@ref:path → content
	checks   []*gh.CheckRun
	checkAnn map[int64][]*gh.CheckRunAnnotation
}

type prState struct {
	PR
	diffs          map[string]*patch.Patch // by head SHA
	comments       []*gh.PullRequestComment
	reviews        []*gh.PullRequestReview
	pendingByLogin map[string]int64
	pending        map[int64][]*gh.PullRequestComment
	issueComments  []*gh.IssueComment
	resolved       map[int64]bool // by thread root comment ID
}

// New starts a server on 127.0.0.1 and closes it when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		Mux:      http.NewServeMux(),
		tokens:   map[string]Token{},
		prs:      map[string]*prState{},
		calls:    map[string]int{},
		files:    map[string]string{},
		nextID:   1000,
		checkAnn: map[int64][]*gh.CheckRunAnnotation{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// APIURL is the REST root in GitHub Enterprise Server's layout, as
// GITHUB_API_URL would hold it.
func (s *Server) APIURL() string { return s.URL + "/api/v3" }

// GraphQLURL is the GraphQL endpoint matching APIURL.
func (s *Server) GraphQLURL() string { return s.URL + "/api/graphql" }

// AddToken registers a token.
func (s *Server) AddToken(token string, tok Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = tok
}

// AddPR registers a pull request with its diff. It fails the test if the diff
// does not parse.
func (s *Server) AddPR(t testing.TB, pr PR) {
	t.Helper()
	p, err := patch.Parse(strings.NewReader(pr.Diff))
	if err != nil {
		t.Fatalf("githubtest: AddPR: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prs[key(pr.Owner, pr.Repo, pr.Number)] = &prState{
		PR:             pr,
		diffs:          map[string]*patch.Patch{pr.HeadSHA: p},
		pendingByLogin: map[string]int64{},
		pending:        map[int64][]*gh.PullRequestComment{},
		resolved:       map[int64]bool{},
	}
}

// Push moves a pull request's head to a new commit with a new diff.
func (s *Server) Push(t testing.TB, owner, repo string, number int, headSHA, diff string) {
	t.Helper()
	p, err := patch.Parse(strings.NewReader(diff))
	if err != nil {
		t.Fatalf("githubtest: Push: %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	if pr == nil {
		t.Fatalf("githubtest: Push: no PR %s/%s#%d", owner, repo, number)
	}
	pr.HeadSHA, pr.Diff = headSHA, diff
	pr.diffs[headSHA] = p
}

// SetState sets a pull request's state, "open" or "closed", as closing or
// reopening it on GitHub does.
func (s *Server) SetState(t testing.TB, owner, repo string, number int, state string) {
	t.Helper()
	if state != "open" && state != "closed" {
		t.Fatalf("githubtest: SetState: state %q, want open or closed", state)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	if pr == nil {
		t.Fatalf("githubtest: SetState: no PR %s/%s#%d", owner, repo, number)
	}
	pr.State = state
}

// SetFile serves content as path at ref of owner/repo through the contents API.
func (s *Server) SetFile(owner, repo, ref, path, content string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[owner+"/"+repo+"@"+ref+":"+path] = content
}

// Script queues a fault.
func (s *Server) Script(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Times <= 0 {
		f.Times = 1
	}
	s.faults = append(s.faults, &f)
}

// Calls returns how many requests hit route (faults included).
func (s *Server) Calls(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[route]
}

// ResetCalls zeroes every counter.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
}

// copies returns the values behind ps, so callers cannot race the server.
func copies[T any](ps []*T) []T {
	out := make([]T, 0, len(ps))
	for _, p := range ps {
		out = append(out, *p)
	}
	return out
}

// ReviewComments returns copies of the submitted review comments of a PR.
func (s *Server) ReviewComments(owner, repo string, number int) []gh.PullRequestComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pr := s.prs[key(owner, repo, number)]; pr != nil {
		return copies(pr.comments)
	}
	return nil
}

// Reviews returns copies of the submitted reviews of a PR.
func (s *Server) Reviews(owner, repo string, number int) []gh.PullRequestReview {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pr := s.prs[key(owner, repo, number)]; pr != nil {
		return copies(pr.reviews)
	}
	return nil
}

// IssueComments returns copies of a PR's issue comments.
func (s *Server) IssueComments(owner, repo string, number int) []gh.IssueComment {
	s.mu.Lock()
	defer s.mu.Unlock()
	if pr := s.prs[key(owner, repo, number)]; pr != nil {
		return copies(pr.issueComments)
	}
	return nil
}

// CheckRuns returns copies of every check run, with all their annotations.
func (s *Server) CheckRuns() []CheckRun {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []CheckRun
	for _, c := range s.checks {
		var anns []gh.CheckRunAnnotation
		for _, a := range s.checkAnn[c.GetID()] {
			anns = append(anns, *a)
		}
		out = append(out, CheckRun{Run: *c, Annotations: anns})
	}
	return out
}

// CheckRun is a check run and the annotations it accumulated.
type CheckRun struct {
	Run         gh.CheckRun
	Annotations []gh.CheckRunAnnotation
}

// Resolved reports whether the thread rooted at comment id is resolved.
func (s *Server) Resolved(owner, repo string, number int, id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	return pr != nil && pr.resolved[id]
}

// AddReply adds a reply by login to review comment inReplyTo, as a human would.
func (s *Server) AddReply(owner, repo string, number int, inReplyTo int64, login, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	if pr == nil {
		return
	}
	var root *gh.PullRequestComment
	for _, c := range pr.comments {
		if c.GetID() == inReplyTo {
			root = c
		}
	}
	if root == nil {
		return
	}
	c := s.newComment(pr, login, body)
	c.InReplyTo = gh.Int64(inReplyTo)
	c.Path, c.Line, c.CommitID = root.Path, root.Line, root.CommitID
	pr.comments = append(pr.comments, c)
}

func key(owner, repo string, n int) string { return fmt.Sprintf("%s/%s#%d", owner, repo, n) }

// apiError writes GitHub's error shape.
func apiError(w http.ResponseWriter, status int, msg string, errs ...string) {
	body := map[string]any{"message": msg, "documentation_url": "https://docs.github.com/rest"}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

var (
	rePR             = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)$`)
	rePRComments     = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)/comments$`)
	rePRReviews      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews$`)
	rePRReview       = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews/(\d+)$`)
	rePRReviewCmts   = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews/(\d+)/comments$`)
	reIssueComments  = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$`)
	reIssueComment   = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$`)
	reCheckRuns      = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs$`)
	reCheckRun       = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs/(\d+)$`)
	reCheckRunAnnots = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/check-runs/(\d+)/annotations$`)
	reContents       = regexp.MustCompile(`^/repos/([^/]+)/([^/]+)/contents/(.+)$`)
)

// route names a request, or "" when the API does not serve it.
func route(method, p string) (string, []string) {
	type rt struct {
		re     *regexp.Regexp
		method string
		name   string
	}
	for _, r := range []rt{
		{rePR, "GET", RouteGetPR},
		{rePRComments, "GET", RouteListReviewComments},
		{rePRComments, "POST", RouteCreateReviewComment},
		{rePRReviews, "POST", RouteCreateReview},
		{rePRReviews, "GET", RouteListReviews},
		{rePRReview, "DELETE", RouteDeleteReview},
		{rePRReviewCmts, "GET", RouteListCommentsOfReview},
		{reIssueComments, "GET", RouteListIssueComments},
		{reIssueComments, "POST", RouteCreateIssueComment},
		{reIssueComment, "PATCH", RouteEditIssueComment},
		{reCheckRuns, "POST", RouteCreateCheckRun},
		{reCheckRun, "PATCH", RouteUpdateCheckRun},
		{reContents, "GET", RouteGetContents},
		{reCheckRunAnnots, "GET", "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations"},
	} {
		if r.method != method {
			continue
		}
		if m := r.re.FindStringSubmatch(p); m != nil {
			return r.name, m[1:]
		}
	}
	if method == "POST" && (p == "/graphql" || p == "/api/graphql") {
		return RouteGraphQL, nil
	}
	return "", nil
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if strings.HasPrefix(p, "/api/v3/") {
		p = strings.TrimPrefix(p, "/api/v3")
	}
	name, args := route(r.Method, p)
	if name == "" {
		if strings.HasPrefix(p, "/repos/") || p == "/graphql" {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		s.Mux.ServeHTTP(w, r)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[name]++
	for i, f := range s.faults {
		if f.Route != name {
			continue
		}
		f.Times--
		if f.Times <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		for k, vs := range f.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(f.Status)
		_, _ = io.WriteString(w, f.Body)
		return
	}
	tok, ok := s.auth(r)
	if !ok {
		apiError(w, http.StatusUnauthorized, "Bad credentials")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err != nil {
		apiError(w, http.StatusBadRequest, "could not read body")
		return
	}
	if name == RouteGraphQL {
		s.graphql(w, tok, body)
		return
	}
	var pr *prState
	if len(args) >= 3 && (strings.Contains(name, "pulls") || strings.Contains(name, "issues/{issue_number}")) {
		n, _ := strconv.Atoi(args[2])
		pr = s.prs[key(args[0], args[1], n)]
		if pr == nil {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
	}
	need := map[string][2]string{
		RouteGetPR:                {"pull_requests", Read},
		RouteListReviewComments:   {"pull_requests", Read},
		RouteListReviews:          {"pull_requests", Read},
		RouteListCommentsOfReview: {"pull_requests", Read},
		RouteCreateReviewComment:  {"pull_requests", Write},
		RouteCreateReview:         {"pull_requests", Write},
		RouteDeleteReview:         {"pull_requests", Write},
		RouteListIssueComments:    {"issues", Read},
		RouteCreateCheckRun:       {"checks", Write},
		RouteUpdateCheckRun:       {"checks", Write},
		RouteGetContents:          {"contents", Read},
	}[name]
	switch name {
	case RouteCreateIssueComment, RouteEditIssueComment:
		// An issue comment on a pull request needs issues or pull_requests write.
		if !allows(tok, "issues", Write) && !allows(tok, "pull_requests", Write) {
			apiError(w, http.StatusForbidden, "Resource not accessible by integration")
			return
		}
	case RouteListIssueComments:
		if !allows(tok, "issues", Read) && !allows(tok, "pull_requests", Read) {
			apiError(w, http.StatusForbidden, "Resource not accessible by integration")
			return
		}
	default:
		if need[0] != "" && !allows(tok, need[0], need[1]) {
			apiError(w, http.StatusForbidden, "Resource not accessible by integration")
			return
		}
	}
	switch name {
	case RouteGetPR:
		s.getPR(w, r, pr)
	case RouteListReviewComments:
		list := make([]any, 0, len(pr.comments))
		for _, c := range pr.comments {
			list = append(list, c)
		}
		s.paginate(w, r, list)
	case RouteListReviews:
		list := make([]any, 0, len(pr.reviews))
		for _, rv := range pr.reviews {
			list = append(list, rv)
		}
		s.paginate(w, r, list)
	case RouteListCommentsOfReview:
		id, _ := strconv.ParseInt(args[3], 10, 64)
		list := []any{}
		for _, c := range pr.comments {
			if c.GetPullRequestReviewID() == id {
				list = append(list, c)
			}
		}
		s.paginate(w, r, list)
	case RouteCreateReview:
		s.createReview(w, tok, pr, body)
	case RouteDeleteReview:
		id, _ := strconv.ParseInt(args[3], 10, 64)
		s.deleteReview(w, tok, pr, id)
	case RouteCreateReviewComment:
		s.createReviewComment(w, tok, pr, body)
	case RouteListIssueComments:
		list := make([]any, 0, len(pr.issueComments))
		for _, c := range pr.issueComments {
			list = append(list, c)
		}
		s.paginate(w, r, list)
	case RouteCreateIssueComment:
		var in struct {
			Body *string `json:"body"`
		}
		if json.Unmarshal(body, &in) != nil || in.Body == nil {
			apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "body is missing")
			return
		}
		if len(*in.Body) > 65536 {
			apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "body is too long (maximum is 65536 characters)")
			return
		}
		s.nextID++
		c := &gh.IssueComment{ID: gh.Int64(s.nextID), Body: in.Body, User: &gh.User{Login: gh.String(tok.Login)},
			HTMLURL: gh.String(fmt.Sprintf("%s/%s/%s/pull/%d#issuecomment-%d", s.URL, pr.Owner, pr.Repo, pr.Number, s.nextID))}
		pr.issueComments = append(pr.issueComments, c)
		writeJSON(w, http.StatusCreated, c)
	case RouteEditIssueComment:
		id, _ := strconv.ParseInt(args[2], 10, 64)
		s.editIssueComment(w, tok, args[0], args[1], id, body)
	case RouteGetContents:
		content, ok := s.files[args[0]+"/"+args[1]+"@"+r.URL.Query().Get("ref")+":"+args[2]]
		if !ok {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"type": "file", "encoding": "base64", "path": args[2],
			"name": path.Base(args[2]), "size": len(content), "content": base64.StdEncoding.EncodeToString([]byte(content))})
	case RouteCreateCheckRun:
		s.createCheckRun(w, body)
	case RouteUpdateCheckRun:
		id, _ := strconv.ParseInt(args[2], 10, 64)
		s.updateCheckRun(w, id, body)
	default:
		apiError(w, http.StatusNotFound, "Not Found")
	}
}

func (s *Server) auth(r *http.Request) (Token, bool) {
	h := r.Header.Get("Authorization")
	var tok string
	switch {
	case strings.HasPrefix(h, "Bearer "):
		tok = strings.TrimPrefix(h, "Bearer ")
	case strings.HasPrefix(h, "token "):
		tok = strings.TrimPrefix(h, "token ")
	}
	t, ok := s.tokens[tok]
	return t, ok && tok != ""
}

func allows(t Token, perm, level string) bool {
	have := t.Perms[perm]
	switch level {
	case Read:
		return have == Read || have == Write
	case Write:
		return have == Write
	}
	return true
}

func (s *Server) getPR(w http.ResponseWriter, r *http.Request, pr *prState) {
	if strings.Contains(r.Header.Get("Accept"), "diff") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, pr.Diff)
		return
	}
	headRepo := pr.Owner + "/" + pr.Repo
	if pr.Fork {
		headRepo = "forker/" + pr.Repo
	}
	baseRepo := pr.Owner + "/" + pr.Repo
	state := pr.State
	if state == "" {
		state = "open"
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"number": pr.Number, "state": state,
		"html_url": fmt.Sprintf("%s/%s/pull/%d", s.URL, baseRepo, pr.Number),
		"head": map[string]any{"sha": pr.HeadSHA, "ref": "feature", "repo": map[string]any{
			"full_name": headRepo, "fork": pr.Fork, "clone_url": s.URL + "/" + headRepo + ".git"}},
		"base": map[string]any{"sha": pr.BaseSHA, "ref": "main", "repo": map[string]any{
			"full_name": baseRepo, "clone_url": s.URL + "/" + baseRepo + ".git"}},
	})
}

// paginate serves list with GitHub's page/per_page parameters and Link header.
func (s *Server) paginate(w http.ResponseWriter, r *http.Request, list []any) {
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	if per <= 0 {
		per = 30
	}
	if per > 100 {
		per = 100
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	if page <= 0 {
		page = 1
	}
	last := (len(list) + per - 1) / per
	if last == 0 {
		last = 1
	}
	lo := (page - 1) * per
	hi := lo + per
	if lo > len(list) {
		lo = len(list)
	}
	if hi > len(list) {
		hi = len(list)
	}
	link := func(p int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	writeJSON(w, http.StatusOK, list[lo:hi])
}

type draftComment struct {
	Path        *string `json:"path"`
	Body        *string `json:"body"`
	Line        *int    `json:"line"`
	Side        *string `json:"side"`
	StartLine   *int    `json:"start_line"`
	StartSide   *string `json:"start_side"`
	Position    *int    `json:"position"`
	SubjectType *string `json:"subject_type"`
	CommitID    *string `json:"commit_id"`
	InReplyTo   *int64  `json:"in_reply_to"`
}

// checkAnchor applies GitHub's rules to one comment's anchor against the
// diff at commit, and returns the message GitHub would give.
func checkAnchor(p *patch.Patch, c draftComment, fileLevelOK bool) string {
	if c.Path == nil || *c.Path == "" {
		return "Path can't be blank"
	}
	f := p.File(*c.Path)
	if f == nil || f.IsDelete {
		return "Path could not be resolved"
	}
	if c.SubjectType != nil && *c.SubjectType == "file" {
		if !fileLevelOK {
			return "Subject type file is not supported here"
		}
		return ""
	}
	if c.Position != nil {
		return "Position is not supported with line; use line and side"
	}
	if c.Line == nil {
		return "Line can't be blank"
	}
	if c.Side != nil && *c.Side != "RIGHT" {
		return "Pull request review thread side must be RIGHT for new lines"
	}
	if !f.InHunk(*c.Line) {
		return "Pull request review thread line must be part of the diff"
	}
	if c.StartLine != nil {
		if *c.StartLine >= *c.Line {
			return "Pull request review thread start_line must precede the end line."
		}
		if f.HunkIndex(*c.StartLine) != f.HunkIndex(*c.Line) {
			return "Pull request review thread start_line must be part of the same hunk as the line."
		}
	}
	return ""
}

func (s *Server) newComment(pr *prState, login, body string) *gh.PullRequestComment {
	s.nextID++
	return &gh.PullRequestComment{
		ID:       gh.Int64(s.nextID),
		NodeID:   gh.String(fmt.Sprintf("PRRC_%d", s.nextID)),
		Body:     gh.String(body),
		User:     &gh.User{Login: gh.String(login)},
		HTMLURL:  gh.String(fmt.Sprintf("%s/%s/%s/pull/%d#discussion_r%d", s.URL, pr.Owner, pr.Repo, pr.Number, s.nextID)),
		CommitID: gh.String(pr.HeadSHA),
		// original_commit_id stays where the comment was made.
		OriginalCommitID: gh.String(pr.HeadSHA),
	}
}

func (s *Server) createReview(w http.ResponseWriter, tok Token, pr *prState, body []byte) {
	var in struct {
		CommitID *string        `json:"commit_id"`
		Body     *string        `json:"body"`
		Event    *string        `json:"event"`
		Comments []draftComment `json:"comments"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	event := ""
	if in.Event != nil {
		event = *in.Event
	}
	switch event {
	case "", "COMMENT", "REQUEST_CHANGES", "APPROVE":
	default:
		apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "event is not included in the list")
		return
	}
	if (event == "COMMENT" || event == "REQUEST_CHANGES") && (in.Body == nil || *in.Body == "") && len(in.Comments) == 0 {
		apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "Body is required for this event")
		return
	}
	commit := pr.HeadSHA
	if in.CommitID != nil {
		commit = *in.CommitID
	}
	p, ok := pr.diffs[commit]
	if !ok {
		apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "commit_id is not part of the pull request")
		return
	}
	var errs []string
	for _, c := range in.Comments {
		if msg := checkAnchor(p, c, false); msg != "" {
			errs = append(errs, msg)
		}
		if c.Body != nil && len(*c.Body) > 65536 {
			errs = append(errs, "Body is too long (maximum is 65536 characters)")
		}
	}
	if len(errs) > 0 {
		apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", errs...)
		return
	}
	if _, busy := pr.pendingByLogin[tok.Login]; busy {
		apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "User can only have one pending review per pull request")
		return
	}
	s.nextID++
	rv := &gh.PullRequestReview{
		ID: gh.Int64(s.nextID), User: &gh.User{Login: gh.String(tok.Login)}, CommitID: gh.String(commit),
		Body: in.Body, State: gh.String(map[string]string{"": "PENDING", "COMMENT": "COMMENTED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "APPROVE": "APPROVED"}[event]),
	}
	var made []*gh.PullRequestComment
	for _, c := range in.Comments {
		pc := s.newComment(pr, tok.Login, deref(c.Body))
		pc.CommitID, pc.OriginalCommitID = gh.String(commit), gh.String(commit)
		pc.PullRequestReviewID = rv.ID
		pc.Path, pc.Line, pc.Side, pc.StartLine = c.Path, c.Line, gh.String("RIGHT"), c.StartLine
		pc.SubjectType = gh.String("line")
		made = append(made, pc)
	}
	if event == "" {
		pr.pendingByLogin[tok.Login] = rv.GetID()
		pr.pending[rv.GetID()] = made
	} else {
		pr.comments = append(pr.comments, made...)
	}
	pr.reviews = append(pr.reviews, rv)
	writeJSON(w, http.StatusOK, rv)
}

func (s *Server) deleteReview(w http.ResponseWriter, tok Token, pr *prState, id int64) {
	for i, rv := range pr.reviews {
		if rv.GetID() != id {
			continue
		}
		if rv.GetState() != "PENDING" {
			apiError(w, http.StatusUnprocessableEntity, "Unprocessable Entity", "Can not delete a non-pending review")
			return
		}
		if rv.GetUser().GetLogin() != tok.Login {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		pr.reviews = append(pr.reviews[:i], pr.reviews[i+1:]...)
		delete(pr.pending, id)
		delete(pr.pendingByLogin, tok.Login)
		writeJSON(w, http.StatusOK, rv)
		return
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

func (s *Server) createReviewComment(w http.ResponseWriter, tok Token, pr *prState, body []byte) {
	var in draftComment
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if in.Body == nil || *in.Body == "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "body is missing")
		return
	}
	if len(*in.Body) > 65536 {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "Body is too long (maximum is 65536 characters)")
		return
	}
	if in.InReplyTo != nil {
		var root *gh.PullRequestComment
		for _, c := range pr.comments {
			if c.GetID() == *in.InReplyTo {
				root = c
			}
		}
		if root == nil {
			apiError(w, http.StatusNotFound, "Not Found")
			return
		}
		if root.InReplyTo != nil {
			apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "in_reply_to must be a top-level comment")
			return
		}
		c := s.newComment(pr, tok.Login, *in.Body)
		c.InReplyTo = root.ID
		c.Path, c.Line, c.CommitID = root.Path, root.Line, root.CommitID
		pr.comments = append(pr.comments, c)
		writeJSON(w, http.StatusCreated, c)
		return
	}
	if in.CommitID == nil {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "commit_id is missing")
		return
	}
	p, ok := pr.diffs[*in.CommitID]
	if !ok {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "commit_id is not part of the pull request")
		return
	}
	if msg := checkAnchor(p, in, true); msg != "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", msg)
		return
	}
	c := s.newComment(pr, tok.Login, *in.Body)
	c.CommitID, c.OriginalCommitID, c.Path, c.Line, c.StartLine = in.CommitID, in.CommitID, in.Path, in.Line, in.StartLine
	c.SubjectType = gh.String("line")
	if in.SubjectType != nil && *in.SubjectType == "file" {
		c.SubjectType, c.Line, c.StartLine = gh.String("file"), nil, nil
	}
	pr.comments = append(pr.comments, c)
	writeJSON(w, http.StatusCreated, c)
}

func (s *Server) editIssueComment(w http.ResponseWriter, tok Token, owner, repo string, id int64, body []byte) {
	var in struct {
		Body *string `json:"body"`
	}
	if json.Unmarshal(body, &in) != nil || in.Body == nil {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "body is missing")
		return
	}
	if len(*in.Body) > 65536 {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "body is too long (maximum is 65536 characters)")
		return
	}
	for _, pr := range s.prs {
		if pr.Owner != owner || pr.Repo != repo {
			continue
		}
		for _, c := range pr.issueComments {
			if c.GetID() != id {
				continue
			}
			if c.GetUser().GetLogin() != tok.Login {
				apiError(w, http.StatusForbidden, "Resource not accessible by integration")
				return
			}
			c.Body = in.Body
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

type checkRunIn struct {
	Name       *string `json:"name"`
	HeadSHA    *string `json:"head_sha"`
	Status     *string `json:"status"`
	Conclusion *string `json:"conclusion"`
	Output     *struct {
		Title       *string                  `json:"title"`
		Summary     *string                  `json:"summary"`
		Annotations []*gh.CheckRunAnnotation `json:"annotations"`
	} `json:"output"`
}

func validateCheckRun(in checkRunIn) string {
	if in.Output != nil {
		if len(in.Output.Annotations) > 50 {
			return "Only 50 annotations may be sent per request"
		}
		if in.Output.Summary != nil && len(*in.Output.Summary) > 65535 {
			return "output.summary is too long (maximum is 65535 characters)"
		}
		for _, a := range in.Output.Annotations {
			if a.GetPath() == "" || a.GetStartLine() < 1 || a.GetEndLine() < a.GetStartLine() {
				return "annotation path, start_line and end_line are required"
			}
			switch a.GetAnnotationLevel() {
			case "notice", "warning", "failure":
			default:
				return "annotation_level must be notice, warning or failure"
			}
		}
	}
	if in.Status != nil && *in.Status == "completed" && in.Conclusion == nil {
		return "conclusion is required when status is completed"
	}
	return ""
}

func (s *Server) createCheckRun(w http.ResponseWriter, body []byte) {
	var in checkRunIn
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if in.Name == nil || in.HeadSHA == nil {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", "name and head_sha are required")
		return
	}
	if msg := validateCheckRun(in); msg != "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", msg)
		return
	}
	s.nextID++
	cr := &gh.CheckRun{ID: gh.Int64(s.nextID), Name: in.Name, HeadSHA: in.HeadSHA, Status: in.Status, Conclusion: in.Conclusion,
		HTMLURL: gh.String(fmt.Sprintf("%s/runs/%d", s.URL, s.nextID))}
	if in.Output != nil {
		cr.Output = &gh.CheckRunOutput{Title: in.Output.Title, Summary: in.Output.Summary}
		s.checkAnn[cr.GetID()] = append(s.checkAnn[cr.GetID()], in.Output.Annotations...)
	}
	s.checks = append(s.checks, cr)
	writeJSON(w, http.StatusCreated, cr)
}

func (s *Server) updateCheckRun(w http.ResponseWriter, id int64, body []byte) {
	var in checkRunIn
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, http.StatusBadRequest, "Problems parsing JSON")
		return
	}
	if msg := validateCheckRun(in); msg != "" {
		apiError(w, http.StatusUnprocessableEntity, "Validation Failed", msg)
		return
	}
	for _, cr := range s.checks {
		if cr.GetID() != id {
			continue
		}
		if in.Status != nil {
			cr.Status = in.Status
		}
		if in.Conclusion != nil {
			cr.Conclusion = in.Conclusion
		}
		if in.Output != nil {
			cr.Output = &gh.CheckRunOutput{Title: in.Output.Title, Summary: in.Output.Summary}
			// Annotations accumulate across updates, as on GitHub.
			s.checkAnn[id] = append(s.checkAnn[id], in.Output.Annotations...)
		}
		writeJSON(w, http.StatusOK, cr)
		return
	}
	apiError(w, http.StatusNotFound, "Not Found")
}

// graphql serves the two operations prodready uses: the review threads of a
// pull request, and resolveReviewThread.
func (s *Server) graphql(w http.ResponseWriter, tok Token, body []byte) {
	var in struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Problems parsing JSON"})
		return
	}
	gqlErr := func(msg, typ string) {
		writeJSON(w, http.StatusOK, map[string]any{"data": nil, "errors": []any{map[string]any{"type": typ, "message": msg}}})
	}
	switch {
	case strings.Contains(in.Query, "resolveReviewThread"):
		if !allows(tok, "pull_requests", Write) {
			gqlErr("Resource not accessible by integration", "FORBIDDEN")
			return
		}
		id, _ := in.Variables["threadId"].(string)
		rootID, err := strconv.ParseInt(strings.TrimPrefix(id, "PRRT_"), 10, 64)
		if err != nil || !strings.HasPrefix(id, "PRRT_") {
			gqlErr(fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id), "NOT_FOUND")
			return
		}
		for _, pr := range s.prs {
			for _, c := range pr.comments {
				if c.GetID() == rootID && c.InReplyTo == nil {
					pr.resolved[rootID] = true
					writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{
						"resolveReviewThread": map[string]any{"thread": map[string]any{"id": id, "isResolved": true}}}})
					return
				}
			}
		}
		gqlErr(fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id), "NOT_FOUND")
	case strings.Contains(in.Query, "reviewThreads"):
		if !allows(tok, "pull_requests", Read) {
			gqlErr("Resource not accessible by integration", "FORBIDDEN")
			return
		}
		owner, _ := in.Variables["owner"].(string)
		name, _ := in.Variables["name"].(string)
		num, _ := in.Variables["number"].(float64)
		pr := s.prs[key(owner, name, int(num))]
		if pr == nil {
			gqlErr("Could not resolve to a PullRequest", "NOT_FOUND")
			return
		}
		s.reviewThreads(w, pr, in.Variables)
	default:
		gqlErr("this fake serves only reviewThreads and resolveReviewThread", "UNSUPPORTED")
	}
}

func (s *Server) reviewThreads(w http.ResponseWriter, pr *prState, vars map[string]any) {
	var roots []*gh.PullRequestComment
	for _, c := range pr.comments {
		if c.InReplyTo == nil {
			roots = append(roots, c)
		}
	}
	sort.Slice(roots, func(i, j int) bool { return roots[i].GetID() < roots[j].GetID() })
	start := 0
	if after, _ := vars["after"].(string); after != "" {
		start, _ = strconv.Atoi(after)
	}
	first := 100
	if f, ok := vars["first"].(float64); ok && f > 0 && f < 100 {
		first = int(f)
	}
	end := start + first
	if end > len(roots) {
		end = len(roots)
	}
	if start > end {
		start = end
	}
	var nodes []any
	for _, root := range roots[start:end] {
		var comments []any
		for _, c := range pr.comments {
			if c.GetID() == root.GetID() || c.GetInReplyTo() == root.GetID() {
				comments = append(comments, map[string]any{
					"databaseId": c.GetID(), "body": c.GetBody(),
					"author": map[string]any{"login": c.GetUser().GetLogin()},
				})
			}
		}
		nodes = append(nodes, map[string]any{
			"id": fmt.Sprintf("PRRT_%d", root.GetID()), "isResolved": pr.resolved[root.GetID()],
			"comments": map[string]any{"nodes": comments},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"repository": map[string]any{
		"pullRequest": map[string]any{"reviewThreads": map[string]any{
			"nodes":    nodes,
			"pageInfo": map[string]any{"hasNextPage": end < len(roots), "endCursor": strconv.Itoa(end)},
		}}}}})
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// AddPendingReview leaves a pending review by login, as a run that crashed
// while probing would, and returns its ID.
func (s *Server) AddPendingReview(owner, repo string, number int, login string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	if pr == nil {
		return 0
	}
	s.nextID++
	rv := &gh.PullRequestReview{ID: gh.Int64(s.nextID), User: &gh.User{Login: gh.String(login)}, CommitID: gh.String(pr.HeadSHA), State: gh.String("PENDING")}
	pr.reviews = append(pr.reviews, rv)
	pr.pendingByLogin[login] = rv.GetID()
	pr.pending[rv.GetID()] = nil
	return rv.GetID()
}

// AddComment seeds a top-level review comment by login on path:line at the
// PR's head, as an earlier run would have left it, and returns its ID.
func (s *Server) AddComment(owner, repo string, number int, login, path string, line int, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	pr := s.prs[key(owner, repo, number)]
	if pr == nil {
		return 0
	}
	c := s.newComment(pr, login, body)
	c.Path, c.Line, c.Side, c.SubjectType = gh.String(path), gh.Int(line), gh.String("RIGHT"), gh.String("line")
	pr.comments = append(pr.comments, c)
	return c.GetID()
}
