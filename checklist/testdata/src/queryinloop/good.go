package queryinloop

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"strings"
)

// One query for the whole set.
func namesAtOnce(ctx context.Context, db *sql.DB, ids []int64) (map[int64]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT id, name FROM users WHERE id = ANY($1)", ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// A worker reading jobs from a channel makes one query per job by design.
func worker(ctx context.Context, db *sql.DB, jobs <-chan int64) error {
	for id := range jobs {
		if _, err := db.ExecContext(ctx, "UPDATE users SET seen = now() WHERE id = $1", id); err != nil {
			return err
		}
		var n string
		if err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&n); err != nil {
			return err
		}
	}
	return nil
}

// Batches are the fix already.
func inBatches(ctx context.Context, db *sql.DB, batches [][]int64) error {
	for _, batch := range batches {
		rows, err := db.QueryContext(ctx, "SELECT id FROM users WHERE id = ANY($1)", batch)
		if err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

// Paging through an API until it runs out is not a loop over a collection.
func allPages(ctx context.Context, hc *http.Client, url string) error {
	for page := 1; ; page++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return nil
		}
	}
}

// Two fixed endpoints.
func health(ctx context.Context, hc *http.Client) error {
	for _, u := range []string{"http://a/healthz", "http://b/healthz"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// Writes in a transaction per row are left to other checks.
func insertAll(ctx context.Context, tx *sql.Tx, names []string) error {
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, "INSERT INTO t (name) VALUES ($1)", n); err != nil {
			return err
		}
	}
	return nil
}

type entry struct{ Name, URL string }

// A search: the request is sent once, for the match, then the loop returns.
func download(ctx context.Context, hc *http.Client, entries []entry, name string) (*http.Response, error) {
	for _, e := range entries {
		if e.Name == name {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.URL, nil)
			if err != nil {
				return nil, err
			}
			return hc.Do(req)
		}
	}
	return nil, nil
}

// A table of cases in a test helper.
func checkAll(ctx context.Context, db *sql.DB, tests []int64) error {
	for _, tt := range tests {
		var ok bool
		if err := db.QueryRowContext(ctx, "SELECT $1 > 0", tt).Scan(&ok); err != nil {
			return err
		}
	}
	return nil
}

// CAPool fetches certificates from the endpoints it was configured with.
type CAPool struct {
	Endpoints []string
	hc        *http.Client
}

// Load calls each configured endpoint once: a fan-out over a list someone
// wrote down, not N+1 over data.
func (p *CAPool) Load(ctx context.Context) ([]int, error) {
	codes := make([]int, 0, len(p.Endpoints))
	for _, uri := range p.Endpoints {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
		if err != nil {
			return nil, err
		}
		resp, err := p.hc.Do(req)
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	return codes, nil
}

// Report sends the same payload to each endpoint it was configured with.
func Report(ctx context.Context, hc *http.Client, configured string, body []byte) error {
	var last error
	for _, endpoint := range strings.Split(configured, ",") {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
		if err != nil {
			last = err
			continue
		}
		resp, err := hc.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
	}
	return last
}

// Lag samples one row per shard: the shard count is fixed.
func Lag(ctx context.Context, db *sql.DB, cursorByShard map[int]int64) map[int]bool {
	out := make(map[int]bool, len(cursorByShard))
	for shard, cursor := range cursorByShard {
		var ok bool
		if err := db.QueryRowContext(ctx, "SELECT true FROM stream WHERE id = $1", cursor).Scan(&ok); err != nil {
			continue
		}
		out[shard] = ok
	}
	return out
}

// Notify sends the alert and, when asked, an update: the function builds at
// most two requests, so the loop over them does not grow with the input.
func Notify(ctx context.Context, hc *http.Client, api string, alert []byte, update bool) error {
	create, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/alerts", bytes.NewReader(alert))
	if err != nil {
		return err
	}
	requests := []*http.Request{create}
	if update {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, api+"/alerts/message", bytes.NewReader(alert))
		if err != nil {
			return err
		}
		requests = append(requests, req)
	}
	for _, req := range requests {
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// requestsFor builds the create request and, for a resolved alert, the close
// request: at most two, whatever the alert holds.
func requestsFor(ctx context.Context, api string, alert []byte, resolved bool) ([]*http.Request, error) {
	var requests []*http.Request
	create, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/alerts", bytes.NewReader(alert))
	if err != nil {
		return nil, err
	}
	requests = append(requests, create)
	if resolved {
		closeReq, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/alerts/close", nil)
		if err != nil {
			return nil, err
		}
		requests = append(requests, closeReq)
	}
	return requests, nil
}

// NotifyVia sends what requestsFor built.
func NotifyVia(ctx context.Context, hc *http.Client, api string, alert []byte, resolved bool) error {
	requests, err := requestsFor(ctx, api, alert, resolved)
	if err != nil {
		return err
	}
	for _, req := range requests {
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// queueMetadata is what an operator configured for one trigger.
type queueMetadata struct {
	QueueNames []string
	Host       string
}

// DepthScaler asks for the depth of each configured queue.
type DepthScaler struct {
	metadata queueMetadata
	hc       *http.Client
}

// Depths makes one request per queue someone configured: a fixed set.
func (s *DepthScaler) Depths(ctx context.Context) (int, error) {
	total := 0
	for _, q := range s.metadata.QueueNames {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.metadata.Host+"/queues/"+q, nil)
		if err != nil {
			return 0, err
		}
		resp, err := s.hc.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		total++
	}
	return total, nil
}
