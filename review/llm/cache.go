package llm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Cache stores model answers by key. The CLI keeps them on disk (DiskCache);
// the App keeps them in its database. Implementations must be safe for
// concurrent use. A Get error is logged and treated as a miss; a Put error is
// logged and the answer is used anyway.
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key string, val []byte) error
}

// MaxCachedBytes caps one cached answer; a larger file is treated as a miss.
const MaxCachedBytes = 8 << 20

// CacheKey hashes what determines an answer: the model and the exact
// prompts, which hold the prompt templates and the unit with its context.
// It is 64 hex digits.
func CacheKey(model, system, user string) string {
	h := sha256.New()
	for _, part := range []string{"prodready-llm-v1", model, system, user} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// DiskCache keeps answers as files under Dir, two hex digits of fan-out deep.
// Writes go to a temporary file that is renamed into place, so a crash never
// leaves half an answer behind.
type DiskCache struct {
	Dir string
}

// DefaultCacheDir is prodready/llm under the user cache directory
// (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux).
func DefaultCacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("user cache directory: %w", err)
	}
	return filepath.Join(base, "prodready", "llm"), nil
}

func (c *DiskCache) file(key string) (string, error) {
	if len(key) < 8 || len(key) > 128 {
		return "", fmt.Errorf("llm cache: bad key length %d", len(key))
	}
	if _, err := hex.DecodeString(key); err != nil {
		return "", fmt.Errorf("llm cache: key is not hex")
	}
	return filepath.Join(c.Dir, key[:2], key), nil
}

// Get implements Cache.
func (c *DiskCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	name, err := c.file(key)
	if err != nil {
		return nil, false, err
	}
	fh, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("llm cache: %w", err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxCachedBytes+1))
	if err != nil {
		return nil, false, fmt.Errorf("llm cache: read %s: %w", name, err)
	}
	if len(data) > MaxCachedBytes {
		return nil, false, nil
	}
	return data, true, nil
}

// Put implements Cache.
func (c *DiskCache) Put(_ context.Context, key string, val []byte) error {
	name, err := c.file(key)
	if err != nil {
		return err
	}
	if len(val) > MaxCachedBytes {
		return fmt.Errorf("llm cache: answer of %d bytes is over the %d limit", len(val), MaxCachedBytes)
	}
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op after the rename
	if _, err := tmp.Write(val); err != nil {
		tmp.Close()
		return fmt.Errorf("llm cache: write: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("llm cache: close: %w", err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("llm cache: %w", err)
	}
	return nil
}
