// Command ginserver serves through gin's Run, a name too common to trust
// alone, known by its type: a server, so the client its start-up builds
// keeps full severity.
package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type deps struct{ hc *http.Client }

func main() {
	d := deps{hc: &http.Client{}} // want `http.Client without Timeout`
	_ = d
	_ = gin.Default().Run(":8080")
}
