package readunbounded

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"os"
)

// A handler copying the upload into memory: io.Copy holds it all as surely
// as io.ReadAll.
func importCSV(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r.Body); err != nil { // want `io.Copy of the request body has no size limit: one large or endless upload takes all the memory`
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// at most info: a handler copying the upload to a file holds no memory; the
// disk fills, but streaming a large file to disk is what it is for.
func saveUpload(w http.ResponseWriter, r *http.Request) {
	f, err := os.CreateTemp("", "upload")
	if err != nil {
		http.Error(w, "temp", http.StatusInternalServerError)
		return
	}
	defer os.Remove(f.Name())
	if _, err := io.Copy(f, r.Body); err != nil { // want `io.Copy of the request body has no size limit: one large or endless upload fills the disk;`
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	if err := f.Close(); err != nil {
		http.Error(w, "close", http.StatusInternalServerError)
	}
}

// blobWriter stands in for a storage SDK's writer (a bucket object, a blob).
type blobWriter interface {
	Write(p []byte) (int, error)
	Close() error
}

type store struct{ open func(name string) blobWriter }

// at most info: a handler streaming the upload into blob storage holds no
// memory; the message says what it costs instead.
func (s *store) putObject(w http.ResponseWriter, r *http.Request) {
	bw := s.open(r.URL.Path)
	defer bw.Close()
	if _, err := io.Copy(bw, r.Body); err != nil { // want `io.Copy of the request body has no size limit: one large or endless upload fills the storage behind bw \(the copy streams, so memory is not at risk\)`
		http.Error(w, "write", http.StatusInternalServerError)
	}
}

// at most info: an uploaded file streamed into a file.
func (s *store) putForm(w http.ResponseWriter, r *http.Request) {
	part, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, "form", http.StatusBadRequest)
		return
	}
	defer part.Close()
	f, err := os.Create("upload.bin")
	if err != nil {
		http.Error(w, "create", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, part) // want `io.Copy of an uploaded file or multipart part has no size limit: one large upload fills the disk`
}

// at most info: a download streamed to a file fills the disk, not memory.
func download(hc *http.Client, url string, f *os.File) error {
	resp, err := hc.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(f, resp.Body) // want `io.Copy of the response body has no size limit: a huge or endless answer from the peer fills the disk`
	return err
}

// A gzip reader over the body: limiting the body bounds only the
// compressed bytes.
func ingest(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	zr, err := gzip.NewReader(r.Body)
	if err != nil {
		http.Error(w, "gzip", http.StatusBadRequest)
		return
	}
	defer zr.Close()
	var events []order
	if err := json.NewDecoder(zr).Decode(&events); err != nil { // want `json.NewDecoder of a gzip reader over the request body has no size limit`
		http.Error(w, "json", http.StatusBadRequest)
	}
}

// at most info: an admin-only route, called by a few operators.
func handleAdminImport(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body) // want `io.ReadAll of the request body has no size limit`
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	_, _ = w.Write(data)
}

// at most info: registered on an /admin/ route below.
func reindex(w http.ResponseWriter, r *http.Request) {
	var in order
	_ = json.NewDecoder(r.Body).Decode(&in) // want `json.NewDecoder of the request body`
}

// Registered under /admin/: at most info too.
func routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /admin/reindex", reindex)
}

// at most info: the answer of an upstream the service chose to call.
func rates(hc *http.Client) (map[string]float64, error) {
	resp, err := hc.Get("https://rates.example.com/latest")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	err = json.NewDecoder(resp.Body).Decode(&out) // want `json.NewDecoder of the response body has no size limit`
	return out, err
}
