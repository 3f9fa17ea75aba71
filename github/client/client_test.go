package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/github/githubtest"
)

type clock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return ctx.Err()
}

func setup(t *testing.T) (*githubtest.Server, *clock, *gh.Client) {
	t.Helper()
	srv := githubtest.New(t)
	srv.AddToken("tok", githubtest.WriteToken("bot"))
	r := githubtest.NewRepo(t)
	r.WriteFile("a.go", "package a\n")
	base := r.Commit("base")
	r.WriteFile("a.go", "package a\n\nvar X = 1\n")
	head := r.Commit("head")
	srv.AddPR(t, githubtest.PR{Owner: "o", Repo: "r", Number: 1, BaseSHA: base, HeadSHA: head, Diff: r.Diff(base, head)})
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	cl, err := client.New("tok", srv.APIURL(), client.Options{Sleep: c.Sleep, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c, cl
}

func TestEnterpriseURLs(t *testing.T) {
	for _, tc := range []struct{ api, rest, graphql string }{
		{"", "https://api.github.com/", "https://api.github.com/graphql"},
		{"https://api.github.com", "https://api.github.com/", "https://api.github.com/graphql"},
		{"https://ghe.example.com/api/v3", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"},
		{"https://ghe.example.com/api/v3/", "https://ghe.example.com/api/v3/", "https://ghe.example.com/api/graphql"},
	} {
		c, err := client.New("tok", tc.api, client.Options{})
		if err != nil {
			t.Fatalf("%q: %v", tc.api, err)
		}
		if c.BaseURL.String() != tc.rest {
			t.Errorf("%q: BaseURL = %s, want %s", tc.api, c.BaseURL, tc.rest)
		}
		g, err := client.GraphQLURL(tc.api)
		if err != nil || g != tc.graphql {
			t.Errorf("%q: GraphQLURL = %s (%v), want %s", tc.api, g, err, tc.graphql)
		}
	}
	if _, err := client.New("tok", "ftp://x", client.Options{}); err == nil || !strings.Contains(err.Error(), "GITHUB_API_URL") {
		t.Errorf("bad URL: err = %v", err)
	}
	if _, err := client.New("", "", client.Options{}); err == nil || !strings.Contains(err.Error(), "GITHUB_TOKEN") {
		t.Errorf("no token: err = %v", err)
	}
}

func TestGHESLayoutReachesFake(t *testing.T) {
	srv, _, cl := setup(t)
	pr, _, err := cl.PullRequests.Get(context.Background(), "o", "r", 1)
	if err != nil || pr.GetNumber() != 1 {
		t.Fatalf("Get PR through /api/v3: %v", err)
	}
	if srv.Calls(githubtest.RouteGetPR) != 1 {
		t.Errorf("calls = %d", srv.Calls(githubtest.RouteGetPR))
	}
}

func TestSecondaryRateLimitIsWaitedOut(t *testing.T) {
	srv, c, cl := setup(t)
	srv.Script(githubtest.SecondaryRateLimit(githubtest.RouteCreateIssueComment, 61*time.Second))
	ic, _, err := cl.Issues.CreateComment(context.Background(), "o", "r", 1, &gh.IssueComment{Body: gh.String("hi")})
	if err != nil || ic.GetID() == 0 {
		t.Fatalf("CreateComment: %v", err)
	}
	if srv.Calls(githubtest.RouteCreateIssueComment) != 2 {
		t.Errorf("calls = %d, want 2", srv.Calls(githubtest.RouteCreateIssueComment))
	}
	found := false
	for _, d := range c.slept {
		if d >= 61*time.Second {
			found = true
		}
	}
	if !found {
		t.Errorf("slept %v, want a wait of at least Retry-After (61s)", c.slept)
	}
}

func Test5xxRetriedAnd422Not(t *testing.T) {
	srv, _, cl := setup(t)
	srv.Script(githubtest.Fault{Route: githubtest.RouteGetPR, Status: http.StatusBadGateway, Body: `{"message":"bad gateway"}`, Times: 2})
	if _, _, err := cl.PullRequests.Get(context.Background(), "o", "r", 1); err != nil {
		t.Fatalf("Get after two 502s: %v", err)
	}
	if srv.Calls(githubtest.RouteGetPR) != 3 {
		t.Errorf("GET calls = %d, want 3", srv.Calls(githubtest.RouteGetPR))
	}
	_, _, err := cl.PullRequests.CreateReview(context.Background(), "o", "r", 1, &gh.PullRequestReviewRequest{
		Event: gh.String("COMMENT"), Body: gh.String("x"),
		Comments: []*gh.DraftReviewComment{{Path: gh.String("a.go"), Line: gh.Int(99), Side: gh.String("RIGHT"), Body: gh.String("b")}},
	})
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 422 || !strings.Contains(er.Error(), "must be part of the diff") {
		t.Fatalf("err = %v, want GitHub's 422", err)
	}
	if srv.Calls(githubtest.RouteCreateReview) != 1 {
		t.Errorf("422 was retried: %d calls", srv.Calls(githubtest.RouteCreateReview))
	}
}

func TestPacesWritesNotReads(t *testing.T) {
	_, c, cl := setup(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, _, err := cl.PullRequests.Get(ctx, "o", "r", 1); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.slept) != 0 {
		t.Errorf("reads were paced: %v", c.slept)
	}
	start := c.Now()
	for i := 0; i < 4; i++ {
		if _, _, err := cl.Issues.CreateComment(ctx, "o", "r", 1, &gh.IssueComment{Body: gh.String("x")}); err != nil {
			t.Fatal(err)
		}
	}
	if got := c.Now().Sub(start); got < 3*time.Second {
		t.Errorf("4 writes spanned %v of injected time, want at least 3s", got)
	}
}
