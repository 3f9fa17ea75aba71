// Command shop wires the service.
package main

import (
	"context"
	"database/sql"
	"net/http"

	"example.com/shop/billing"
	"example.com/shop/store"
	"example.com/shop/webhook"
)

func main() {
	ctx := context.Background()
	db, err := sql.Open("postgres", "")
	if err != nil {
		return
	}
	st := store.New(db)
	_ = st.LogStartup(ctx)
	h := &webhook.Handler{Billing: &billing.Service{L: st}, Store: st}
	mux := http.NewServeMux()
	mux.HandleFunc("/webhooks/stripe", h.Stripe)
	mux.HandleFunc("/webhooks/adyen", h.Adyen)
	mux.HandleFunc("/signup", h.Signup)
	_ = http.ListenAndServe("127.0.0.1:8080", mux)
}
