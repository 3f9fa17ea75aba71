package api

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// Relay sends each pending notice on a ticker and marks it sent afterwards:
// when the mark fails, the next tick sends the notice again.
func (a *API) Relay(ctx context.Context, next func() string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		id := next()
		resp, err := http.Post("https://partner.example/notices", "text/plain", bytes.NewReader([]byte(id)))
		if err != nil {
			continue
		}
		_ = resp.Body.Close()
		_ = a.Repo.MarkSent(ctx, id)
	}
}

// RelayClaimed claims each notice before sending it: a failed send is lost,
// not repeated, which is the choice this loop makes.
func (a *API) RelayClaimed(ctx context.Context, next func() string) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		id := next()
		if err := a.Repo.Claim(ctx, id); err != nil {
			continue
		}
		resp, err := http.Post("https://partner.example/notices", "text/plain", bytes.NewReader([]byte(id)))
		if err == nil {
			_ = resp.Body.Close()
		}
	}
}
