// Package prompts holds the text/template files prodready's LLM stage sends to
// the model: the system prompt (system.tmpl) and the user prompt holding the
// changed units of one file (unit.tmpl). They are embedded in the binary, and a directory given
// with --prompts overrides either file.
package prompts

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

//go:embed system.tmpl unit.tmpl
var embedded embed.FS

// File names of the two templates.
const (
	SystemFile = "system.tmpl"
	UnitFile   = "unit.tmpl"
)

// SystemData is what system.tmpl sees.
type SystemData struct {
	// MaxComments caps the comments asked for in one answer.
	MaxComments int
}

// RequestData is what unit.tmpl sees: the units of one file asked about in
// one call, with the context they share.
type RequestData struct {
	// Path is the file, slash-separated and relative to the repository root.
	Path string
	// Instructions are the repository's path-scoped instructions.
	Instructions []string
	// Types are declarations of the receiver and parameter types.
	Types []string
	// Callees are signatures of same-package functions the units call.
	Callees []string
	Units   []UnitData
}

// UnitData is one changed unit of code within a request.
type UnitData struct {
	// Kind is "function", "function literal" or "change outside functions".
	Kind string
	// Name is the function ("Recv.Name"), or a short description.
	Name       string
	Start, End int
	// Fence is the marker that opens and closes the code. It is derived from
	// the code's hash, so the code cannot contain it.
	Fence string
	// Code is the numbered code, one line each, ending in a newline.
	Code string
	// Signals say why the unit was picked (network call, checklist finding).
	Signals []string
	// Evidence are the checklist's findings in this unit, one line each.
	Evidence []string
	// Chains are the entry points and call chains that reach the function,
	// one line each.
	Chains []string
}

// Set is a parsed pair of templates.
type Set struct {
	system, unit *template.Template
	hash         string
}

// Default returns the embedded templates.
func Default() (*Set, error) { return Load("") }

// Load reads the templates, taking each file from dir when dir holds it and
// from the embedded defaults otherwise. dir "" means the defaults only.
func Load(dir string) (*Set, error) {
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("prompts directory: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("prompts directory: %s is not a directory", dir)
		}
	}
	read := func(name string) (string, error) {
		if dir != "" {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err == nil {
				return string(data), nil
			}
			if !errors.Is(err, fs.ErrNotExist) {
				return "", fmt.Errorf("read prompt %s: %w", name, err)
			}
		}
		data, err := embedded.ReadFile(name)
		if err != nil {
			return "", fmt.Errorf("read embedded prompt %s: %w", name, err)
		}
		return string(data), nil
	}
	sysText, err := read(SystemFile)
	if err != nil {
		return nil, err
	}
	unitText, err := read(UnitFile)
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{"join": strings.Join, "inc": func(i int) int { return i + 1 }}
	s := &Set{}
	if s.system, err = template.New(SystemFile).Funcs(funcs).Parse(sysText); err != nil {
		return nil, fmt.Errorf("parse prompt %s: %w", SystemFile, err)
	}
	if s.unit, err = template.New(UnitFile).Funcs(funcs).Parse(unitText); err != nil {
		return nil, fmt.Errorf("parse prompt %s: %w", UnitFile, err)
	}
	h := sha256.New()
	h.Write([]byte(sysText))
	h.Write([]byte{0})
	h.Write([]byte(unitText))
	s.hash = hex.EncodeToString(h.Sum(nil))
	// Render once with sample data, so that a template referring to a field
	// that does not exist fails here, with its name, and not halfway through a review.
	if _, err := s.System(SystemData{MaxComments: 1}); err != nil {
		return nil, err
	}
	if _, err := s.Request(RequestData{Path: "a.go", Instructions: []string{"i"}, Types: []string{"t"}, Callees: []string{"c"},
		Units: []UnitData{{Kind: "function", Name: "F", Fence: "<<<X>>>", Code: "1 +| x\n", Signals: []string{"s"}, Evidence: []string{"e"}, Chains: []string{"h"}}}}); err != nil {
		return nil, err
	}
	return s, nil
}

// Hash identifies the template texts, for logs and reports. Cache keys hash
// the rendered prompts, which already depend on the templates.
func (s *Set) Hash() string { return s.hash }

// System renders the system prompt.
func (s *Set) System(d SystemData) (string, error) {
	var b bytes.Buffer
	if err := s.system.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render prompt %s: %w", SystemFile, err)
	}
	return b.String(), nil
}

// Request renders the user prompt for the units of one call.
func (s *Set) Request(d RequestData) (string, error) {
	var b bytes.Buffer
	if err := s.unit.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render prompt %s: %w", UnitFile, err)
	}
	return b.String(), nil
}
