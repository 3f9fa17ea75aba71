// Command harness is an end-to-end test's mock server: silent.
package main

import "net/http"

func main() {
	srv := &http.Server{Addr: ":0", Handler: http.NotFoundHandler()}
	_ = srv.ListenAndServe()
}
