package queryinloop

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
)

// catalog serves the product API.
type catalog struct {
	db  *sql.DB
	hc  *http.Client
	api string
}

// handleNames looks up each id the client put in the query string, one
// query per id.
func (s *catalog) handleNames(w http.ResponseWriter, r *http.Request) {
	for _, id := range r.URL.Query()["id"] {
		var name string
		if err := s.db.QueryRowContext(r.Context(), "SELECT name FROM products WHERE id = $1", id).Scan(&name); err != nil { // want `a database query for every element.*\(the request decides how many\)`
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(name))
	}
}

// handleStock asks the warehouse service once per product row.
func (s *catalog) handleStock(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.QueryContext(r.Context(), "SELECT sku FROM products WHERE active")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var skus []string
	for rows.Next() {
		var sku string
		if err := rows.Scan(&sku); err != nil {
			return
		}
		skus = append(skus, sku)
	}
	for _, sku := range skus {
		req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, s.api+"/stock/"+sku, nil)
		if err != nil {
			return
		}
		resp, err := s.hc.Do(req) // want `an HTTP request for every element`
		if err != nil {
			return
		}
		resp.Body.Close()
	}
}

type tagRequest struct {
	ProductIDs []int64 `json:"product_ids"`
	Tags       []string
}

// handleTags hands the client's ids to the service below.
func (s *catalog) handleTags(w http.ResponseWriter, r *http.Request) {
	var in tagRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_, _ = s.tagsOf(r.Context(), in.ProductIDs)
	_ = s.saveTags(r.Context(), 1, in.Tags)
}

// tagsOf runs one query per product the handler passed: the request sizes it.
func (s *catalog) tagsOf(ctx context.Context, ids []int64) ([]string, error) {
	var out []string
	for _, id := range ids {
		var tag string
		if err := s.db.QueryRowContext(ctx, "SELECT tag FROM product_tags WHERE product_id = $1", id).Scan(&tag); err != nil { // want `a database query for every element.*\(the request decides how many\)`
			return nil, err
		}
		out = append(out, tag)
	}
	return out, nil
}

// at most info: the tags of one product, looked up and inserted one by one
// inside one transaction: a bounded save.
func (s *catalog) saveTags(ctx context.Context, productID int64, tags []string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tags {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM tags WHERE name = $1", t).Scan(&id); err != nil { // want `bounded save`
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO product_tags (product_id, tag_id) VALUES ($1, $2)", productID, id); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// suiteResults reads, inside one read-only transaction, the results of
// every suite row: reads per row of a query stay a finding.
func (s *catalog) suiteResults(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var ids []int64
	rows, err := tx.QueryContext(ctx, "SELECT id FROM suites")
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM results WHERE suite_id = $1", id).Scan(&n); err != nil { // want `a database query for every element`
			return err
		}
	}
	return tx.Commit()
}
