// Package router registers the handlers of package handlers on every
// router the model knows.
package router

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/mux"
	"github.com/labstack/echo/v4"

	"routes/handlers"
)

func requireAuth(next http.Handler) http.Handler           { return next }
func logging(next http.Handler) http.Handler               { return next }
func ginAuth() gin.HandlerFunc                             { return nil }
func ginLog() gin.HandlerFunc                              { return nil }
func jwtMiddleware(next echo.HandlerFunc) echo.HandlerFunc { return next }
func recoverMW(next echo.HandlerFunc) echo.HandlerFunc     { return next }
func fiberAuth(c *fiber.Ctx) error                         { return nil }

type mw struct{}

func (mw) Auth(next http.Handler) http.Handler { return next }

// csrf stands in for gorilla/csrf: protection, not a login check.
type csrf struct{}

func (csrf) Protect(next http.Handler) http.Handler { return next }

func ServeMux(h *handlers.H, s *handlers.Server) http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /upload", h.Upload)                                // want `route POST /upload .*H\).Upload: public`
	m.Handle("/settings", requireAuth(http.HandlerFunc(h.Settings)))      // want `route /settings .*H\).Settings: auth requireAuth`
	m.Handle("/import", mw{}.Auth(http.HandlerFunc(h.Import)))            // want `route /import .*H\).Import: auth mw\{\}.Auth`
	m.Handle("/logged", logging(http.HandlerFunc(h.Import)))              // want `route /logged .*H\).Import: public`
	m.Handle("/csrf", csrf{}.Protect(http.HandlerFunc(h.Import)))         // want `route /csrf .*H\).Import: public`
	m.Handle("/server", s)                                                // want `route /server .*Server\).ServeHTTP: public`
	m.HandleFunc("/factory", h.Factory())                                 // want `route /factory .*H\).Factory: public`
	m.HandleFunc("/admin/import", handlers.Upload)                        // want `route /admin/import .*handlers.Upload: auth /admin/import`
	m.HandleFunc("/lit", func(w http.ResponseWriter, r *http.Request) {}) // want `route /lit func literal at .*: public`
	http.HandleFunc("/default", handlers.Upload)                          // want `route /default .*handlers.Upload: public`
	return m
}

func Chi(h *handlers.H) http.Handler {
	r := chi.NewRouter()
	r.Post("/upload", h.Upload) // want `route /upload .*: public`
	r.Group(func(r chi.Router) {
		r.Use(requireAuth)
		r.Post("/settings", h.Settings) // want `route /settings .*: auth requireAuth`
	})
	r.Route("/api", func(r chi.Router) {
		r.Use(logging)
		r.Post("/import", h.Import) // want `route /import .*: public`
	})
	r.With(mw{}.Auth).Post("/with", h.Import) // want `route /with .*: auth mw\{\}.Auth`
	return r
}

// ChiList applies its middleware as a list spread into Use, the
// authentication appended to it.
func ChiList(h *handlers.H, debug bool) http.Handler {
	mws := []func(http.Handler) http.Handler{}
	if debug {
		mws = append(mws, logging)
	}
	mws = append(mws, logging, requireAuth)
	r := chi.NewRouter()
	r.Use(mws...)
	r.Post("/listed", h.Settings) // want `route /listed .*: auth requireAuth`

	open := []func(http.Handler) http.Handler{logging}
	o := chi.NewRouter()
	o.Use(open...)
	o.Post("/listedopen", h.Upload) // want `route /listedopen .*: public`
	return r
}

func Gorilla(h *handlers.H) http.Handler {
	r := mux.NewRouter()
	r.HandleFunc("/upload", h.Upload).Methods("POST") // want `route /upload .*: public`
	api := r.PathPrefix("/api").Subrouter()
	api.Use(requireAuth)
	api.HandleFunc("/settings", h.Settings)                   // want `route /settings .*: auth requireAuth`
	api.Path("/import").Methods("POST").HandlerFunc(h.Import) // want `route /import .*: auth requireAuth`
	r.Path("/open").HandlerFunc(h.Import)                     // want `route /open .*: public`
	return r
}

func Gin() {
	r := gin.Default()
	r.POST("/upload", handlers.GinUpload)            // want `route /upload .*: public`
	r.POST("/inline", ginAuth(), handlers.GinUpload) // want `route /inline .*: auth ginAuth`
	authed := r.Group("/api", ginAuth())
	authed.POST("/settings", handlers.GinUpload) // want `route /settings .*: auth ginAuth`
	v1 := r.Group("/v1")
	v1.Use(ginLog())
	v1.POST("/import", handlers.GinUpload) // want `route /import .*: public`
	users(authed)
	users(v1)
	settings(authed)
}

// settings narrows the group it is handed to a prefix of its own, in place.
func settings(g *gin.RouterGroup) {
	g = g.Group("/setting")
	g.POST("/update", handlers.GinSettings) // want `route /update .*: from .*router.settings`
}

// users registers on the group its callers hand it.
func users(g *gin.RouterGroup) {
	g.POST("/users", handlers.GinUpload) // want `route /users .*: from .*router.users`
}

func Echo() {
	e := echo.New()
	e.POST("/upload", handlers.EchoUpload)                  // want `route /upload .*: public`
	e.POST("/trailing", handlers.EchoUpload, jwtMiddleware) // want `route /trailing .*: auth jwtMiddleware`
	e.POST("/rec", handlers.EchoUpload, recoverMW)          // want `route /rec .*: public`
	g := e.Group("/admin")
	g.POST("/import", handlers.EchoUpload) // want `route /import .*: auth /admin`
}

func Fiber() {
	app := fiber.New()
	app.Post("/upload", handlers.FiberUpload)              // want `route /upload .*: public`
	app.Post("/settings", fiberAuth, handlers.FiberUpload) // want `route /settings .*: auth fiberAuth`
	api := app.Group("/api", fiberAuth)
	api.Post("/import", handlers.FiberUpload) // want `route /import .*: auth fiberAuth`
}

// Opaque registers on a router built out of sight: nothing is known.
func Opaque(h *handlers.H, build func() *mux.Router) {
	r := build()
	r.HandleFunc("/opaque", h.Upload)
}
