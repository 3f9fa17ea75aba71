// Package patch models a unified diff as prodready needs it: the changed files,
// their hunks, and which new-side lines may carry a comment.
//
// Parsing is done by github.com/bluekeyes/go-gitdiff; this package only indexes
// its result by new-file line.
package patch

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
)

// LineKind says what a diff line did.
type LineKind int

// Line kinds.
const (
	Context LineKind = iota
	Added
	Deleted
)

// Line is one line of a hunk.
type Line struct {
	Kind LineKind
	// Old and New are 1-based line numbers on each side; 0 where the line does
	// not exist on that side.
	Old, New int
	// Text is the line without its trailing newline (and without a trailing CR).
	Text string
}

// Hunk is one text fragment of a file's diff.
type Hunk struct {
	OldStart, OldLines int
	NewStart, NewLines int
	Lines              []Line
}

// NewEnd is the last new-side line the hunk covers.
func (h *Hunk) NewEnd() int { return h.NewStart + h.NewLines - 1 }

// File is one file of a patch.
type File struct {
	// OldPath and NewPath are slash-separated and relative to the repository
	// root. OldPath is "" for an added file, NewPath "" for a deleted one.
	OldPath, NewPath   string
	IsNew, IsDelete    bool
	IsRename, IsBinary bool
	Hunks              []Hunk

	// byNew maps a new-side line to its position: hunk index and line index.
	byNew map[int][2]int
}

// Path is the file's path on the new side, or the old path for a deletion.
func (f *File) Path() string {
	if f.NewPath != "" {
		return f.NewPath
	}
	return f.OldPath
}

// Line returns the new-side line n if it lies in a hunk.
func (f *File) Line(n int) (Line, bool) {
	pos, ok := f.byNew[n]
	if !ok {
		return Line{}, false
	}
	return f.Hunks[pos[0]].Lines[pos[1]], true
}

// Added reports whether new-side line n was added by the change.
func (f *File) Added(n int) bool {
	l, ok := f.Line(n)
	return ok && l.Kind == Added
}

// InHunk reports whether new-side line n lies inside a hunk (added or context),
// which is where GitHub accepts a line comment.
func (f *File) InHunk(n int) bool {
	_, ok := f.byNew[n]
	return ok
}

// HunkIndex returns the index of the hunk holding new-side line n, or -1.
func (f *File) HunkIndex(n int) int {
	pos, ok := f.byNew[n]
	if !ok {
		return -1
	}
	return pos[0]
}

// AddedLines returns the new-side numbers of every added line, in order.
func (f *File) AddedLines() []int {
	var out []int
	for _, h := range f.Hunks {
		for _, l := range h.Lines {
			if l.Kind == Added {
				out = append(out, l.New)
			}
		}
	}
	return out
}

// Patch is a parsed diff.
type Patch struct {
	Files  []*File
	byPath map[string]*File
}

// File returns the file whose new path (or, for deletions, old path) is path.
func (p *Patch) File(path string) *File {
	if p == nil {
		return nil
	}
	return p.byPath[path]
}

// MaxBytes caps the diff text Parse accepts, so that a huge pull request is
// refused with a clear error instead of exhausting memory.
const MaxBytes = 64 << 20

// ErrTooLarge is returned for a diff over MaxBytes.
var ErrTooLarge = errors.New("diff too large")

// Parse reads a unified diff as git produces it. An empty input is an empty patch.
func Parse(r io.Reader) (*Patch, error) {
	lr := &io.LimitedReader{R: r, N: MaxBytes + 1}
	files, _, err := gitdiff.Parse(lr)
	if lr.N <= 0 {
		return nil, fmt.Errorf("parse diff: %w (over %d MiB)", ErrTooLarge, MaxBytes>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("parse diff: %w", err)
	}
	p := &Patch{byPath: make(map[string]*File, len(files))}
	for _, gf := range files {
		f, err := convert(gf)
		if err != nil {
			return nil, err
		}
		p.Files = append(p.Files, f)
		p.byPath[f.Path()] = f
	}
	return p, nil
}

func convert(gf *gitdiff.File) (*File, error) {
	f := &File{
		OldPath:  gf.OldName,
		NewPath:  gf.NewName,
		IsNew:    gf.IsNew,
		IsDelete: gf.IsDelete,
		IsRename: gf.IsRename || gf.IsCopy,
		IsBinary: gf.IsBinary,
		byNew:    make(map[int][2]int),
	}
	if f.IsNew {
		f.OldPath = ""
	}
	if f.IsDelete {
		f.NewPath = ""
	}
	if f.Path() == "" {
		return nil, fmt.Errorf("parse diff: a file section names no path")
	}
	for _, frag := range gf.TextFragments {
		if err := frag.Validate(); err != nil {
			return nil, fmt.Errorf("parse diff: %s: %w", f.Path(), err)
		}
		h := Hunk{
			OldStart: int(frag.OldPosition), OldLines: int(frag.OldLines),
			NewStart: int(frag.NewPosition), NewLines: int(frag.NewLines),
			Lines: make([]Line, 0, len(frag.Lines)),
		}
		oldN, newN := h.OldStart, h.NewStart
		for _, gl := range frag.Lines {
			l := Line{Text: strings.TrimSuffix(strings.TrimSuffix(gl.Line, "\n"), "\r")}
			switch gl.Op {
			case gitdiff.OpAdd:
				l.Kind, l.New = Added, newN
				newN++
			case gitdiff.OpDelete:
				l.Kind, l.Old = Deleted, oldN
				oldN++
			default:
				l.Kind, l.Old, l.New = Context, oldN, newN
				oldN++
				newN++
			}
			if l.Kind != Deleted && l.New < 1 {
				return nil, fmt.Errorf("parse diff: %s: a hunk puts a new-side line at line %d", f.Path(), l.New)
			}
			if l.New > 0 {
				f.byNew[l.New] = [2]int{len(f.Hunks), len(h.Lines)}
			}
			h.Lines = append(h.Lines, l)
		}
		f.Hunks = append(f.Hunks, h)
	}
	return f, nil
}

// Filter says which lines of a change are in scope, with reviewdog's meanings.
type Filter string

// Filter modes.
const (
	// FilterAdded keeps lines the change added. It is the default.
	FilterAdded Filter = "added"
	// FilterDiffContext keeps any line inside a hunk.
	FilterDiffContext Filter = "diff_context"
	// FilterFile keeps any line of a changed file.
	FilterFile Filter = "file"
	// FilterNone keeps everything.
	FilterNone Filter = "nofilter"
)

// ParseFilter parses a --filter value; "" means FilterAdded.
func ParseFilter(s string) (Filter, error) {
	switch f := Filter(s); f {
	case "":
		return FilterAdded, nil
	case FilterAdded, FilterDiffContext, FilterFile, FilterNone:
		return f, nil
	}
	return "", fmt.Errorf("unknown filter %q: want added, diff_context, file or nofilter", s)
}

// InScope reports whether line of path is in scope under mode.
func (p *Patch) InScope(mode Filter, path string, line int) bool {
	if mode == FilterNone {
		return true
	}
	f := p.File(path)
	if f == nil || f.IsDelete {
		return false
	}
	switch mode {
	case FilterFile:
		return true
	case FilterDiffContext:
		return f.InHunk(line)
	default:
		return f.Added(line)
	}
}
