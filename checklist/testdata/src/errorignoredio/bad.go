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

// Bump keeps the result but blanks the error: at most info.
func Bump(db *sql.DB, id int64) int64 {
	res, _ := db.Exec("UPDATE counters SET n = n + 1 WHERE id = $1", id) // want `the error of this database write is discarded`
	n, _ := res.RowsAffected()
	return n
}

// Spool writes and flushes without looking at any error: the buffered
// lines are written at Flush.
func Spool(f *os.File, lines []string) {
	w := bufio.NewWriter(f)
	for _, l := range lines {
		w.WriteString(l)
	}
	w.Flush() // want `the error of this flush is discarded`
}

// Seal writes to a local file and renames it, dropping both errors: an
// unbuffered file's write and a rename, at most info.
func Seal(f *os.File, final string) {
	f.Write([]byte("\n"))      // want `the error of this file write is discarded`
	os.Rename(f.Name(), final) // want `the error of this rename is discarded`
}

// Reply encodes onto a raw connection and drops the error; it reports to
// no one, so at most info.
func Reply(conn net.Conn, v any) {
	enc := json.NewEncoder(conn)
	enc.Encode(v) // want `the error of this encode is discarded`
}

// Download copies a response body into a file and forgets the result: a
// local file's copy, at most info.
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

// Sweep drops errors inside a closure, assigned to _: at most info.
func Sweep(ctx context.Context, db *sql.DB, ids []int64) {
	del := func(id int64) {
		_, _ = db.ExecContext(ctx, "DELETE FROM sessions WHERE id = $1", id) // want `the error of this database write is discarded`
	}
	for _, id := range ids {
		del(id)
	}
}

// Archive encodes through a compressing writer into a file, whose Close
// reports a failed write again: at most info.
func Archive(f *os.File, v any) error {
	zw := gzip.NewWriter(f)
	json.NewEncoder(zw).Encode(v) // want `the error of this encode is discarded`
	return zw.Close()
}

// Publish leaves a to-do note, which says the error should be handled; a
// local rename, at most info.
func Publish(tmp, final string) {
	// TODO: handle the error
	_ = os.Rename(tmp, final) // want `the error of this rename is discarded`
}

// Promote has a comment, but it says what the call does, not that its
// error may be dropped; a local rename, at most info.
func Promote(tmp, final string) {
	// Move the new file into place.
	os.Rename(tmp, final) // want `the error of this rename is discarded`
}

// Checkout marks the order paid and answers success whatever the UPDATE
// did: the caller is told it worked.
func Checkout(w http.ResponseWriter, r *http.Request, db *sql.DB, id int64) {
	db.ExecContext(r.Context(), "UPDATE orders SET paid = true WHERE id = $1", id) // want `the error of this database write is discarded`
	w.WriteHeader(http.StatusNoContent)
}

// Open tunes the connection with a PRAGMA and goes on when it fails: a
// session setting, not data, at most info.
func Open(db *sql.DB) (*sql.DB, error) {
	db.Exec("PRAGMA journal_mode=WAL") // want `the error of this database write is discarded`
	return db, nil
}
