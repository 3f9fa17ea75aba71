package api

import "net/http"

// CallbackRoutes registers where browsers and payment providers come back.
func (a *API) CallbackRoutes(r *http.ServeMux) {
	r.HandleFunc("GET /grants/callback", a.FinishSignIn)
	r.HandleFunc("/payments/callback", a.PaymentNotice)
}

// handleDeviceCallback is where the browser lands once the user approves a
// device: GET only, with a one-time code that nothing redelivers.
func (a *API) handleDeviceCallback(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	_ = a.SQL.SaveDeviceGrant(r.FormValue("code"))
}

// handleRefundCallback receives the payment provider's refund notice, which
// the provider posts again until it gets a 200.
func (a *API) handleRefundCallback(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Stripe-Signature") == "" {
		http.Error(w, "unsigned", http.StatusUnauthorized)
		return
	}
	_ = a.SQL.RecordRefund(r.FormValue("refund_id"))
}

// FinishSignIn completes a browser sign-in on a GET callback route.
func (a *API) FinishSignIn(w http.ResponseWriter, r *http.Request) {
	_ = a.SQL.SaveSession(r.FormValue("code"))
}

// PaymentNotice receives the provider's payment notification. Nothing in
// it names a delivery or checks a signature, so whether the provider
// redelivers is not in sight: at info.
func (a *API) PaymentNotice(w http.ResponseWriter, r *http.Request) {
	_ = a.SQL.RecordPaymentNotice(r.FormValue("payment_id"))
}

// handleAuditHook records the sender's audit event in one transaction.
func (a *API) handleAuditHook(w http.ResponseWriter, r *http.Request) {
	if err := a.SQL.RecordAudit(r.FormValue("event")); err != nil {
		http.Error(w, "try again", http.StatusServiceUnavailable)
	}
}
