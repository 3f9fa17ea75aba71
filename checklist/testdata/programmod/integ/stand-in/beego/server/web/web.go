// Package web stands in for beego's web server.
package web

import "context"

// Controller is embedded by every controller.
type Controller struct {
	Ctx context.Context
}

// Post answers a POST that the controller does not.
func (c *Controller) Post() {}

// GetString reads a form value.
func (c *Controller) GetString(key string) string { return "" }

// Router registers a controller on a route.
func Router(rootpath string, c any, mappingMethods ...string) {}
