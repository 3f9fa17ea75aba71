package llm

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestDiskCache(t *testing.T) {
	ctx := context.Background()
	c := &DiskCache{Dir: filepath.Join(t.TempDir(), "llm")}
	key := CacheKey("m", "sys", "user")
	if _, ok, err := c.Get(ctx, key); ok || err != nil {
		t.Fatalf("empty cache: ok %v err %v", ok, err)
	}
	if err := c.Put(ctx, key, []byte(`{"comments":[]}`)); err != nil {
		t.Fatal(err)
	}
	val, ok, err := c.Get(ctx, key)
	if !ok || err != nil || string(val) != `{"comments":[]}` {
		t.Fatalf("get: %q %v %v", val, ok, err)
	}
	// No temporary files are left behind.
	entries, err := os.ReadDir(filepath.Join(c.Dir, key[:2]))
	if err != nil || len(entries) != 1 {
		t.Errorf("cache dir holds %d entries (%v), want 1", len(entries), err)
	}
	for _, bad := range []string{"../../etc/passwd", "zz", ""} {
		if err := c.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	if CacheKey("m", "sys", "user") == CacheKey("m2", "sys", "user") || CacheKey("m", "sys", "user") == CacheKey("m", "sys2", "user") {
		t.Error("cache key ignores the model or the prompt")
	}
}
