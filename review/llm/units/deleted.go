package units

import "github.com/prodready/prodready/review/patch"

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

// takeDeleted gives u the deleted lines that sat inside its span: before one
// of its lines after the first (lines deleted above a function's first line
// belong to what came before it).
func (u *Unit) takeDeleted(del map[int][]string) {
	for n, texts := range del {
		if n > u.Start && n <= u.End {
			if u.Deleted == nil {
				u.Deleted = map[int][]string{}
			}
			u.Deleted[n] = texts
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
