package timeddefault

import (
	"net/http"
	"time"
)

// Setting the field in init counts as well.
func init() {
	http.DefaultClient.Timeout = 30 * time.Second
}
