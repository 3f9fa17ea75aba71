package servernotimeouts

import (
	"net/http"
	"os"
)

type config struct {
	Env     string
	DevMode bool
	Addr    string
}

// at most info: a server started only in development.
func startDev(cfg config, h http.Handler) error {
	if cfg.Env == "development" {
		return http.ListenAndServe(cfg.Addr, h) // want `http.ListenAndServe serves with no timeouts.*info only: it starts only in development`
	}
	return nil
}

// at most info: a development flag, named in camel case.
func startDevFlag(cfg config, h http.Handler) error {
	if cfg.DevMode {
		srv := &http.Server{Addr: cfg.Addr, Handler: h} // want `info only: it starts only in development`
		return srv.ListenAndServe()
	}
	return nil
}

// The production branch (a negated check) stays posted.
func startProd(cfg config, h http.Handler) error {
	if os.Getenv("APP_ENV") != "development" {
		return http.ListenAndServe(cfg.Addr, h) // want `http.ListenAndServe serves with no timeouts`
	}
	return nil
}

// A device flag is not a development one: posted.
func startDevices(devices bool, h http.Handler) error {
	if devices {
		return http.ListenAndServe(":8080", h) // want `http.ListenAndServe serves with no timeouts`
	}
	return nil
}

// A flag that mentions local storage says nothing of where the server
// runs: posted.
func startWithLocalStorage(useLocalStorage bool, h http.Handler) error {
	if useLocalStorage {
		return http.ListenAndServe(":8080", h) // want `http.ListenAndServe serves with no timeouts`
	}
	return nil
}

// at most info: a local run.
func startLocal(isLocal bool, h http.Handler) error {
	if isLocal {
		return http.ListenAndServe(":8080", h) // want `info only: it starts only in development or local runs`
	}
	return nil
}
