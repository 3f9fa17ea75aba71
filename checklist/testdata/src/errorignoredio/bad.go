// Package errorignoredio holds writes whose errors are thrown away, and
// writes handled properly.
package errorignoredio

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
)

// MarkDone drops the error of the state change.
func MarkDone(ctx context.Context, tx *sql.Tx, id int64) error {
	tx.ExecContext(ctx, "UPDATE jobs SET state = 'done' WHERE id = $1", id) // want `the error of this database write is discarded`
	return tx.Commit()
}

// Bump keeps the result but blanks the error.
func Bump(db *sql.DB, id int64) int64 {
	res, _ := db.Exec("UPDATE counters SET n = n + 1 WHERE id = $1", id) // want `the error of this database write is discarded`
	n, _ := res.RowsAffected()
	return n
}

// Spool writes, flushes and renames without looking at any error.
func Spool(f *os.File, lines []string, final string) {
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
	}
	w.Flush()                  // want `the error of this flush is discarded`
	f.Write([]byte("\n"))      // want `the error of this file write is discarded`
	os.Rename(f.Name(), final) // want `the error of this rename is discarded`
}

// Reply encodes onto a raw connection and drops the error.
func Reply(conn net.Conn, v any) {
	enc := json.NewEncoder(conn)
	enc.Encode(v) // want `the error of this encode is discarded`
}

// Download copies a response body into a file and forgets the result.
func Download(ctx context.Context, c *http.Client, url string, dst *os.File) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(dst, resp.Body) // want `the error of this copy is discarded`
	return nil
}

// Sweep drops errors inside a closure.
func Sweep(ctx context.Context, db *sql.DB, ids []int64) {
	del := func(id int64) {
		_, _ = db.ExecContext(ctx, "DELETE FROM sessions WHERE id = $1", id) // want `the error of this database write is discarded`
	}
	for _, id := range ids {
		del(id)
	}
}

// Archive encodes through a compressing writer into a file: a failed write
// is lost.
func Archive(f *os.File, v any) error {
	zw := gzip.NewWriter(f)
	json.NewEncoder(zw).Encode(v) // want `the error of this encode is discarded`
	return zw.Close()
}

// Publish leaves a to-do note, which says the error should be handled.
func Publish(tmp, final string) {
	// TODO: handle the error
	_ = os.Rename(tmp, final) // want `the error of this rename is discarded`
}

// Promote has a comment, but it says what the call does, not that its
// error may be dropped.
func Promote(tmp, final string) {
	// Move the new file into place.
	os.Rename(tmp, final) // want `the error of this rename is discarded`
}
