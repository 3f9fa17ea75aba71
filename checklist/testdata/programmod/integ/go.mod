module example.com/integ

go 1.26.0

require (
	github.com/beego/beego/v2 v2.0.0
	github.com/go-gorp/gorp/v3 v3.0.0
	github.com/gorilla/mux v0.0.0
	github.com/jmoiron/sqlx v0.0.0
	github.com/labstack/echo/v4 v4.0.0
	xorm.io/xorm v0.0.0
)

replace (
	github.com/beego/beego/v2 => ./stand-in/beego
	github.com/go-gorp/gorp/v3 => ./stand-in/gorp
	github.com/gorilla/mux => ./stand-in/mux
	github.com/jmoiron/sqlx => ./stand-in/sqlx
	github.com/labstack/echo/v4 => ./stand-in/echo
	xorm.io/xorm => ./stand-in/xorm
)
