// Package app is the GitHub App's HTTP side: the webhook that turns signed
// deliveries into durable review jobs, and the health, readiness and metrics
// endpoints. It makes no GitHub calls while answering a delivery.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
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
		Help: "Webhook deliveries by event and result (queued, duplicate, ignored, logged, unauthorized, too_large, bad_request, error).",
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
	parsed, err := gh.ParseWebHook(event, payload)
	if err != nil {
		// Signed by GitHub but an event we do not model: nothing to do.
		log.InfoContext(r.Context(), "delivery ignored", "reason", err.Error())
		reply(http.StatusOK, "ignored", "ignored")
		return
	}
	args, why := h.jobFor(parsed)
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
		log.ErrorContext(ctx, "could not store the review job; GitHub may redeliver", "error", err.Error())
		reply(http.StatusServiceUnavailable, "error", "could not store the job; retry")
		return
	}
	result := "queued"
	if res.Duplicate {
		result = "duplicate"
	}
	log.InfoContext(ctx, "review job stored", "duplicate", res.Duplicate, "superseded", res.Superseded, "stale", res.Stale)
	reply(http.StatusAccepted, result, fmt.Sprintf("job %d", res.JobID))
}

// jobFor turns an event into a review request, or says why there is none
// ("logged" for events that are only logged).
func (h *Webhook) jobFor(ev any) (*jobs.ReviewArgs, string) {
	switch e := ev.(type) {
	case *gh.PullRequestEvent:
		switch e.GetAction() {
		case "opened", "synchronize", "reopened", "ready_for_review":
		default:
			return nil, "pull_request action " + e.GetAction()
		}
		pr := e.GetPullRequest()
		if pr.GetDraft() && !h.Drafts {
			return nil, "draft pull request"
		}
		if pr.GetState() == "closed" {
			return nil, "closed pull request"
		}
		if e.GetInstallation().GetID() == 0 {
			return nil, "no installation in payload"
		}
		repo := e.GetRepo()
		return &jobs.ReviewArgs{
			InstallationID: e.GetInstallation().GetID(),
			Owner:          repo.GetOwner().GetLogin(),
			Repo:           repo.GetName(),
			Number:         pr.GetNumber(),
			HeadSHA:        pr.GetHead().GetSHA(),
			BaseSHA:        pr.GetBase().GetSHA(),
			CloneURL:       repo.GetCloneURL(),
			Event:          "pull_request." + e.GetAction(),
		}, ""
	case *gh.IssueCommentEvent:
		if e.GetAction() != "created" {
			return nil, "issue_comment action " + e.GetAction()
		}
		if !e.GetIssue().IsPullRequest() {
			return nil, "comment on an issue, not a pull request"
		}
		if strings.TrimSpace(e.GetComment().GetBody()) != ReviewCommand {
			return nil, "comment is not " + ReviewCommand
		}
		if e.GetInstallation().GetID() == 0 {
			return nil, "no installation in payload"
		}
		repo := e.GetRepo()
		return &jobs.ReviewArgs{
			InstallationID: e.GetInstallation().GetID(),
			Owner:          repo.GetOwner().GetLogin(),
			Repo:           repo.GetName(),
			Number:         e.GetIssue().GetNumber(),
			CommentID:      e.GetComment().GetID(),
			Commenter:      e.GetComment().GetUser().GetLogin(),
			CloneURL:       repo.GetCloneURL(),
			Event:          "issue_comment.created",
		}, ""
	case *gh.PingEvent:
		h.logger().Info("ping", "zen", e.GetZen(), "hook", e.GetHookID())
		return nil, "logged"
	case *gh.InstallationEvent:
		h.logger().Info("installation", "action", e.GetAction(), "installation", e.GetInstallation().GetID(),
			"account", e.GetInstallation().GetAccount().GetLogin(), "repositories", len(e.Repositories))
		return nil, "logged"
	case *gh.InstallationRepositoriesEvent:
		h.logger().Info("installation repositories", "action", e.GetAction(), "installation", e.GetInstallation().GetID(),
			"added", len(e.RepositoriesAdded), "removed", len(e.RepositoriesRemoved))
		return nil, "logged"
	}
	return nil, "event not handled"
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
