package review

import (
	"go/token"
	"strings"
	"testing"

	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

// TestCutNotes: an entry whose chains were cut short is named in the notes,
// with the first cut and a count of the rest; start-up code is not.
func TestCutNotes(t *testing.T) {
	fset := token.NewFileSet()
	f := fset.AddFile("/repo/hook/hook.go", -1, 100)
	f.SetLines([]int{0, 10, 20, 30})
	pos := f.Pos(25)
	cut := &program.Summary{Cut: []string{"hook/hook.go:3: call to store.(*Store).Insert not followed (package not analysed)", "second"}}
	ms := &models{fset: fset, list: []*program.Model{{Entries: []*program.Entry{
		{Name: "(*H).StripeWebhook", Label: "webhook handler", Delivery: program.AtLeastOnce, Pos: pos, Summary: cut},
		{Name: "main", Label: "start-up", Delivery: program.Once, Pos: pos, Summary: cut},
		{Name: "(*H).Clean", Label: "webhook handler", Delivery: program.AtLeastOnce, Pos: pos, Summary: &program.Summary{}},
	}}}}
	notes := ms.cutNotes()
	if len(notes) != 1 {
		t.Fatalf("notes = %q, want one", notes)
	}
	want := "chains from the webhook handler `(*H).StripeWebhook` (hook/hook.go:3) were cut short: hook/hook.go:3: call to store.(*Store).Insert not followed (package not analysed) (and 1 more)"
	if notes[0].Reason != want || notes[0].Kind != finding.NoteChainsCut {
		t.Errorf("note = %q\nwant   %q", notes[0], want)
	}
	if ms.Reach() == nil || (*models)(nil).Reach() != nil || !strings.Contains(want, "cut short") {
		t.Error("Reach: want one over a computed model and none without")
	}
}
