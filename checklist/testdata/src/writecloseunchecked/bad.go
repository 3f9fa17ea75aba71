// Package writecloseunchecked holds writers whose Close error is lost, and
// writers closed properly.
package writecloseunchecked

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	stdos "os"
)

// Save loses a full-disk error at Close.
func Save(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	_, err = f.Write(data)
	return err
}

// Append opens for appending and discards Close in a deferred closure.
func Append(path string, line []byte) error {
	log, err := stdos.OpenFile(path, stdos.O_APPEND|stdos.O_CREATE|stdos.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		_ = log.Close() // want `deferred log.Close\(\) drops the error of a file opened for writing`
	}()
	_, err = log.Write(line)
	return err
}

// Archive loses the gzip trailer's error and the file's.
func Archive(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error`
	zw := gzip.NewWriter(f)
	defer zw.Close() // want `deferred zw.Close\(\) drops the error of \*gzip.Writer`
	return json.NewEncoder(zw).Encode(v)
}

// Sink opens writers by name.
type Sink struct {
	open func(name string) (io.WriteCloser, error)
}

// Put writes through an io.WriteCloser inside a closure.
func (s *Sink) Put(names []string, body []byte) error {
	put := func(name string) error {
		w, err := s.open(name)
		if err != nil {
			return err
		}
		defer w.Close() // want `deferred w.Close\(\) drops the error of io.WriteCloser`
		_, err = w.Write(body)
		return err
	}
	for _, n := range names {
		if err := put(n); err != nil {
			return err
		}
	}
	return nil
}

// Temp writes a temp file and renames it over the target.
func Temp(dir, target string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "state-*")
	if err != nil {
		return err
	}
	defer tmp.Close() // want `deferred tmp.Close\(\) drops the error of a file opened for writing`
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// segmentFlags opens the journal for appending.
const segmentFlags = os.O_CREATE | os.O_APPEND | os.O_WRONLY

// openSegment opens a journal segment the store appends to.
func openSegment(dir, name string, flags int) (*os.File, error) {
	return os.OpenFile(dir+"/"+name, flags, 0o600)
}

// Journal appends records to a segment opened through a helper: the file is
// written here, so its deferred Close drops the error that says the record
// never reached the disk.
func Journal(dir string, records [][]byte) error {
	f, err := openSegment(dir, "current", segmentFlags)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file being written`
	for _, r := range records {
		if _, err := f.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// sizedThenWritten sizes the file and writes its data: the Close matters.
func sizedThenWritten(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	if err := f.Truncate(int64(len(data))); err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}
