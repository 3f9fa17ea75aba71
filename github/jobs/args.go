// Package jobs is the App's durable work: a review request becomes a river job
// (github.com/riverqueue/river) unique per installation, repository, pull
// request and head SHA; a worker fetches the code, runs the pipeline and
// publishes. A newer request for the same pull request supersedes older ones,
// failures are retried with backoff, and jobs a crashed process left running
// are put back in the queue.
package jobs

import (
	"fmt"

	"github.com/riverqueue/river"

	"github.com/prodready/prodready/github/store"
)

// Queue is the river queue that holds review jobs.
const Queue = "reviews"

// ReviewArgs is one review request. The fields tagged river:"unique" make it
// unique: a redelivered webhook finds the job already there.
type ReviewArgs struct {
	InstallationID int64  `json:"installation_id" river:"unique"`
	Owner          string `json:"owner" river:"unique"`
	Repo           string `json:"repo" river:"unique"`
	Number         int    `json:"number" river:"unique"`
	// HeadSHA is the pull request's head when the event was sent; empty for
	// a /prodready review comment, whose worker asks GitHub for the head.
	HeadSHA string `json:"head_sha" river:"unique"`
	// CommentID is the /prodready review comment that asked (0 otherwise).
	CommentID int64 `json:"comment_id,omitempty" river:"unique"`
	// RequeuedBy is the job that found the pull request's head past its own
	// and asked for this review of the current head (0 otherwise). It is part
	// of the key so that request is not taken for an older job of the same
	// head that is being cancelled.
	RequeuedBy int64 `json:"requeued_by,omitempty" river:"unique"`
	// BaseSHA is the base branch's head when the event was sent.
	BaseSHA string `json:"base_sha,omitempty"`
	// CloneURL is the repository's https clone URL from the signed payload.
	CloneURL string `json:"clone_url,omitempty"`
	// Commenter is the login of the comment's author, whose permission the
	// worker checks.
	Commenter string `json:"commenter,omitempty"`
	// Delivery is the X-GitHub-Delivery of the webhook that created the job.
	Delivery string `json:"delivery,omitempty"`
	// Event is the webhook event and action, e.g. "pull_request.synchronize".
	Event string `json:"event,omitempty"`
}

// Kind names the job kind in the queue's table.
func (ReviewArgs) Kind() string { return "prodready_review" }

// InsertOpts puts reviews in their queue, unique by the tagged fields in every
// state but cancelled and discarded, so a failed review can be asked again.
func (ReviewArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: Queue, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// PR is the pull request the job reviews.
func (a ReviewArgs) PR() store.PR {
	return store.PR{InstallationID: a.InstallationID, Repo: a.Owner + "/" + a.Repo, Number: a.Number}
}

// String names the job's pull request for logs and errors.
func (a ReviewArgs) String() string {
	return fmt.Sprintf("%s/%s#%d@%s", a.Owner, a.Repo, a.Number, short(a.HeadSHA))
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	if sha == "" {
		return "HEAD"
	}
	return sha
}
