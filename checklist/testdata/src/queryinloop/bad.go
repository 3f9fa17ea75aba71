package queryinloop

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
)

type user struct {
	ID   int64
	Name string
}

// at most info: no caller in the package says where the list comes from.
func names(ctx context.Context, db *sql.DB, ids []int64) ([]string, error) {
	var out []string
	for _, id := range ids {
		var n string
		if err := db.QueryRowContext(ctx, "SELECT name FROM users WHERE id = $1", id).Scan(&n); err != nil { // want `a database query for every element`
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Inside a transaction, over a map.
// at most info: no caller in the package says where the list comes from.
func totals(ctx context.Context, tx *sql.Tx, byCustomer map[string]int) error {
	for cust := range byCustomer {
		rows, err := tx.QueryContext(ctx, "SELECT total FROM orders WHERE customer = $1", cust) // want `a database query for every element`
		if err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

// An HTTP call per element, through a method value.
// Outside a request handler: at most info.
func statuses(ctx context.Context, hc *http.Client, urls []string) ([]int, error) {
	do := hc.Do
	_ = do
	codes := make([]int, 0, len(urls))
	for i := 0; i < len(urls); i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, urls[i], nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	return codes, nil
}

// A prepared statement per element still makes a round trip each.
// at most info: no caller in the package says where the list comes from.
func viaStmt(ctx context.Context, stmt *sql.Stmt, users []user) error {
	for _, u := range users {
		var ok bool
		if err := stmt.QueryRowContext(ctx, u.ID).Scan(&ok); err != nil { // want `a database query for every element`
			return err
		}
	}
	return nil
}

// Inside a closure called per element.
// at most info: no caller in the package says where the list comes from.
func each(ctx context.Context, db *sql.DB, users []user) {
	for _, u := range users {
		func() {
			_ = u
		}()
		row := db.QueryRow("SELECT 1 FROM bans WHERE user_id = $1", u.ID) // want `a database query for every element`
		_ = row
	}
}

// Order holds the lines a customer bought.
type Order struct{ Items []string }

// A field that lists records, not peers: one request per item is N+1.
// Outside a request handler: at most info.
func prices(ctx context.Context, hc *http.Client, o Order, base string) error {
	for _, sku := range o.Items {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/prices/"+sku, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// notifyEach builds one request per alert, then sends them one by one: the
// list grows with the input.
// Outside a request handler: at most info.
func notifyEach(ctx context.Context, hc *http.Client, api string, alerts []string) error {
	var requests []*http.Request
	for _, a := range alerts {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/alerts?name="+a, nil)
		if err != nil {
			return err
		}
		requests = append(requests, req)
	}
	for _, req := range requests {
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// requestsPerAlert builds one request per alert.
func requestsPerAlert(ctx context.Context, api string, alerts []string) ([]*http.Request, error) {
	requests := []*http.Request{}
	for _, a := range alerts {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/alerts?name="+a, nil)
		if err != nil {
			return nil, err
		}
		requests = append(requests, req)
	}
	return requests, nil
}

// notifyVia sends them one by one: the list grows with the input.
// Outside a request handler: at most info.
func notifyVia(ctx context.Context, hc *http.Client, api string, alerts []string) error {
	requests, err := requestsPerAlert(ctx, api, alerts)
	if err != nil {
		return err
	}
	for _, req := range requests {
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// inventory is data loaded at run time, not configuration.
type inventory struct{ SKUs []string }

// Restock asks for each SKU the inventory holds: it grows with the data.
// Outside a request handler: at most info.
func Restock(ctx context.Context, hc *http.Client, inv *inventory, api string) error {
	for _, sku := range inv.SKUs {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, api+"/restock/"+sku, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// services decodes a list of services, then asks about each one.
// Outside a request handler: at most info.
func services(ctx context.Context, hc *http.Client, api string, body []byte) error {
	var srvs map[string][]string
	if err := json.Unmarshal(body, &srvs); err != nil {
		return err
	}
	for name := range srvs {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, api+"/service/"+name, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}

// byKey fills a map key by key from the input, then calls per key.
// Outside a request handler: at most info.
func byKey(ctx context.Context, hc *http.Client, api string, names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	for n := range seen {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, api+"/name/"+n, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return err
		}
		resp.Body.Close()
	}
	return nil
}
