// Package server is an HTTP service with every timeout set, bounded request
// bodies, no locks held across calls, and a graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

const maxBody = 1 << 20

// Quotes is a cache of prices fetched from upstream.
type Quotes struct {
	upstream string
	client   *http.Client

	mu     sync.Mutex
	prices map[string]float64
}

// NewQuotes returns a cache in front of upstream.
func NewQuotes(upstream string) *Quotes {
	return &Quotes{
		upstream: upstream,
		client:   &http.Client{Timeout: 5 * time.Second},
		prices:   map[string]float64{},
	}
}

// Price returns a cached price, fetching it without holding the lock.
func (q *Quotes) Price(ctx context.Context, sym string) (float64, error) {
	q.mu.Lock()
	p, ok := q.prices[sym]
	q.mu.Unlock()
	if ok {
		return p, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, q.upstream+"/price/"+sym, nil)
	if err != nil {
		return 0, fmt.Errorf("build price request: %w", err)
	}
	resp, err := q.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("fetch price of %s: %w", sym, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("fetch price of %s: upstream answered %d", sym, resp.StatusCode)
	}
	var body struct {
		Price float64 `json:"price"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, maxBody)).Decode(&body); err != nil {
		return 0, fmt.Errorf("decode price of %s: %w", sym, err)
	}
	q.mu.Lock()
	q.prices[sym] = body.Price
	q.mu.Unlock()
	return body.Price, nil
}

// Handler serves the API.
type Handler struct {
	Quotes *Quotes
}

type orderRequest struct {
	Symbol string `json:"symbol"`
	Qty    int    `json:"qty"`
}

// ServeHTTP prices an order.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	var in orderRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, "invalid order: "+err.Error(), http.StatusBadRequest)
		return
	}
	p, err := h.Quotes.Price(r.Context(), in.Symbol)
	if err != nil {
		slog.Error("price order", "symbol", in.Symbol, "err", err)
		http.Error(w, "price unavailable", http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(map[string]float64{"total": p * float64(in.Qty)}); err != nil {
		slog.Warn("write answer", "err", err)
	}
}

// Run serves on addr until ctx ends, then drains for up to ten seconds.
func Run(ctx context.Context, addr string, h http.Handler) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	return nil
}
