// Package retrylibs holds POSTs retried through retry libraries.
package retrylibs

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Client is an API client whose requests take their method as a parameter,
// as many hand-written API clients do.
type Client struct {
	hc   *http.Client
	base string
}

// Annotation is appended to a build's page.
type Annotation struct {
	Body   string `json:"body"`
	Append bool   `json:"append"`
}

func (c *Client) newRequest(ctx context.Context, method, path string, v any) (*http.Request, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return http.NewRequestWithContext(ctx, method, c.base+"/"+path, bytes.NewReader(b))
}

func (c *Client) do(req *http.Request) error {
	resp, err := c.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Annotate appends an annotation to the job's build.
func (c *Client) Annotate(ctx context.Context, job string, a *Annotation) error {
	req, err := c.newRequest(ctx, "POST", fmt.Sprintf("jobs/%s/annotations", job), a)
	if err != nil {
		return err
	}
	return c.do(req)
}

// GetAnnotations reads them back.
func (c *Client) GetAnnotations(ctx context.Context, job string) error {
	req, err := c.newRequest(ctx, http.MethodGet, fmt.Sprintf("jobs/%s/annotations", job), nil)
	if err != nil {
		return err
	}
	return c.do(req)
}

// Heartbeat reports that the agent is alive.
func (c *Client) Heartbeat(ctx context.Context, agent string) error {
	req, err := c.newRequest(ctx, http.MethodPost, "agents/"+agent+"/heartbeat", nil)
	if err != nil {
		return err
	}
	return c.do(req)
}

// PipelineChange is uploaded once per change.
type PipelineChange struct {
	// UUID identifies this change; it stays the same across retries so
	// that the server does the work once.
	UUID     string `json:"uuid"`
	Pipeline any    `json:"pipeline"`
}

// UploadPipeline uploads a pipeline change.
func (c *Client) UploadPipeline(ctx context.Context, job string, ch *PipelineChange) error {
	req, err := c.newRequest(ctx, http.MethodPost, fmt.Sprintf("jobs/%s/pipelines", job), ch)
	if err != nil {
		return err
	}
	return c.do(req)
}

// Uploads a pipeline with no ID of its own.
func (c *Client) UploadPipelineBare(ctx context.Context, job string, a *Annotation) error {
	req, err := c.newRequest(ctx, http.MethodPost, fmt.Sprintf("jobs/%s/pipelines", job), a)
	if err != nil {
		return err
	}
	return c.do(req)
}
