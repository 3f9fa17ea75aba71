package store_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/prodready/prodready/github/store"
	"github.com/prodready/prodready/github/store/storetest"
)

func TestCache(t *testing.T) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			st := storetest.Open(t, b, "")
			ctx := context.Background()
			if _, ok, err := st.Get(ctx, "k"); err != nil || ok {
				t.Fatalf("Get on empty cache = ok %v, err %v; want a miss", ok, err)
			}
			if err := st.Put(ctx, "k", []byte("answer")); err != nil {
				t.Fatal(err)
			}
			if err := st.Put(ctx, "k", []byte("other")); err != nil {
				t.Fatalf("second Put of a key: %v", err)
			}
			v, ok, err := st.Get(ctx, "k")
			if err != nil || !ok || !bytes.Equal(v, []byte("answer")) {
				t.Fatalf("Get = %q, %v, %v; want the first answer", v, ok, err)
			}
		})
	}
}

func TestClaimKeepsHighestJob(t *testing.T) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			st := storetest.Open(t, b, "")
			ctx := context.Background()
			pr := store.PR{InstallationID: 1, Repo: "o/r", Number: 2}
			if latest, displaced, err := st.Claim(ctx, pr, 5, "a"); err != nil || latest != 5 || displaced != 0 {
				t.Fatalf("first claim = %d, %d, %v", latest, displaced, err)
			}
			if latest, displaced, err := st.Claim(ctx, pr, 7, "b"); err != nil || latest != 7 || displaced != 5 {
				t.Fatalf("newer claim = %d, %d, %v; want 7 displacing 5", latest, displaced, err)
			}
			if latest, displaced, err := st.Claim(ctx, pr, 6, "c"); err != nil || latest != 7 || displaced != 0 {
				t.Fatalf("older claim = %d, %d, %v; want 7 to stay latest", latest, displaced, err)
			}
			if latest, _, err := st.Claim(ctx, pr, 7, "b"); err != nil || latest != 7 {
				t.Fatalf("repeated claim = %d, %v", latest, err)
			}
			other := store.PR{InstallationID: 1, Repo: "o/r", Number: 3}
			if id, err := st.Latest(ctx, other); err != nil || id != 0 {
				t.Fatalf("Latest of an unclaimed PR = %d, %v", id, err)
			}
			// Concurrent claims end with the highest.
			var wg sync.WaitGroup
			for i := int64(10); i < 30; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, _, err := st.Claim(ctx, other, i, "x"); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			if id, err := st.Latest(ctx, other); err != nil || id != 29 {
				t.Fatalf("after concurrent claims Latest = %d, %v; want 29", id, err)
			}
			if err := st.Ready(ctx); err != nil {
				t.Fatalf("Ready after Migrate: %v", err)
			}
		})
	}
}

func TestReadyBeforeMigrate(t *testing.T) {
	for _, b := range storetest.Backends {
		t.Run(b, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, storetest.URL(t, b), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := st.Ready(ctx); !errors.Is(err, store.ErrNotMigrated) {
				t.Fatalf("Ready on an empty database = %v; want ErrNotMigrated", err)
			}
		})
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://u:secret@h/db", t.TempDir())
	if err == nil {
		t.Fatal("Open(mysql://...) = nil error")
	}
	if bytes.Contains([]byte(err.Error()), []byte("secret")) {
		t.Fatalf("error leaks the password: %v", err)
	}
}
