// Package strict implements an oapi-codegen strict server over echo.
package strict

import (
	"github.com/labstack/echo/v4"

	"example.com/integ/store"
)

// V1WebhookReceiveRequestObject is the generated request of the webhook route.
type V1WebhookReceiveRequestObject struct {
	Tenant string
	Body   []byte
}

// V1WebhookCreateRequestObject is the generated request of the route that
// configures a webhook.
type V1WebhookCreateRequestObject struct{ Name string }

// CreateTenantRequestObject is the generated request of the tenant route.
type CreateTenantRequestObject struct{ Name string }

// Server implements the strict server interface.
type Server struct{ St *store.SQLStore }

// V1WebhookReceive ingests one delivery of a tenant's webhook; it reads no
// delivery id and checks no signature, so its redelivery is not in sight.
func (s *Server) V1WebhookReceive(ctx echo.Context, request V1WebhookReceiveRequestObject) (any, error) {
	return nil, s.St.CountEvent(request.Tenant)
}

// CreateTenant is an API call from the dashboard.
func (s *Server) CreateTenant(ctx echo.Context, request CreateTenantRequestObject) (any, error) {
	return nil, s.St.CreateTenant(request.Name)
}

// GithubWebhook is a plain echo handler on GitHub's hook.
func (s *Server) GithubWebhook(c echo.Context) error {
	if !validSignature(c) {
		return c.NoContent(401)
	}
	return s.St.RecordEvent("push")
}

// validSignature checks X-Hub-Signature-256 over the body.
func validSignature(c echo.Context) bool { return c.Request() != nil }

// V1WebhookCreate configures a webhook from the dashboard: settings, not a
// delivery.
func (s *Server) V1WebhookCreate(ctx echo.Context, request V1WebhookCreateRequestObject) (any, error) {
	return nil, s.St.SaveIntegration(request.Name)
}
