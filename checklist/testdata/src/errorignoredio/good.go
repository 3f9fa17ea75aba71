package errorignoredio

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
)

// Done checks every error.
func Done(ctx context.Context, tx *sql.Tx, id int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE jobs SET state = 'done' WHERE id = $1", id); err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("mark job %d done: %w", id, err)
	}
	return tx.Commit()
}

// Serve writes to the response: there is no one left to tell if it fails.
func Serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"status": "ok"})
	w.Write([]byte("\n"))
}

// Print writes to the terminal.
func Print(v any) {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	out := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(out, "done")
	out.Flush()
	os.Stderr.Write([]byte("bye\n"))
}

// Digest writes into memory and a hash, which cannot fail.
func Digest(parts [][]byte) []byte {
	var buf bytes.Buffer
	h := sha256.New()
	for _, p := range parts {
		buf.Write(p)
		h.Write(p)
		io.Copy(h, bytes.NewReader(p))
	}
	return h.Sum(buf.Bytes())
}

// Load reads and closes: a read-only Close has nothing to report.
func Load(path string) (map[string]any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	err = json.NewDecoder(f).Decode(&m)
	f.Close()
	return m, err
}

// Persist checks the write, the flush and the rename.
func Persist(tmp *os.File, data []byte, final string) error {
	w := bufio.NewWriter(tmp)
	if _, err := w.Write(data); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("flush %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), final)
}

// Frame flushes a buffer whose destination it does not know; the caller
// owns that writer and its errors.
func Frame(bw *bufio.Writer, payload []byte) {
	bw.Write(payload)
	bw.Flush()
}

// Compressed is encoded into memory through a compressing writer: the only
// failure left is one Close reports, and it is returned.
func Compressed(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	json.NewEncoder(zw).Encode(v)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress: %w", err)
	}
	return buf.Bytes(), nil
}

// WriteAtomically writes to a temporary file and renames it; on failure the
// temporary file is closed and deleted, so its Close error has no data to lose.
func WriteAtomically(dir, final string, data []byte) error {
	tmp, err := os.CreateTemp(dir, "state-*")
	if err != nil {
		return fmt.Errorf("create temp: %w", err)
	}
	discard := func(cause error) error {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return cause
	}
	if _, err := tmp.Write(data); err != nil {
		return discard(fmt.Errorf("write temp: %w", err))
	}
	if err := tmp.Sync(); err != nil {
		return discard(fmt.Errorf("sync temp: %w", err))
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close temp: %w", err)
	}
	return os.Rename(tmp.Name(), final)
}

// Lock takes an advisory lock and returns its release: a best-effort
// callback with no error result, run later like a deferred call.
func Lock(ctx context.Context, db *sql.DB, id int64) (func(), error) {
	if _, err := db.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
		return nil, fmt.Errorf("lock %d: %w", id, err)
	}
	return func() {
		_, _ = db.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", id)
	}, nil
}

// Announce encodes into the response, compressed when the client asks.
func Announce(w http.ResponseWriter, r *http.Request, v any) {
	var bw io.Writer = w
	if r.Header.Get("Accept-Encoding") == "gzip" {
		gw := gzip.NewWriter(w)
		defer gw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		bw = gw
	}
	json.NewEncoder(bw).Encode(v)
}

// SaveCrashReport keeps a best-effort copy; the comment says why losing it
// is acceptable.
func SaveCrashReport(tmp, final string) {
	// Best effort: the report is uploaded from tmp on the next start if
	// the rename does not happen.
	_ = os.Rename(tmp, final)
}

// RotateBackup keeps the previous backup if it can; losing it is fine.
func RotateBackup(path string) error {
	bak, old := path+".bak", path+".old.bak"
	os.Rename(bak, old) // ignore error: there may be no backup yet
	return os.Link(path, bak)
}
