// Package client builds the GitHub API client prodready uses: go-github over a
// transport that retries what is worth retrying (internal/httpretry) and paces
// content-creating requests, as GitHub asks integrators to do to stay clear of
// its secondary rate limits.
package client

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"
	"golang.org/x/time/rate"

	"github.com/prodready/prodready/internal/httpretry"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com"

// Options tune the client. The zero value is production-ready.
type Options struct {
	// Sleep waits d or until ctx ends; tests inject a fake clock here. It is
	// used both for retry waits and for pacing.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells the time (default time.Now).
	Now func() time.Time
	// Timeout bounds one API call, its retries and waits included (default 10m).
	Timeout time.Duration
	// AttemptTimeout bounds one attempt (default 60s).
	AttemptTimeout time.Duration
	// MaxAttempts bounds attempts per call (default 5).
	MaxAttempts int
	// MaxWait caps one retry wait; a server asking for longer gets its answer
	// returned (default 3m: GitHub's secondary rate limits ask for a minute or
	// more).
	MaxWait time.Duration
	// PaceInterval is the least time between two content-creating requests
	// (POST, PATCH, PUT, DELETE). Default 1s; negative turns pacing off.
	PaceInterval time.Duration
	// Logger receives one line per retry (default: discard).
	Logger *slog.Logger
	// UserAgent overrides go-github's default User-Agent.
	UserAgent string
}

// New returns a client authenticated with token against apiURL ("" means
// github.com; GitHub Enterprise Server's is https://HOST/api/v3).
func New(token, apiURL string, opts Options) (*gh.Client, error) {
	if strings.TrimSpace(token) == "" {
		return nil, errors.New("github client: no token; set GITHUB_TOKEN (or the action's github-token input)")
	}
	c, err := NewWithTransport(http.DefaultTransport, apiURL, opts)
	if err != nil {
		return nil, err
	}
	return c.WithAuthToken(token), nil
}

// NewWithTransport returns a client whose requests go through rt (for
// example a ghinstallation transport that adds an installation token),
// wrapped in retries and pacing.
func NewWithTransport(rt http.RoundTripper, apiURL string, opts Options) (*gh.Client, error) {
	if rt == nil {
		rt = http.DefaultTransport
	}
	base, err := BaseURL(apiURL)
	if err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	hc := &http.Client{Timeout: timeout, Transport: Transport(rt, opts)}
	c := gh.NewClient(hc)
	c.BaseURL = base
	if base.String() != DefaultAPIURL+"/" {
		up := *base
		up.Path = strings.TrimSuffix(strings.TrimSuffix(up.Path, "/"), "/api/v3") + "/api/uploads/"
		c.UploadURL = &up
	}
	if opts.UserAgent != "" {
		c.UserAgent = opts.UserAgent
	}
	return c, nil
}

// Transport wraps rt in pacing and retries as New does. It is exported for
// callers that talk to GitHub outside go-github (GraphQL, git over HTTP).
func Transport(rt http.RoundTripper, opts Options) http.RoundTripper {
	interval := opts.PaceInterval
	if interval == 0 {
		interval = time.Second
	}
	inner := rt
	if interval > 0 {
		inner = &pacer{
			base:  rt,
			limit: rate.NewLimiter(rate.Every(interval), 1),
			sleep: opts.Sleep,
			now:   opts.Now,
		}
	}
	maxWait := opts.MaxWait
	if maxWait <= 0 {
		maxWait = 3 * time.Minute
	}
	return &httpretry.Transport{
		Base:           inner,
		MaxAttempts:    opts.MaxAttempts,
		AttemptTimeout: opts.AttemptTimeout,
		MaxWait:        maxWait,
		Sleep:          opts.Sleep,
		Now:            opts.Now,
		Logger:         opts.Logger,
	}
}

// BaseURL parses a REST API root such as GITHUB_API_URL into the form
// go-github wants (trailing slash). "" means github.com.
func BaseURL(apiURL string) (*url.URL, error) {
	apiURL = strings.TrimSpace(apiURL)
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	u, err := url.Parse(apiURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("GITHUB_API_URL %q is not an http(s) URL; use https://api.github.com or https://HOST/api/v3", apiURL)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

// GraphQLURL derives the GraphQL endpoint from a REST API root:
// https://api.github.com/graphql on github.com, https://HOST/api/graphql on
// GitHub Enterprise Server, and ROOT/graphql otherwise.
func GraphQLURL(apiURL string) (string, error) {
	u, err := BaseURL(apiURL)
	if err != nil {
		return "", err
	}
	p := strings.TrimSuffix(u.Path, "/")
	if strings.HasSuffix(p, "/api/v3") {
		u.Path = strings.TrimSuffix(p, "/v3") + "/graphql"
	} else {
		u.Path = p + "/graphql"
	}
	return u.String(), nil
}

// pacer spaces content-creating requests at least one interval apart, as
// GitHub's best practices ask. Reads pass straight through.
type pacer struct {
	base  http.RoundTripper
	limit *rate.Limiter
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

// RoundTrip waits for its turn when req creates content, then sends it.
func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	switch req.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
		if req.Header.Get(ReadOnlyHeader) != "" {
			// A RoundTripper must not modify its request: strip the mark on a copy.
			req = req.Clone(req.Context())
			req.Header.Del(ReadOnlyHeader)
			break
		}
		now := time.Now
		if p.now != nil {
			now = p.now
		}
		sleep := httpretry.Sleep
		if p.sleep != nil {
			sleep = p.sleep
		}
		t := now()
		r := p.limit.ReserveN(t, 1)
		if d := r.DelayFrom(t); d > 0 {
			if err := sleep(req.Context(), d); err != nil {
				r.CancelAt(now())
				if req.Body != nil {
					req.Body.Close()
				}
				return nil, fmt.Errorf("pacing %s %s: %w", req.Method, req.URL.Path, err)
			}
		}
	}
	return p.base.RoundTrip(req)
}

// ReadOnlyHeader marks a POST that only reads (a GraphQL query), so the pacer
// lets it through at once. The pacer removes it before the request leaves.
const ReadOnlyHeader = "X-Prodready-Read-Only"
