package txnorollback

import (
	"context"
	"database/sql"
	"net/http"
)

// RequestContext is copied out of each request; handlers keep their
// transaction in it so that the stores they call share it.
type RequestContext struct {
	UserID      string
	Transaction *sql.Tx
}

func requestContext(r *http.Request) RequestContext {
	return RequestContext{UserID: r.Header.Get("X-User")}
}

// Docs is a store that runs in the request's transaction.
type Docs struct{}

// Locked reports whether a document is locked.
func (Docs) Locked(ctx RequestContext, id string) (bool, error) {
	var locked bool
	err := ctx.Transaction.QueryRow("SELECT locked FROM docs WHERE id = $1", id).Scan(&locked)
	return locked, err
}

// Delete removes it.
func (Docs) Delete(ctx RequestContext, id string) error {
	_, err := ctx.Transaction.Exec("DELETE FROM docs WHERE id = $1", id)
	return err
}

// Handler serves documents.
type Handler struct {
	DB   *sql.DB
	Docs Docs
}

// DeleteDoc answers a locked document with 403 and leaves the transaction
// in its own copy of the request context open.
func (h *Handler) DeleteDoc(w http.ResponseWriter, r *http.Request) {
	ctx := requestContext(r)
	var err error
	ctx.Transaction, err = h.DB.Begin() // want `transaction ctx.Transaction has no deferred Rollback, and the return on line 55 leaves it open`
	if err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	locked, err := h.Docs.Locked(ctx, r.FormValue("id"))
	if err != nil || locked {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	if err := h.Docs.Delete(ctx, r.FormValue("id")); err != nil {
		_ = ctx.Transaction.Rollback()
		http.Error(w, "db", http.StatusInternalServerError)
		return
	}
	if err := ctx.Transaction.Commit(); err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
	}
}

// DeleteDocDeferred defers the Rollback: every path ends it.
func (h *Handler) DeleteDocDeferred(w http.ResponseWriter, r *http.Request) {
	ctx := requestContext(r)
	var err error
	ctx.Transaction, err = h.DB.Begin()
	if err != nil {
		return
	}
	defer ctx.Transaction.Rollback()
	if locked, err := h.Docs.Locked(ctx, r.FormValue("id")); err != nil || locked {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	if err := ctx.Transaction.Commit(); err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
	}
}

// finish commits the request's transaction.
func finish(ctx RequestContext) error { return ctx.Transaction.Commit() }

// DeleteDocHelper hands the context to a helper that commits it.
func (h *Handler) DeleteDocHelper(w http.ResponseWriter, r *http.Request) {
	ctx := requestContext(r)
	var err error
	ctx.Transaction, err = h.DB.Begin()
	if err != nil {
		return
	}
	if err := h.Docs.Delete(ctx, r.FormValue("id")); err != nil {
		_ = ctx.Transaction.Rollback()
		return
	}
	if err := finish(ctx); err != nil {
		http.Error(w, "db", http.StatusInternalServerError)
	}
}

// Session is shared by pointer: a middleware may end what it holds.
type Session struct{ Tx *sql.Tx }

// Attach begins into a session a caller hands in by pointer.
func Attach(ctx context.Context, db *sql.DB, s *Session, bad bool) error {
	var err error
	s.Tx, err = db.BeginTx(ctx, nil)
	if err != nil || bad {
		return err
	}
	return s.Tx.Commit()
}
