// Command hello is an example program for the README: it shows the API,
// not a deployment.
package main

import "net/http"

func main() {
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("hello")) })
	_ = http.ListenAndServe(":8080", nil)
}
