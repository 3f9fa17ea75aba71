// Command ginserver serves through gin's Run, a name too common to trust
// alone, known by its type: a server, so the client its start-up builds
// keeps full severity.
package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type deps struct{ hc *http.Client }

// ping sends on the client with no context.
func (d deps) ping() error {
	resp, err := d.hc.Get("http://backend/healthz")
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func main() {
	d := deps{hc: &http.Client{}} // want `http.Client without Timeout`
	_ = d.ping()
	_ = gin.Default().Run(":8080")
}
