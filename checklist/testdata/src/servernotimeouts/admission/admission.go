// Package admission serves Kubernetes admission webhooks: only the
// cluster's API server calls them.
package admission

import (
	"encoding/json"
	"io"
	"net/http"

	admissionv1 "k8s.io/api/admission/v1"
)

func readReview(r io.Reader) (*admissionv1.AdmissionRequest, error) {
	var review admissionv1.AdmissionReview
	if err := json.NewDecoder(r).Decode(&review); err != nil {
		return nil, err
	}
	return review.Request, nil
}

func validate(w http.ResponseWriter, r *http.Request) {
	req, err := readReview(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	_ = json.NewEncoder(w).Encode(req)
}

func listPods(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("[]")) }

// at most info: every route answers an admission review.
func ServeAdmission(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/validate", validate)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout.*info only: it serves only Kubernetes admission webhooks`
	return srv.ListenAndServeTLS("tls.crt", "tls.key")
}

// A route beside the webhook that anyone may call keeps it posted.
func ServeMixed(addr string) error {
	mux := http.NewServeMux()
	mux.HandleFunc("/validate", validate)
	mux.HandleFunc("/pods", listPods)
	srv := &http.Server{Addr: addr, Handler: mux} // want `http.Server without ReadHeaderTimeout`
	return srv.ListenAndServeTLS("tls.crt", "tls.key")
}
