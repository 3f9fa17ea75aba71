// Command integ wires the routes.
package main

import (
	"net/http"

	"github.com/beego/beego/v2/server/web"
	"github.com/gorilla/mux"

	"example.com/integ/api"
	"example.com/integ/controllers"
	"example.com/integ/service"
	"example.com/integ/store"
)

func main() {
	st := &store.SQLStore{}
	a := &api.API{Pool: &service.Pool{Store: st, Group: &service.Flight{}}, SQL: st, HC: &http.Client{}}
	r := mux.NewRouter()
	a.Routes(r)
	r.HandleFunc("/hooks/gitlab", a.ReceiveGitlab)
	r.HandleFunc("/hooks/refund", a.Refund)
	controllers.St = st
	web.Router("/api/webhook/payment", &controllers.PaymentController{}, "get,post:Notify")
	web.Router("/api/orders", &controllers.OrderController{})
	web.Router("/api/webhook/member", &controllers.MemberController{}, "post:Join")
	_ = http.ListenAndServe("127.0.0.1:8080", r)
}
