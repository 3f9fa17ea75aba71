package exitcode

import (
	"errors"
	"fmt"
	"testing"
)

func TestOf(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, OK},
		{"value", Usagef("bad flag %q", "x"), Usage},
		{"pointer", &UsageError{errors.New("bad")}, Usage},
		{"wrapped", fmt.Errorf("review: %w", UsageError{errors.New("bad")}), Usage},
		{"as usage", AsUsage(errors.New("no module")), Usage},
		{"other", errors.New("network down"), Failure},
	}
	for _, c := range cases {
		if got := Of(c.err); got != c.want {
			t.Errorf("%s: Of = %d, want %d", c.name, got, c.want)
		}
	}
	if AsUsage(nil) != nil {
		t.Error("AsUsage(nil) != nil")
	}
}

func TestTableIsComplete(t *testing.T) {
	for i, c := range Table() {
		if c.Code != i || c.Meaning == "" {
			t.Fatalf("row %d: %+v", i, c)
		}
	}
}
