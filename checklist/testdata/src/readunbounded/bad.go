package readunbounded

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"io/ioutil"
	"net/http"
)

type order struct{ ID string }

func create(w http.ResponseWriter, r *http.Request) {
	var in order
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil { // want `json.NewDecoder of the request body has no size limit`
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// A closure handler reading everything.
func upload() http.HandlerFunc {
	return func(w http.ResponseWriter, req *http.Request) {
		data, err := io.ReadAll(req.Body) // want `io.ReadAll of the request body`
		if err != nil {
			http.Error(w, "read", http.StatusBadRequest)
			return
		}
		_, _ = w.Write(data)
	}
}

// The deprecated alias, in a handler method.
func (s *srv) legacy(w http.ResponseWriter, r *http.Request) {
	b, err := ioutil.ReadAll(r.Body) // want `io.ReadAll of the request body`
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	s.last = b
}

type srv struct{ last []byte }

// A response body decoded whole: at most info, an upstream the service chose.
func fetch(hc *http.Client, req *http.Request) (*order, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out order
	err = xml.NewDecoder(resp.Body).Decode(&out) // want `xml.NewDecoder of the response body`
	return &out, err
}

// Through a field of the handler's own struct, in a closure run by the handler.
type env struct{ r *http.Request }

func envHandler(w http.ResponseWriter, r *http.Request) {
	e := env{r: r}
	payload := func() ([]byte, error) {
		return io.ReadAll(e.r.Body) // want `io.ReadAll of the request body`
	}
	if _, err := payload(); err != nil {
		http.Error(w, "read", http.StatusBadRequest)
	}
}
