// Package peerfherrcheck pins error-ignored-io, write-close-unchecked and
// goroutine-error-dropped on the kinds of case errcheck's tests cover:
// unchecked calls as statements, blank assignments, defer and go
// statements, and the standard-library writes errcheck leaves out.
package peerfherrcheck

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"strings"
)

// Statement: both report an unchecked write used as a statement.
func Statement(f *os.File, b []byte) {
	f.Write(b) // want `the error of this file write is discarded`
}

// Blank: errcheck accepts `_ =` unless run with -blank; prodready reports
// blanked errors of writes, because the data is just as lost.
func Blank(ctx context.Context, db *sql.DB) {
	_, _ = db.ExecContext(ctx, "DELETE FROM t") // want `the error of this database write is discarded`
}

// NotIO: errcheck reports any unchecked error; prodready only writes,
// flushes, encoders, renames and database writes.
func NotIO() {
	strings.NewReader("x").ReadByte()
	os.Setenv("A", "b")
}

// Excluded writes: both leave out fmt printing and in-memory buffers;
// prodready also leaves out os.Stdout and os.Stderr.
func Excluded(buf *bytes.Buffer) {
	fmt.Println("hi")
	buf.WriteString("x")
	os.Stdout.Write([]byte("x"))
}

// DeferClose: errcheck (by default) reports nothing for a deferred Close;
// prodready reports it on a file written to.
func DeferClose(p string, b []byte) error {
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	defer f.Close() // want `deferred f.Close\(\) drops the error of a file opened for writing`
	_, err = f.Write(b)
	return err
}

// DeferCloseRead: a deferred Close of a file only read is fine for both.
func DeferCloseRead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b := make([]byte, st.Size())
	_, err = f.Read(b)
	return b, err
}

func work(ctx context.Context) error { return ctx.Err() }

// Go: errcheck reports `go work(ctx)`; prodready reports only a server's
// serve loop or a command's run started that way.
func Go(ctx context.Context, srv *http.Server) {
	go work(ctx)
	go srv.ListenAndServe() // want `this go statement drops the error srv.ListenAndServe returns`
}
