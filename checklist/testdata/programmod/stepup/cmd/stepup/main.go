// Command stepup serves the sign-in and the settings.
package main

import (
	"net/http"
	"time"

	"example.com/stepup/web"
)

func main() {
	s := &web.Server{Secret: func(string) string { return "" }}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login/totp", s.Login)
	mux.Handle("POST /settings/session", web.RequireLogin(http.HandlerFunc(s.RotateSession)))
	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	_ = srv.ListenAndServe()
}
