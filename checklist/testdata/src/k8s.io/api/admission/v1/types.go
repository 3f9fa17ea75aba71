// Package v1 stands in for k8s.io/api/admission/v1.
package v1

// AdmissionRequest is what the API server asks about.
type AdmissionRequest struct {
	UID    string
	Object []byte
}

// AdmissionResponse answers it.
type AdmissionResponse struct {
	UID     string
	Allowed bool
}

// AdmissionReview carries a request and its response.
type AdmissionReview struct {
	Request  *AdmissionRequest
	Response *AdmissionResponse
}
