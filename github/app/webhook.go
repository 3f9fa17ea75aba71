// Package app is the GitHub App's HTTP side: the webhook that turns signed
// deliveries into durable review jobs, and the health, readiness and metrics
// endpoints. It makes no GitHub calls while answering a delivery.
package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	gh "github.com/google/go-github/v62/github"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/prodready/prodready/github/jobs"
)

// MaxBody is the largest delivery accepted (GitHub caps payloads at 25 MiB).
const MaxBody = 25 << 20

// ReviewCommand is the issue comment that asks for a review.
const ReviewCommand = "/prodready review"

// Enqueuer stores review jobs durably; *jobs.Client is one.
type Enqueuer interface {
	Enqueue(ctx context.Context, args jobs.ReviewArgs) (jobs.Enqueued, error)
}

// Webhook handles POST /webhook.
type Webhook struct {
	// Secret is the webhook secret; it must not be empty.
	Secret []byte
	// Queue receives the jobs.
	Queue Enqueuer
	// Drafts reviews draft pull requests too.
	Drafts bool
	// Logger receives one line per delivery.
	Logger *slog.Logger
	// Deliveries counts deliveries by event and result; see NewDeliveries.
	Deliveries *prometheus.CounterVec
	// EnqueueTimeout bounds storing the job (default 8s, inside GitHub's 10s).
	EnqueueTimeout time.Duration
}

// NewDeliveries registers prodready_webhook_deliveries_total{event,result}.
func NewDeliveries(reg prometheus.Registerer) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "prodready_webhook_deliveries_total",
		Help: "Webhook deliveries by event and result (queued, duplicate, stale, ignored, logged, unauthorized, too_large, bad_request, error).",
	}, []string{"event", "result"})
	reg.MustRegister(c)
	return c
}

// ServeHTTP validates, parses and enqueues one delivery.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	event := gh.WebHookType(r)
	delivery := gh.DeliveryID(r)
	log := h.logger().With("delivery", delivery, "event", event)
	reply := func(code int, result, msg string) {
		if h.Deliveries != nil {
			h.Deliveries.WithLabelValues(metricEvent(event), result).Inc()
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(code)
		fmt.Fprintln(w, msg)
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(http.StatusMethodNotAllowed, "bad_request", "POST only")
		return
	}
	if len(h.Secret) == 0 {
		// Never accept unsigned deliveries, even when misconfigured.
		log.ErrorContext(r.Context(), "webhook secret not configured; refusing delivery")
		reply(http.StatusInternalServerError, "error", "webhook secret not configured")
		return
	}
	if r.ContentLength > MaxBody {
		log.WarnContext(r.Context(), "delivery too large", "bytes", r.ContentLength)
		reply(http.StatusRequestEntityTooLarge, "too_large", "payload over 25 MiB")
		return
	}
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	payload, err := gh.ValidatePayloadFromBody(r.Header.Get("Content-Type"), body, r.Header.Get(gh.SHA256SignatureHeader), h.Secret)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			log.WarnContext(r.Context(), "delivery too large", "limit", tooBig.Limit)
			reply(http.StatusRequestEntityTooLarge, "too_large", "payload over 25 MiB")
			return
		}
		log.WarnContext(r.Context(), "delivery rejected: bad or missing signature", "error", err.Error())
		reply(http.StatusUnauthorized, "unauthorized", "bad or missing X-Hub-Signature-256")
		return
	}
	if event == "" {
		reply(http.StatusBadRequest, "bad_request", "missing X-GitHub-Event")
		return
	}
	args, why, err := h.jobFor(event, payload)
	if err != nil {
		log.WarnContext(r.Context(), "signed delivery does not parse", "error", err.Error())
		reply(http.StatusBadRequest, "bad_request", "payload does not parse: "+err.Error())
		return
	}
	if args == nil {
		if why == "logged" {
			reply(http.StatusOK, "logged", "ok")
			return
		}
		log.DebugContext(r.Context(), "delivery ignored", "reason", why)
		reply(http.StatusOK, "ignored", "ignored: "+why)
		return
	}
	args.Delivery = delivery
	timeout := h.EnqueueTimeout
	if timeout <= 0 {
		timeout = 8 * time.Second
	}
	// The job must be stored even if GitHub hangs up early.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), timeout)
	defer cancel()
	res, err := h.Queue.Enqueue(ctx, *args)
	log = log.With("job", res.JobID, "repo", args.Owner+"/"+args.Repo, "pr", args.Number, "head", args.HeadSHA)
	if err != nil {
		log.ErrorContext(ctx, "could not store the review job; redeliver it from the App's advanced settings once the database answers", "error", err.Error())
		reply(http.StatusServiceUnavailable, "error", "could not store the job; retry")
		return
	}
	result := "queued"
	switch {
	case res.Duplicate:
		result = "duplicate"
	case res.Stale:
		// Stored, but a newer request for the pull request was stored first:
		// the job is cancelled and will not run.
		result = "stale"
	}
	// GitHub redelivers, and so do people; a duplicate is routine.
	level := slog.LevelInfo
	if res.Duplicate {
		level = slog.LevelDebug
	}
	log.Log(ctx, level, "review job stored", "duplicate", res.Duplicate, "superseded", res.Superseded, "stale", res.Stale)
	reply(http.StatusAccepted, result, fmt.Sprintf("job %d", res.JobID))
}

// hookPayload holds the few fields of the events we handle. Decoding into it
// rather than go-github's full event types keeps a 25 MiB payload from
// becoming a large object graph, and costs a third of the time.
type hookPayload struct {
	Action       string `json:"action"`
	Zen          string `json:"zen"`
	HookID       int64  `json:"hook_id"`
	Installation struct {
		ID      int64 `json:"id"`
		Account struct {
			Login string `json:"login"`
		} `json:"account"`
	} `json:"installation"`
	Repository struct {
		Name     string `json:"name"`
		CloneURL string `json:"clone_url"`
		Owner    struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
	PullRequest struct {
		Number int    `json:"number"`
		Draft  bool   `json:"draft"`
		State  string `json:"state"`
		Head   struct {
			SHA string `json:"sha"`
		} `json:"head"`
		Base struct {
			SHA string `json:"sha"`
		} `json:"base"`
	} `json:"pull_request"`
	Issue struct {
		Number      int             `json:"number"`
		PullRequest json.RawMessage `json:"pull_request"`
	} `json:"issue"`
	Comment struct {
		ID   int64  `json:"id"`
		Body string `json:"body"`
		User struct {
			Login string `json:"login"`
		} `json:"user"`
	} `json:"comment"`
	Repositories        []struct{} `json:"repositories"`
	RepositoriesAdded   []struct{} `json:"repositories_added"`
	RepositoriesRemoved []struct{} `json:"repositories_removed"`
}

// jobFor turns an event into a review request, or says why there is none
// ("logged" for events that are only logged).
func (h *Webhook) jobFor(event string, payload []byte) (*jobs.ReviewArgs, string, error) {
	switch event {
	case "pull_request", "issue_comment", "ping", "installation", "installation_repositories":
	default:
		return nil, "event " + event + " not handled", nil
	}
	var e hookPayload
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, "", err
	}
	switch event {
	case "pull_request":
		switch e.Action {
		case "opened", "synchronize", "reopened", "ready_for_review":
		default:
			return nil, "pull_request action " + e.Action, nil
		}
		pr := e.PullRequest
		switch {
		case pr.Draft && !h.Drafts:
			return nil, "draft pull request", nil
		case pr.State == "closed":
			return nil, "closed pull request", nil
		case e.Installation.ID == 0:
			return nil, "no installation in payload", nil
		case pr.Number <= 0 || pr.Head.SHA == "" || e.Repository.Name == "" || e.Repository.Owner.Login == "":
			return nil, "", errors.New("pull_request without number, head or repository")
		case !isSHA(pr.Head.SHA):
			return nil, "", fmt.Errorf("pull_request head %q is not a 40-hex commit SHA", pr.Head.SHA)
		case !isSHA(pr.Base.SHA):
			return nil, "", fmt.Errorf("pull_request base %q is not a 40-hex commit SHA", pr.Base.SHA)
		}
		if err := validRepo(e.Repository.Owner.Login, e.Repository.Name); err != nil {
			return nil, "", err
		}
		return &jobs.ReviewArgs{
			InstallationID: e.Installation.ID,
			Owner:          e.Repository.Owner.Login,
			Repo:           e.Repository.Name,
			Number:         pr.Number,
			HeadSHA:        pr.Head.SHA,
			BaseSHA:        pr.Base.SHA,
			CloneURL:       e.Repository.CloneURL,
			Event:          "pull_request." + e.Action,
		}, "", nil
	case "issue_comment":
		switch {
		case e.Action != "created":
			return nil, "issue_comment action " + e.Action, nil
		case len(e.Issue.PullRequest) == 0 || string(e.Issue.PullRequest) == "null":
			return nil, "comment on an issue, not a pull request", nil
		case strings.TrimSpace(e.Comment.Body) != ReviewCommand:
			return nil, "comment is not " + ReviewCommand, nil
		case e.Installation.ID == 0:
			return nil, "no installation in payload", nil
		case e.Issue.Number <= 0 || e.Repository.Name == "" || e.Repository.Owner.Login == "":
			return nil, "", errors.New("issue_comment without issue number or repository")
		}
		if err := validRepo(e.Repository.Owner.Login, e.Repository.Name); err != nil {
			return nil, "", err
		}
		return &jobs.ReviewArgs{
			InstallationID: e.Installation.ID,
			Owner:          e.Repository.Owner.Login,
			Repo:           e.Repository.Name,
			Number:         e.Issue.Number,
			CommentID:      e.Comment.ID,
			Commenter:      e.Comment.User.Login,
			CloneURL:       e.Repository.CloneURL,
			Event:          "issue_comment.created",
		}, "", nil
	case "ping":
		h.logger().Info("ping", "zen", e.Zen, "hook", e.HookID)
	case "installation":
		h.logger().Info("installation", "action", e.Action, "installation", e.Installation.ID,
			"account", e.Installation.Account.Login, "repositories", len(e.Repositories))
	case "installation_repositories":
		h.logger().Info("installation repositories", "action", e.Action, "installation", e.Installation.ID,
			"added", len(e.RepositoriesAdded), "removed", len(e.RepositoriesRemoved))
	}
	return nil, "logged", nil
}

// shaRE is a full commit SHA as GitHub sends it: 40 lower-case hex digits.
var shaRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// ownerRE is GitHub's grammar for user and organisation logins: letters,
// digits and single hyphens, not at either end, at most 39 characters.
var ownerRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)

// repoRE is GitHub's grammar for repository names: letters, digits, '.',
// '-' and '_', at most 100 characters ("." and ".." are refused apart).
var repoRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)

func isSHA(s string) bool { return shaRE.MatchString(s) }

// validRepo refuses an owner or repository name GitHub could not have sent:
// they become paths and URLs in the worker, so "../.." must never reach it.
func validRepo(owner, name string) error {
	if !ownerRE.MatchString(owner) {
		return fmt.Errorf("repository owner %q is not a GitHub login", owner)
	}
	if !repoRE.MatchString(name) || name == "." || name == ".." {
		return fmt.Errorf("repository name %q is not a GitHub repository name", name)
	}
	return nil
}

func (h *Webhook) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// metricEvent bounds the event label to the events GitHub documents we
// handle, so a stranger cannot grow the metric without bound.
func metricEvent(e string) string {
	switch e {
	case "pull_request", "issue_comment", "ping", "installation", "installation_repositories":
		return e
	case "":
		return "none"
	}
	return "other"
}
