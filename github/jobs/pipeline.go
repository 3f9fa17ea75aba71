package jobs

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	gh "github.com/google/go-github/v62/github"

	"github.com/prodready/prodready/github/client"
	"github.com/prodready/prodready/internal/httpretry"
	"github.com/prodready/prodready/review"
	"github.com/prodready/prodready/review/config"
	"github.com/prodready/prodready/review/load"
)

// Target is the pull request a review is published to.
type Target struct {
	Owner, Repo      string
	Number           int
	BaseSHA, HeadSHA string
}

// Publisher posts a finished review: res holds the report, the patch it
// anchors on and the effective settings (read from the base branch).
type Publisher interface {
	Publish(ctx context.Context, c *gh.Client, t Target, res *review.Result) error
}

// PublisherFunc adapts a function to Publisher.
type PublisherFunc func(ctx context.Context, c *gh.Client, t Target, res *review.Result) error

// Publish calls f.
func (f PublisherFunc) Publish(ctx context.Context, c *gh.Client, t Target, res *review.Result) error {
	return f(ctx, c, t, res)
}

// Pipeline is the real Reviewer: installation token, shallow fetch into a
// per-job workspace, the review pipeline with nothing from the pull request
// allowed to run, publish, and the workspace removed.
type Pipeline struct {
	// AppID and PrivateKey (PEM) authenticate as the GitHub App; KeyVar
	// names the variable the key came from, for errors (default
	// PRODREADY_PRIVATE_KEY).
	AppID      int64
	PrivateKey []byte
	KeyVar     string
	// APIURL is the REST API root (GITHUB_API_URL; default https://api.github.com).
	APIURL string
	// DataDir holds the job workspaces (DataDir/work) and the shared module
	// cache (DataDir/gomodcache).
	DataDir string
	// MaxWorkspaceBytes caps one workspace after the fetch (default 2 GiB).
	MaxWorkspaceBytes int64
	// Publisher posts the review.
	Publisher Publisher
	// NewAsker builds the LLM stage for a repository's config; nil or a nil
	// result runs the deterministic checks only.
	NewAsker func(ctx context.Context, cfg config.Config) (review.Asker, error)
	// Metrics, if set, counts GitHub calls and LLM tokens.
	Metrics *Metrics
	// Transport sends every request (default http.DefaultTransport).
	Transport http.RoundTripper
	// ClientOptions tune the GitHub client: retries, pacing, timeouts; tests
	// inject Sleep here.
	ClientOptions client.Options

	once    sync.Once
	initErr error
	apps    *ghinstallation.AppsTransport
	rt      http.RoundTripper
	mu      sync.Mutex
	tokens  map[int64]*ghinstallation.Transport
}

// maxInstallations bounds the cached installation transports.
const maxInstallations = 1000

func (p *Pipeline) init() error {
	p.once.Do(func() {
		base := p.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		// Every attempt is counted; token requests retry on their own client,
		// API calls in the client that client.NewWithTransport builds.
		p.rt = p.Metrics.Transport(base)
		apps, err := ghinstallation.NewAppsTransport(p.rt, p.AppID, p.PrivateKey)
		if err != nil {
			v := p.KeyVar
			if v == "" {
				v = "PRODREADY_PRIVATE_KEY"
			}
			p.initErr = fmt.Errorf("GitHub App key: %w (check %s)", err, v)
			return
		}
		apps.BaseURL = strings.TrimSuffix(p.apiURL(), "/")
		apps.Client = &http.Client{Transport: &httpretry.Transport{Base: p.rt, Sleep: p.ClientOptions.Sleep}, Timeout: 2 * time.Minute}
		p.apps = apps
		p.tokens = map[int64]*ghinstallation.Transport{}
	})
	return p.initErr
}

func (p *Pipeline) apiURL() string {
	if p.APIURL == "" {
		return "https://api.github.com/"
	}
	return strings.TrimSuffix(p.APIURL, "/") + "/"
}

// installation returns the installation's token source, which caches the
// token until shortly before it expires.
func (p *Pipeline) installation(id int64) *ghinstallation.Transport {
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.tokens[id]; ok {
		return t
	}
	if len(p.tokens) >= maxInstallations {
		clear(p.tokens)
	}
	t := ghinstallation.NewFromAppsTransport(p.apps, id)
	t.Client = p.apps.Client
	p.tokens[id] = t
	return t
}

// Client returns a GitHub client acting as the installation.
func (p *Pipeline) Client(installationID int64) (*gh.Client, error) {
	if err := p.init(); err != nil {
		return nil, err
	}
	c, err := client.NewWithTransport(p.installation(installationID), strings.TrimSuffix(p.apiURL(), "/"), p.ClientOptions)
	if err != nil {
		return nil, fmt.Errorf("GITHUB_API_URL %q: %w", p.APIURL, err)
	}
	return c, nil
}

// Review runs one job.
func (p *Pipeline) Review(ctx context.Context, j *Job) error {
	if err := p.init(); err != nil {
		return Permanent(err)
	}
	a := j.Args
	itr := p.installation(a.InstallationID)
	c, err := p.Client(a.InstallationID)
	if err != nil {
		return Permanent(err)
	}
	base, head := a.BaseSHA, a.HeadSHA
	if a.CommentID != 0 || base == "" || head == "" {
		if a.Commenter != "" {
			ok, err := p.mayAsk(ctx, c, a)
			if err != nil {
				return err
			}
			if !ok {
				j.Log.InfoContext(ctx, "review command refused: the commenter lacks write access", "commenter", a.Commenter)
				return nil
			}
		}
		pr, _, err := c.PullRequests.Get(ctx, a.Owner, a.Repo, a.Number)
		if err != nil {
			return classifyGitHub(fmt.Errorf("get pull request: %w", err))
		}
		base, head = pr.GetBase().GetSHA(), pr.GetHead().GetSHA()
		if a.CloneURL == "" {
			a.CloneURL = pr.GetBase().GetRepo().GetCloneURL()
		}
		if err := stillWanted(ctx, j, pr, head); err != nil {
			return err
		}
	} else if err := p.stillWanted(ctx, c, j, head); err != nil {
		// Checked before the fetch, the expensive part.
		return err
	}
	token, err := itr.Token(ctx)
	if err != nil {
		return classifyGitHub(fmt.Errorf("installation token: %w", err))
	}
	ws := filepath.Join(p.DataDir, "work", "job-"+strconv.FormatInt(j.ID, 10))
	// A crashed attempt may have left the workspace behind.
	if err := os.RemoveAll(ws); err != nil {
		return fmt.Errorf("clear workspace: %w", err)
	}
	defer func() {
		if err := os.RemoveAll(ws); err != nil {
			j.Log.Error("remove workspace", "dir", ws, "error", err.Error())
		}
	}()
	if err := fetch(ctx, ws, a.CloneURL, token, base, head); err != nil {
		return err
	}
	if size, err := dirSize(ws); err != nil {
		return err
	} else if limit := p.maxWorkspace(); size > limit {
		return Permanent(fmt.Errorf("the repository takes %d MiB, over the workspace cap of %d MiB (raise PRODREADY_MAX_WORKSPACE_MB)", size>>20, limit>>20))
	}

	modcache := filepath.Join(p.DataDir, "gomodcache")
	if err := os.MkdirAll(modcache, 0o750); err != nil {
		return fmt.Errorf("module cache: %w", err)
	}
	res, err := review.Run(ctx, review.Options{
		Dir: ws, Base: base, Head: head,
		// Read from the base branch: a pull request cannot switch off its
		// own reviewer.
		ConfigAtBase: config.FileName,
		NewAsker:     p.newAsker,
		Load: load.Options{Env: []string{
			// Nothing from the pull request may run: no toolchain download, no
			// cgo, no workspace file, modules resolved without vendoring.
			"GOTOOLCHAIN=local", "CGO_ENABLED=0", "GOFLAGS=-mod=mod", "GOWORK=off",
			"GOMODCACHE=" + modcache, "GOENV=off",
		}},
		Logger: j.Log,
	})
	if err != nil {
		var ue *review.UsageError
		if errors.As(err, &ue) {
			return Permanent(err)
		}
		return fmt.Errorf("review: %w", err)
	}
	if p.Metrics != nil {
		p.Metrics.LLMTokens.WithLabelValues("in").Add(float64(res.Report.Stats.LLMTokensIn))
		p.Metrics.LLMTokens.WithLabelValues("out").Add(float64(res.Report.Stats.LLMTokensOut))
	}
	if ok, err := j.Current(ctx); err != nil {
		return err
	} else if !ok {
		return ErrSuperseded
	}
	if err := p.stillWanted(ctx, c, j, head); err != nil {
		return err
	}
	t := Target{Owner: a.Owner, Repo: a.Repo, Number: a.Number, BaseSHA: res.Report.Base, HeadSHA: res.Report.Head}
	if err := p.Publisher.Publish(ctx, c, t, res); err != nil {
		return classifyGitHub(fmt.Errorf("publish: %w", err))
	}
	return nil
}

// newAsker builds the LLM stage for a repository's config; a failure to
// build it is the review's.
func (p *Pipeline) newAsker(ctx context.Context, cfg config.Config) (review.Asker, error) {
	if p.NewAsker == nil {
		return nil, nil
	}
	a, err := p.NewAsker(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("LLM stage: %w", err)
	}
	return a, nil
}

// stillWanted asks GitHub, the source of truth, whether the pull request is
// still open at head; see stillWanted. A failure to ask is worth retrying.
func (p *Pipeline) stillWanted(ctx context.Context, c *gh.Client, j *Job, head string) error {
	a := j.Args
	pr, _, err := c.PullRequests.Get(ctx, a.Owner, a.Repo, a.Number)
	if err != nil {
		return fmt.Errorf("get pull request %s/%s#%d: %w", a.Owner, a.Repo, a.Number, err)
	}
	return stillWanted(ctx, j, pr, head)
}

// stillWanted returns ErrClosed when pr is no longer open, and ErrSuperseded
// when its head is not head. The queue's own order cannot tell a webhook
// redelivered late for an old head from a new push, so a job for an old head
// may be the latest request: in that case it asks for a review of the current
// head (unless one exists) before it steps aside.
func stillWanted(ctx context.Context, j *Job, pr *gh.PullRequest, head string) error {
	if st := pr.GetState(); st != "open" {
		return fmt.Errorf("%w (state %q)", ErrClosed, st)
	}
	cur := pr.GetHead().GetSHA()
	if cur == "" {
		return errors.New("GitHub answered a pull request without a head SHA")
	}
	if cur == head {
		return nil
	}
	id, err := j.ReviewHead(ctx, cur, pr.GetBase().GetSHA())
	if err != nil {
		return fmt.Errorf("ask for a review of the current head %s: %w", short(cur), err)
	}
	if id != 0 {
		j.Log.InfoContext(ctx, "enqueued a review of the pull request's current head", "current_head", cur, "new_job", id)
	}
	return fmt.Errorf("%w: the pull request's head is now %s", ErrSuperseded, short(cur))
}

func (p *Pipeline) maxWorkspace() int64 {
	if p.MaxWorkspaceBytes > 0 {
		return p.MaxWorkspaceBytes
	}
	return 2 << 30
}

// mayAsk reports whether the commenter has write access to the repository.
func (p *Pipeline) mayAsk(ctx context.Context, c *gh.Client, a ReviewArgs) (bool, error) {
	lvl, _, err := c.Repositories.GetPermissionLevel(ctx, a.Owner, a.Repo, a.Commenter)
	if err != nil {
		var er *gh.ErrorResponse
		if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, classifyGitHub(fmt.Errorf("permission of %s: %w", a.Commenter, err))
	}
	switch lvl.GetPermission() {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}

// classifyGitHub marks client errors (401, 403 without a rate limit, 404,
// 422) permanent; the rest are worth retrying.
func classifyGitHub(err error) error {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		switch er.Response.StatusCode {
		case http.StatusUnauthorized, http.StatusNotFound, http.StatusUnprocessableEntity, http.StatusGone:
			return Permanent(err)
		}
	}
	var rl *gh.RateLimitError
	var arl *gh.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &arl) {
		return err
	}
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden {
		return Permanent(err)
	}
	return err
}

// fetchDepth is the first shallow fetch's depth; deeper fetches follow only
// when base and head share no commit within it.
const fetchDepth = 50

// fetch shallow-fetches base and head from cloneURL into dir and checks out
// head. The token travels in an http.extraHeader set through git's
// GIT_CONFIG_* environment, never in a URL, an argument or a log.
func fetch(ctx context.Context, dir, cloneURL, token, base, head string) error {
	if cloneURL == "" {
		return Permanent(errors.New("the payload has no clone URL"))
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("workspace: %w", err)
	}
	auth := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("x-access-token:"+token))
	env := append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0", "GIT_CONFIG_NOSYSTEM=1", "GIT_ASKPASS=",
		"GIT_CONFIG_COUNT=4",
		"GIT_CONFIG_KEY_0=http.extraHeader", "GIT_CONFIG_VALUE_0="+auth,
		"GIT_CONFIG_KEY_1=core.hooksPath", "GIT_CONFIG_VALUE_1="+os.DevNull,
		"GIT_CONFIG_KEY_2=protocol.file.allow", "GIT_CONFIG_VALUE_2=never",
		"GIT_CONFIG_KEY_3=advice.detachedHead", "GIT_CONFIG_VALUE_3=false",
	)
	git := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		cmd.Env = env
		cmd.WaitDelay = 10 * time.Second
		out, err := cmd.CombinedOutput()
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("git %s: %w", args[0], ctx.Err())
			}
			msg := strings.TrimSpace(string(out))
			msg = strings.ReplaceAll(msg, token, "***")
			if len(msg) > 500 {
				msg = msg[:500]
			}
			return fmt.Errorf("git %s: %v: %s", args[0], err, msg)
		}
		return nil
	}
	if err := git("init", "-q"); err != nil {
		return err
	}
	if err := git("remote", "add", "origin", cloneURL); err != nil {
		return err
	}
	if err := git("fetch", "-q", "--no-tags", "--no-recurse-submodules", "--depth="+strconv.Itoa(fetchDepth), "origin", base, head); err != nil {
		return err
	}
	if err := git("merge-base", base, head); err != nil {
		if err := git("fetch", "-q", "--no-tags", "--no-recurse-submodules", "--deepen=1000", "origin", base, head); err != nil {
			return err
		}
		if err := git("merge-base", base, head); err != nil {
			if err := git("fetch", "-q", "--no-tags", "--no-recurse-submodules", "--unshallow", "origin", base, head); err != nil {
				return err
			}
		}
	}
	return git("checkout", "-q", "--detach", head)
}

// dirSize adds up the sizes of the files under dir.
func dirSize(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("workspace size: %w", err)
	}
	return n, nil
}

// Sweep removes workspaces older than age from DataDir/work: what a crashed
// process left behind for jobs that another replica then finished. Younger
// ones may belong to a running job of a process sharing the folder.
func (p *Pipeline) Sweep(age time.Duration, now time.Time) (int, error) {
	dir := filepath.Join(p.DataDir, "work")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sweep workspaces: %w", err)
	}
	n := 0
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || !e.IsDir() || !strings.HasPrefix(e.Name(), "job-") || now.Sub(info.ModTime()) < age {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return n, fmt.Errorf("sweep workspaces: %w", err)
		}
		n++
	}
	return n, nil
}
