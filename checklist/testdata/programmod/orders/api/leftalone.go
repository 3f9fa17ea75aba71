package api

import "net/http"

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
