// Command notifyctl resends the pending notifications once and exits.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"

	"example.com/notify/store"
)

func main() {
	db, _ := sql.Open("postgres", "")
	resendAll(context.Background(), &store.Store{DB: db})
}

// resendAll runs once, from the command line.
func resendAll(ctx context.Context, s *store.Store) {
	pending, _ := s.ListPending(ctx)
	for _, p := range pending {
		resp, err := http.Post(p.URL, "application/json", bytes.NewReader([]byte(p.Body)))
		if err != nil {
			continue
		}
		_ = resp.Body.Close()
		_ = s.MarkSent(ctx, p.ID)
	}
}
