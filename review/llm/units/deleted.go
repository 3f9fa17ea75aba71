package units

import (
	"fmt"

	"github.com/prodready/prodready/review/patch"
)

// deletedBefore maps a new-file line to the old lines the change deleted
// just before it, in order. Deleted lines at the very end of the file map to
// the line after the last one.
func deletedBefore(pf *patch.File) map[int][]string {
	out := map[int][]string{}
	for _, h := range pf.Hunks {
		next := h.NewStart // the new-side line that follows what was seen so far
		var pending []string
		for _, l := range h.Lines {
			switch l.Kind {
			case patch.Deleted:
				pending = append(pending, l.Text)
			default:
				if len(pending) > 0 {
					out[l.New] = append(out[l.New], pending...)
					pending = nil
				}
				next = l.New + 1
			}
		}
		if len(pending) > 0 {
			out[next] = append(out[next], pending...)
		}
	}
	return out
}

// maxDeleted caps the deleted lines one unit shows; a rewrite that removed
// more says how many were left out.
const maxDeleted = 120

// takeDeleted gives u the deleted lines that sat inside its span: before one
// of its lines after the first (lines deleted above a function's first line
// belong to what came before it).
func (u *Unit) takeDeleted(del map[int][]string) {
	shown := 0
	for n := u.Start + 1; n <= u.End; n++ {
		texts := del[n]
		if len(texts) == 0 {
			continue
		}
		if u.Deleted == nil {
			u.Deleted = map[int][]string{}
		}
		if left := maxDeleted - shown; len(texts) > left {
			texts = append(texts[:left:left], fmt.Sprintf("… %d more deleted lines not shown", len(texts)-left))
		}
		u.Deleted[n] = texts
		shown += len(texts)
		if shown >= maxDeleted {
			break
		}
	}
}

func hasDeleted(pf *patch.File) bool {
	for _, h := range pf.Hunks {
		for _, l := range h.Lines {
			if l.Kind == patch.Deleted {
				return true
			}
		}
	}
	return false
}
