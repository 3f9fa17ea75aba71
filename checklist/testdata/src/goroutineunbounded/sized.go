package goroutineunbounded

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

// ordersService fans work out for the API.
type ordersService struct {
	db *sql.DB
}

type notifyRequest struct {
	OrderIDs []int `json:"order_ids"`
}

// handleNotify decodes the client's list and hands it to the service.
func (s *ordersService) handleNotify(w http.ResponseWriter, r *http.Request) {
	var req notifyRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	s.notifyOrders(r.Context(), req.OrderIDs)
	w.WriteHeader(http.StatusAccepted)
}

// notifyOrders starts one goroutine per order the client listed: the
// handler above passes the request's list, so the request decides how many.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func (s *ordersService) notifyOrders(ctx context.Context, ids []int) {
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() { // want `the request decides how many: a goroutine is started for every iteration`
			defer wg.Done()
			_ = process(ctx, item{id: id})
		}()
	}
	wg.Wait()
}

// remindAll starts a goroutine per row of a query: the table decides how many.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func (s *ordersService) remindAll(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM orders WHERE reminded = false")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return err
		}
		go func() { _ = process(ctx, item{id: id}) }() // want `a database query decides how many: a goroutine is started for every iteration`
	}
	return rows.Err()
}

// orderStore stands for the repository layer.
type orderStore interface {
	ListPending(ctx context.Context) ([]item, error)
}

// syncPending runs an errgroup with no limit over every pending order the
// repository lists.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func syncPending(ctx context.Context, store orderStore) error {
	pending, err := store.ListPending(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, it := range pending {
		g.Go(func() error { return process(ctx, it) }) // want `a database query decides how many: errgroup.Group.Go in a loop`
	}
	return g.Wait()
}

// at most info: the loop sleeps before each start, so the goroutines come
// one every second or so, not in a burst.
func paced(ctx context.Context, store orderStore) error {
	pending, err := store.ListPending(ctx)
	if err != nil {
		return err
	}
	for _, it := range pending {
		time.Sleep(time.Second)
		go func() { _ = process(ctx, it) }() // want `the loop sleeps between starts`
	}
	return nil
}

// at most info: the callers pass a list built in code, not input.
func (s *ordersService) warm(ctx context.Context, ids []int) {
	for _, id := range ids {
		go func() { _ = process(ctx, item{id: id}) }() // want `what decides the length of this list is not in sight`
	}
}

func (s *ordersService) start(ctx context.Context) {
	s.warm(ctx, defaultIDs())
}

func defaultIDs() []int { return []int{1, 2, 3} }

// tracker runs one long-lived goroutine per running build.
type tracker struct {
	db      *sql.DB
	running sync.Map
}

// at most info: a goroutine starts only for a build not tracked already.
func (t *tracker) trackAll(ctx context.Context) error {
	rows, err := t.db.QueryContext(ctx, "SELECT id FROM builds WHERE status = 'started'")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if _, tracked := t.running.LoadOrStore(id, true); !tracked {
			go func() { _ = process(ctx, item{id: id}) }() // want `a goroutine is started for every iteration.*info only: the goroutine starts only for a key not already running`
		}
	}
	return rows.Err()
}
