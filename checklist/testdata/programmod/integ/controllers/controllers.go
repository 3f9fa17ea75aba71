// Package controllers holds beego controllers.
package controllers

import (
	"github.com/beego/beego/v2/server/web"

	"example.com/integ/store"
)

// St is the store the controllers use.
var St *store.SQLStore

// PaymentController receives the provider's payment notifications.
type PaymentController struct{ web.Controller }

// Notify records the payment.
func (c *PaymentController) Notify() {
	if c.GetString("signature") == "" {
		return
	}
	_ = St.RecordPayment(store.Payment{OrderID: c.GetString("order"), Ref: c.GetString("ref")})
}

// OrderController takes orders from the shop's form.
type OrderController struct{ web.Controller }

// Post places the order.
func (c *OrderController) Post() {
	_ = St.CreateOrder(store.Payment{OrderID: c.GetString("order")})
}

// MemberController receives the directory's membership hook.
type MemberController struct{ web.Controller }

// Join adds the member unless already there.
func (c *MemberController) Join() {
	_ = St.AddMember(1, 2)
}
