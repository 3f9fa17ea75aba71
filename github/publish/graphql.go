package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/prodready/prodready/github/client"
)

// The REST API cannot resolve a review thread; GraphQL can. Two small
// operations do not justify a GraphQL client library (githubv4 would pull in
// oauth2 and a reflection-based query builder), so they are plain JSON posts.

const threadsQuery = `query($owner:String!,$name:String!,$number:Int!,$first:Int!,$after:String){
  repository(owner:$owner,name:$name){pullRequest(number:$number){
    reviewThreads(first:$first,after:$after){
      nodes{id isResolved comments(first:100){nodes{databaseId body author{login}}}}
      pageInfo{hasNextPage endCursor}}}}}`

const resolveMutation = `mutation($threadId:ID!){resolveReviewThread(input:{threadId:$threadId}){thread{id isResolved}}}`

// thread is what closeFixed needs to know about a review thread.
type thread struct {
	id       string
	resolved bool
	// human is true when a comment in the thread is neither prodready's
	// finding nor its "Fixed in" reply.
	human bool
}

// maxGraphQLBytes caps a GraphQL answer.
const maxGraphQLBytes = 32 << 20

func (p *Publisher) graphql(ctx context.Context, query string, vars map[string]any, readOnly bool, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.opts.GraphQLURL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	if readOnly {
		req.Header.Set(client.ReadOnlyHeader, "1")
	}
	resp, err := p.opts.HTTPClient.Do(req)
	if err != nil {
		return fmt.Errorf("graphql: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxGraphQLBytes))
	if err != nil {
		return fmt.Errorf("graphql: read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("graphql: %s: %s", resp.Status, firstLine(string(data)))
	}
	var env struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("graphql: decode answer: %w", err)
	}
	if len(env.Errors) > 0 {
		msgs := make([]string, 0, len(env.Errors))
		for _, e := range env.Errors {
			msgs = append(msgs, e.Message)
		}
		if env.Errors[0].Type == "FORBIDDEN" {
			return &PermissionError{Op: "resolve review threads", Permission: "pull-requests: write", Err: fmt.Errorf("graphql: %s", strings.Join(msgs, "; "))}
		}
		return fmt.Errorf("graphql: %s", strings.Join(msgs, "; "))
	}
	if err := json.Unmarshal(env.Data, out); err != nil {
		return fmt.Errorf("graphql: decode data: %w", err)
	}
	return nil
}

// threads maps each thread's first comment ID to the thread.
func (p *Publisher) threads(ctx context.Context, t Target) (map[int64]thread, error) {
	out := map[int64]thread{}
	var after any
	for page := 0; page < maxPages; page++ {
		var data struct {
			Repository struct {
				PullRequest struct {
					ReviewThreads struct {
						Nodes []struct {
							ID         string `json:"id"`
							IsResolved bool   `json:"isResolved"`
							Comments   struct {
								Nodes []struct {
									DatabaseID int64  `json:"databaseId"`
									Body       string `json:"body"`
								} `json:"nodes"`
							} `json:"comments"`
						} `json:"nodes"`
						PageInfo struct {
							HasNextPage bool   `json:"hasNextPage"`
							EndCursor   string `json:"endCursor"`
						} `json:"pageInfo"`
					} `json:"reviewThreads"`
				} `json:"pullRequest"`
			} `json:"repository"`
		}
		vars := map[string]any{"owner": t.Owner, "name": t.Repo, "number": t.Number, "first": 100, "after": after}
		if err := p.graphql(ctx, threadsQuery, vars, true, &data); err != nil {
			return out, err
		}
		rt := data.Repository.PullRequest.ReviewThreads
		for _, n := range rt.Nodes {
			if len(n.Comments.Nodes) == 0 {
				continue
			}
			th := thread{id: n.ID, resolved: n.IsResolved}
			for _, c := range n.Comments.Nodes[1:] {
				if FingerprintOf(c.Body) == "" && !strings.Contains(c.Body, fixedMarker) {
					th.human = true
				}
			}
			out[n.Comments.Nodes[0].DatabaseID] = th
		}
		if !rt.PageInfo.HasNextPage {
			break
		}
		after = rt.PageInfo.EndCursor
	}
	return out, nil
}

func (p *Publisher) resolve(ctx context.Context, threadID string) error {
	var data struct {
		ResolveReviewThread struct {
			Thread struct {
				IsResolved bool `json:"isResolved"`
			} `json:"thread"`
		} `json:"resolveReviewThread"`
	}
	if err := p.graphql(ctx, resolveMutation, map[string]any{"threadId": threadID}, false, &data); err != nil {
		return err
	}
	if !data.ResolveReviewThread.Thread.IsResolved {
		return fmt.Errorf("graphql: thread %s is still unresolved", threadID)
	}
	return nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return capText(s, 300)
}
