// Package action runs prodready as a GitHub Actions step: it reads the event,
// makes sure the base and head commits are present, reads the configuration
// from the base ref, reviews, and publishes: a review when the token can
// write, workflow-command annotations and the step summary when it cannot
// (fork pull requests), or an artifact for the two-stage pattern
// (--save in pull_request, --post in workflow_run).
package action

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// maxEventBytes caps the event payload GitHub writes to GITHUB_EVENT_PATH.
const maxEventBytes = 25 << 20

// Event is what prodready needs from a workflow's event payload.
type Event struct {
	// Name is GITHUB_EVENT_NAME: pull_request, pull_request_target or workflow_run.
	Name string
	// Number is the pull request's number; 0 for a workflow_run whose run has
	// no pull request attached (GitHub leaves it empty for forks).
	Number int
	// BaseSHA and HeadSHA are the pull request's commits (for workflow_run:
	// HeadSHA is the run's head SHA; BaseSHA comes from the API).
	BaseSHA, HeadSHA string
	// BaseRepo and HeadRepo are owner/name.
	BaseRepo, HeadRepo string
	// Fork is true when the head lives in another repository.
	Fork bool
	// RunEvent is, for workflow_run, the event that triggered the run.
	RunEvent string
}

type prPayload struct {
	Number int `json:"number"`
	Base   struct {
		SHA  string `json:"sha"`
		Repo struct {
			FullName string `json:"full_name"`
		} `json:"repo"`
	} `json:"base"`
	Head struct {
		SHA  string `json:"sha"`
		Repo *struct {
			FullName string `json:"full_name"`
		} `json:"repo"`
	} `json:"head"`
}

// ReadEvent reads and interprets the event payload at path. name is
// GITHUB_EVENT_NAME; when empty it is inferred from the payload.
func ReadEvent(path, name string) (*Event, error) {
	if path == "" {
		return nil, errors.New("GITHUB_EVENT_PATH is not set; run inside GitHub Actions, or use 'prodready review' locally")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read the event payload: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEventBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read the event payload: %w", err)
	}
	if len(data) > maxEventBytes {
		return nil, fmt.Errorf("the event payload at %s is over %d MiB", path, maxEventBytes>>20)
	}
	return ParseEvent(data, name)
}

// ParseEvent interprets an event payload.
func ParseEvent(data []byte, name string) (*Event, error) {
	var raw struct {
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
		PullRequest *prPayload `json:"pull_request"`
		WorkflowRun *struct {
			Event        string      `json:"event"`
			HeadSHA      string      `json:"head_sha"`
			PullRequests []prPayload `json:"pull_requests"`
			HeadRepo     *struct {
				FullName string `json:"full_name"`
			} `json:"head_repository"`
		} `json:"workflow_run"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decode the event payload: %w", err)
	}
	if name == "" {
		switch {
		case raw.WorkflowRun != nil:
			name = "workflow_run"
		case raw.PullRequest != nil:
			name = "pull_request"
		}
	}
	ev := &Event{Name: name}
	switch name {
	case "pull_request", "pull_request_target":
		pr := raw.PullRequest
		if pr == nil || pr.Number <= 0 || pr.Head.SHA == "" || pr.Base.SHA == "" {
			return nil, fmt.Errorf("the %s payload has no pull request with base and head SHAs", name)
		}
		ev.Number, ev.BaseSHA, ev.HeadSHA = pr.Number, pr.Base.SHA, pr.Head.SHA
		ev.BaseRepo = pr.Base.Repo.FullName
		if ev.BaseRepo == "" {
			ev.BaseRepo = raw.Repository.FullName
		}
		if pr.Head.Repo == nil {
			// GitHub sends head.repo null when the fork was deleted.
			ev.Fork = true
		} else {
			ev.HeadRepo = pr.Head.Repo.FullName
			// head.repo.fork only says the head repository is some fork; a pull
			// request between branches of one forked repository is not from a fork.
			ev.Fork = !strings.EqualFold(ev.HeadRepo, ev.BaseRepo)
		}
	case "workflow_run":
		wr := raw.WorkflowRun
		if wr == nil || wr.HeadSHA == "" {
			return nil, errors.New("the workflow_run payload has no head SHA")
		}
		ev.RunEvent, ev.HeadSHA, ev.BaseRepo = wr.Event, wr.HeadSHA, raw.Repository.FullName
		if wr.HeadRepo != nil {
			ev.HeadRepo = wr.HeadRepo.FullName
			ev.Fork = !strings.EqualFold(ev.HeadRepo, ev.BaseRepo)
		}
		if len(wr.PullRequests) > 0 {
			ev.Number = wr.PullRequests[0].Number
			ev.BaseSHA = wr.PullRequests[0].Base.SHA
		}
	default:
		return nil, fmt.Errorf("event %q is not supported; run prodready on pull_request, pull_request_target or workflow_run", name)
	}
	if !validSHA(ev.HeadSHA) || (ev.BaseSHA != "" && !validSHA(ev.BaseSHA)) {
		return nil, errors.New("the event payload holds a malformed commit SHA")
	}
	return ev, nil
}

func validSHA(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

// SplitRepo splits owner/name.
func SplitRepo(full string) (owner, name string, err error) {
	owner, name, ok := strings.Cut(full, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return "", "", fmt.Errorf("repository %q is not owner/name", full)
	}
	return owner, name, nil
}
