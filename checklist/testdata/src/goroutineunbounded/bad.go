package goroutineunbounded

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

type item struct{ id int }

var client = &http.Client{Timeout: 10 * time.Second}

// process sends one item downstream, through a helper.
func process(ctx context.Context, it item) error {
	return send(ctx, fmt.Sprint("http://svc/items/", it.id))
}

func send(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// One goroutine per item, waited for but not limited.
// at most info: nothing in the package says where the list comes from.
func all(ctx context.Context, items []item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // want `goroutine is started for every iteration`
			defer wg.Done()
			_ = process(ctx, it)
		}()
	}
	wg.Wait()
}

// Results sent back on a channel: the send is inside the goroutine and bounds nothing.
// at most info: nothing in the package says where the list comes from.
func fanOut(ctx context.Context, items []item) []error {
	errs := make(chan error)
	for i := 0; i < len(items); i++ {
		go func(it item) { errs <- process(ctx, it) }(items[i]) // want `goroutine is started for every iteration`
	}
	out := make([]error, 0, len(items))
	for range items {
		out = append(out, <-errs)
	}
	return out
}

// A message per goroutine from a channel.
// at most info: a message, rows or the service's own list decide how many, not a client's request.
func consume(ctx context.Context, in <-chan item) {
	for it := range in {
		go process(ctx, it) // want `goroutine is started for every iteration`
	}
}

// errgroup without SetLimit.
// at most info: nothing in the package says where the list comes from.
func group(ctx context.Context, items map[string]item) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, it := range items {
		g.Go(func() error { return process(ctx, it) }) // want `errgroup.Group.Go in a loop with no SetLimit`
	}
	return g.Wait()
}

// sync.WaitGroup.Go is still one goroutine per item.
// at most info: nothing in the package says where the list comes from.
func waitGroupGo(ctx context.Context, items []item) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Go(func() { _ = process(ctx, it) }) // want `sync.WaitGroup.Go in a loop`
	}
	wg.Wait()
}

// Batch holds the items one request brought in.
type Batch struct{ Items []item }

// A field that lists records, not configured peers.
// at most info: nothing in the package says where the list comes from.
func deliver(ctx context.Context, b Batch) {
	for _, it := range b.Items {
		go send(ctx, fmt.Sprintf("http://queue/items/%d", it.id)) // want `goroutine is started for every iteration`
	}
}
