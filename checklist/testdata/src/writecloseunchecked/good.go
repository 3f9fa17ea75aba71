package writecloseunchecked

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
)

// Write closes explicitly; the deferred Close is only a safety net.
func Write(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// Named keeps the Close error in the named result.
func Named(path string, lines []string) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil {
			err = errors.Join(err, cerr)
		}
	}()
	w := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := w.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return w.Flush()
}

// Read only reads: its Close error carries nothing.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// Durable syncs and checks it before the deferred Close.
func Durable(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteAt(data, 0); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}

// Compress closes the gzip writer and the file, checking both.
func Compress(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	return zw.Close()
}

// ReadOnly opens with OpenFile for reading.
func ReadOnly(path string) (int64, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// WriteAtomically closes the temporary file itself before the rename (some
// platforms cannot rename an open file); the deferred Close only cleans up
// the early returns. Whether the explicit Close's error is kept is
// error-ignored-io's business, on that line.
func WriteAtomically(dir, target string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "atomic")
	if err != nil {
		return err
	}
	defer tmp.Close()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	_ = tmp.Close()
	return os.Rename(tmp.Name(), target)
}

// Compressed answers a request through gzip: a failed Close on a response
// has no one left to tell, since the status line is already sent.
func Compressed(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	defer zw.Close()
	if _, err := zw.Write(body); err != nil {
		return
	}
}

// Restore has dump write the backup (and close it, reporting errors), then
// reopens it read-only to load it: the deferred Close is of the read-only
// file.
func Restore(dir string, dump func(*os.File) error, load func(io.Reader) error) error {
	bak, err := os.CreateTemp(dir, "backup-*")
	if err != nil {
		return err
	}
	if err := dump(bak); err != nil {
		return err
	}
	bak, err = os.Open(bak.Name())
	if err != nil {
		return err
	}
	defer bak.Close()
	return load(bak)
}

// openIndex opens an index file through a helper.
func openIndex(path string) (*os.File, error) { return os.Open(path) }

// Lookup reads a file opened through a helper: a *os.File that is only read
// has nothing to lose at Close.
func Lookup(path string, at int64) ([]byte, error) {
	f, err := openIndex(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 64)
	_, err = f.ReadAt(buf, at)
	return buf, err
}

// preallocate reserves space for chunks written elsewhere later: an empty
// placeholder, nothing to lose at Close.
func preallocate(name string, size int64) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := fallocate(f, size); err != nil {
		return err
	}
	return f.Truncate(size)
}

func fallocate(f *os.File, size int64) error { return nil }
