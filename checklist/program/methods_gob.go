package program

import (
	"bytes"
	"encoding/gob"
	"slices"
)

// methodsWire is Methods as gob encodes it: map keys in sorted order, so that
// the same fact always encodes to the same bytes (the analysis checker's
// sanity check, which analysistest turns on, rejects a fact whose encoding
// varies, and gob writes a map in Go's random iteration order).
type methodsWire struct {
	Names   []string
	Types   [][]string
	Entries []EntryRef
}

// GobEncode writes m with its map in sorted key order.
func (m *Methods) GobEncode() ([]byte, error) {
	w := methodsWire{Entries: m.Entries}
	for name := range m.ByMethod {
		w.Names = append(w.Names, name)
	}
	slices.Sort(w.Names)
	for _, name := range w.Names {
		w.Types = append(w.Types, m.ByMethod[name])
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(w); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// GobDecode reads what GobEncode wrote.
func (m *Methods) GobDecode(b []byte) error {
	var w methodsWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return err
	}
	m.Entries = w.Entries
	m.ByMethod = make(map[string][]string, len(w.Names))
	for i, name := range w.Names {
		if i < len(w.Types) {
			m.ByMethod[name] = w.Types[i]
		}
	}
	return nil
}
