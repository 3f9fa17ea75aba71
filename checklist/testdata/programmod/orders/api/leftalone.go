package api

import (
	"bytes"
	"context"
	"net/http"

	"example.com/orders/events"
	"example.com/orders/transaction"
)

// The case below is a dual write that is not reported: the publish goes
// through a function value held in a field, and the program model follows
// calls of declared functions and methods, not of values stored for later.

// CreateQuietly writes the row, then notifies through a callback.
func (a *API) CreateQuietly(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if err := a.Repo.Insert(r.Context(), id); err != nil {
		return
	}
	a.notify(r.Context(), id)
}

// The cases below POST before writing a row, but the POST reads or
// authenticates rather than asking the peer to act: a token exchange, a
// code check. Nothing is left half done when the write fails.

const tokenURL = "https://idp.example/oauth2/token"

// Login exchanges the code for a token, then records the session.
func (a *API) Login(w http.ResponseWriter, r *http.Request) {
	resp, err := http.Post(tokenURL, "application/x-www-form-urlencoded", bytes.NewReader([]byte(r.FormValue("code"))))
	if err != nil {
		return
	}
	_ = resp.Body.Close()
	_ = a.Repo.Insert(r.Context(), r.FormValue("id"))
}

// Confirm has the code checked by a helper named for it, then writes.
func (a *API) Confirm(w http.ResponseWriter, r *http.Request) {
	if !verifyCode(r.Context(), a.Client, r.FormValue("code")) {
		return
	}
	_ = a.Repo.MarkConfirmed(r.Context(), r.FormValue("id"))
}

func verifyCode(ctx context.Context, c *http.Client, code string) bool {
	req, err := http.NewRequestWithContext(ctx, "POST", "https://sms.example/v1/codes", bytes.NewReader([]byte(code)))
	if err != nil {
		return false
	}
	resp, err := c.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// The cases below write a row and then reach a publish that is not on the
// handler's path: one sits in a worker goroutine that a pool starts (the
// handler only hands the message over), the other in a constructor that a
// lazy getter runs on first use (or on a reload), not per request.

// Register writes the row and hands a welcome message to the pool.
func (a *API) Register(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if err := a.Repo.Insert(r.Context(), id); err != nil {
		return
	}
	a.Pool.Queue(id)
}

// Greet writes the row and takes the shared announcer.
func (a *API) Greet(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	if err := a.Repo.Insert(r.Context(), id); err != nil {
		return
	}
	_ = a.Deps.Announcer(r.Context())
}

// Restart builds a new pool per request: its worker's publish is still off
// the handler's path.
func (a *API) Restart(w http.ResponseWriter, r *http.Request) {
	if err := a.Repo.Insert(r.Context(), r.FormValue("id")); err != nil {
		return
	}
	a.Pool = events.NewPool(a.Pool.NC)
}

// txCreator opens the transactions of the handlers below.
var txCreator transaction.Creator

// CreateInTx writes the row and publishes inside a transaction helper: a
// failed publish rolls the row back.
func (a *API) CreateInTx(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	_ = transaction.Run(r.Context(), txCreator, func(ctx context.Context) error {
		if err := a.Repo.Insert(ctx, id); err != nil {
			return err
		}
		return a.Pub.NC.Publish("orders.created.tx", []byte(id))
	})
}
