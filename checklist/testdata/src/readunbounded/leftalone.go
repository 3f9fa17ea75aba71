package readunbounded

import (
	"context"
	"encoding/json"
	"io"
	"net/http"

	admissionv1 "k8s.io/api/admission/v1"
)

// The cases below read a client's body whole and are still reported, but at
// info: on 23 applications the true findings were all on endpoints reached
// before any login check, and the false ones sat behind one (logged-in
// settings, admin APIs, service-to-service APIs with JWT middleware). A
// handler that asks who is calling before it reads serves logged-in callers
// only. Every other client read is posted only where the review driver sees
// its handler registered on a public route (checklist.PublicRouteOnly);
// the vet tool, package by package, cannot see routers and reports it at
// info. If the check posts these again, the tests fail.

type account struct{ ID string }

func currentUser(r *http.Request) (*account, error)   { return nil, nil }
func accountFromContext(ctx context.Context) *account { return nil }

// at most info: the handler asks for the current user first.
func saveSettings(w http.ResponseWriter, r *http.Request) {
	if _, err := currentUser(r); err != nil {
		http.Error(w, "login", http.StatusUnauthorized)
		return
	}
	var in map[string]string
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { // want `json.NewDecoder of the request body has no size limit.*asks who is calling first, currentUser`
		http.Error(w, "json", http.StatusBadRequest)
	}
}

// at most info: HTTP basic authentication before the read.
func ingestMetrics(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := r.BasicAuth(); !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	_, _ = io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit.*r.BasicAuth`
}

// at most info: the bearer token is read before the body.
func serviceCall(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") == "" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	_, _ = io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit.*r.Header.Get`
}

// at most info: the caller's account from the request context.
func updateProfile(w http.ResponseWriter, r *http.Request) {
	acct := accountFromContext(r.Context())
	var in account
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || acct == nil { // want `json.NewDecoder of the request body has no size limit.*accountFromContext`
		http.Error(w, "json", http.StatusBadRequest)
	}
}

func allowWholeType(r *http.Request, verb, doctype string) error { return nil }
func allowOrigin(r *http.Request) bool                           { return true }

// at most info: a permission check on the caller's token comes first.
func createConversation(w http.ResponseWriter, r *http.Request) {
	if err := allowWholeType(r, http.MethodPost, "io.cozy.ai.chat.conversations"); err != nil {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	_, _ = io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit.*allowWholeType`
}

// A CORS check says nothing about who is calling: the route decides.
func corsOnly(w http.ResponseWriter, r *http.Request) {
	if !allowOrigin(r) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	_, _ = io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit: one large`
}

// at most info: a validating admission webhook; the API server sends the
// review over TLS and caps what it sends.
func validatePods(w http.ResponseWriter, r *http.Request) {
	var review admissionv1.AdmissionReview
	if err := json.NewDecoder(r.Body).Decode(&review); err != nil { // want `json.NewDecoder of the request body has no size limit.*admission webhook`
		http.Error(w, "bad review", http.StatusBadRequest)
		return
	}
	review.Response = &admissionv1.AdmissionResponse{UID: review.Request.UID, Allowed: true}
	_ = json.NewEncoder(w).Encode(review)
}

func readReview(r io.Reader) (*admissionv1.AdmissionRequest, error) { // want readReview:`reads whole stream 0`
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var review admissionv1.AdmissionReview
	if err := json.Unmarshal(b, &review); err != nil {
		return nil, err
	}
	return review.Request, nil
}

// at most info: a webhook whose helper decodes the review; the handler
// holds the admission request it returns.
func validateHelped(w http.ResponseWriter, r *http.Request) {
	req, err := readReview(r.Body) // want `this passes the request body to readReview.*admission webhook`
	if err != nil {
		http.Error(w, "bad review", http.StatusBadRequest)
		return
	}
	_ = json.NewEncoder(w).Encode(req)
}

// The identity read after the body does not guard it: the route decides.
func lateCheck(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit: one large`
	if _, err := currentUser(r); err != nil || len(b) == 0 {
		http.Error(w, "login", http.StatusUnauthorized)
	}
}

// The cases below are left at info or silent by pattern, and a real defect
// can hide in them. A body limit installed for a package's routes covers
// every route the package registers, even one registered on another
// router that the limit does not wrap. A middleware counts as a body limit
// by its name alone (body limit, max bytes, size limit), whether or not it
// limits anything. A copy into a writer of interface type is taken to
// stream to storage, though the writer may be a buffer in memory:

// at most info: w may be a bytes.Buffer the caller handed in.
func copyInto(dst io.Writer) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(dst, r.Body) // want `io.Copy of the request body has no size limit: one large or endless upload fills the storage behind dst`
	}
}
