// Package ground turns a model's answer into findings prodready can post. It
// parses the answer tolerantly (a JSON object, possibly in a code fence,
// after prose, or cut off), then keeps a comment only when it is anchored on
// a changed line of the unit asked, quotes that line, and answers one of the
// three questions. Everything it drops is counted with a reason.
package ground

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// MaxParsed caps the comments and verdicts read from one answer; the rest are
// counted as dropped without being examined.
const MaxParsed = 20000

// Comment is one comment as the model wrote it. Fields are as loose as models
// are: numbers may come as strings.
type Comment struct {
	Path       string  `json:"path"`
	Function   string  `json:"function"`
	Line       FlexInt `json:"line"`
	EndLine    FlexInt `json:"end_line"`
	Quote      string  `json:"quote"`
	Question   string  `json:"question"`
	Severity   string  `json:"severity"`
	Body       string  `json:"body"`
	Suggestion string  `json:"suggestion"`
}

// Verdict is one per-question verdict as the model wrote it.
type Verdict struct {
	Path     string `json:"path"`
	Function string `json:"function"`
	Question string `json:"question"`
	Verdict  string `json:"verdict"`
	Reason   string `json:"reason"`
}

// Answer is a parsed model answer.
type Answer struct {
	Verdicts []Verdict
	Comments []Comment
	// Truncated is set when the JSON ended early; what was complete is kept.
	Truncated bool
	// Unreadable counts entries that were not objects of the right shape.
	Unreadable int
	// Overflow counts entries past MaxParsed.
	Overflow int
}

// FlexInt is an int that also accepts a numeric string or a float.
type FlexInt int

// UnmarshalJSON implements json.Unmarshaler.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if i, err := strconv.Atoi(s); err == nil {
		*n = FlexInt(i)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < -1e9 || f > 1e9 {
		return fmt.Errorf("not a line number: %.40s", s)
	}
	*n = FlexInt(int(f))
	return nil
}

// ErrEmpty is returned for an answer with no content.
var ErrEmpty = errors.New("empty answer")

// ErrNoJSON is returned when no JSON object can be found in an answer.
var ErrNoJSON = errors.New("no JSON object in the answer")

// Parse reads a model answer. It accepts a bare JSON object, one inside a
// Markdown code fence, or one after leading prose, and keeps the complete
// entries of an object that was cut off (Answer.Truncated).
func Parse(content string) (*Answer, error) {
	s := strings.TrimSpace(content)
	if s == "" {
		return nil, ErrEmpty
	}
	var candidates []string
	if strings.HasPrefix(s, "{") {
		candidates = append(candidates, s)
	}
	if fenced, ok := fence(s); ok {
		candidates = append(candidates, fenced)
	}
	// Leading prose: try from each of the first few '{'.
	for i, tries := 0, 0; i < len(s) && tries < 8; i++ {
		if s[i] == '{' {
			candidates = append(candidates, s[i:])
			tries++
		}
	}
	var best *Answer
	for _, c := range candidates {
		a, ok := decode(c)
		if !ok {
			continue
		}
		if !a.Truncated {
			return a, nil
		}
		if best == nil || len(a.Comments)+len(a.Verdicts) > len(best.Comments)+len(best.Verdicts) {
			best = a
		}
	}
	if best != nil {
		return best, nil
	}
	return nil, ErrNoJSON
}

// fence returns the contents of the first ``` code fence.
func fence(s string) (string, bool) {
	i := strings.Index(s, "```")
	if i < 0 {
		return "", false
	}
	rest := s[i+3:]
	// Skip an info string such as "json".
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 && !strings.Contains(rest[:nl], "{") {
		rest = rest[nl+1:]
	}
	if j := strings.Index(rest, "```"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest), true
}

// decode reads one JSON object token by token, so that an object cut off
// halfway still yields its complete entries. It returns false when s does not
// start an object holding at least one known key.
func decode(s string) (*Answer, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, false
	}
	a := &Answer{}
	known := false
	for {
		tok, err := dec.Token()
		if err != nil {
			a.Truncated = true
			return a, known
		}
		if tok == json.Delim('}') {
			return a, known
		}
		key, ok := tok.(string)
		if !ok {
			a.Truncated = true
			return a, known
		}
		switch key {
		case "comments", "verdicts":
			known = true
			if cut := decodeArray(dec, a, key); cut {
				a.Truncated = true
				return a, known
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				a.Truncated = true
				return a, known
			}
		}
	}
}

// decodeArray reads the array under key into a, entry by entry. It reports
// whether the input ended (or broke) inside it.
func decodeArray(dec *json.Decoder, a *Answer, key string) bool {
	tok, err := dec.Token()
	if err != nil {
		return true
	}
	if tok != json.Delim('[') {
		if d, ok := tok.(json.Delim); ok && d == '{' {
			// An object where an array belongs: skip it whole.
			depth := 1
			for depth > 0 {
				t, err := dec.Token()
				if err != nil {
					return true
				}
				if d, ok := t.(json.Delim); ok {
					switch d {
					case '{', '[':
						depth++
					case '}', ']':
						depth--
					}
				}
			}
		}
		a.Unreadable++
		return false
	}
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return true
		}
		if len(a.Comments)+len(a.Verdicts) >= MaxParsed {
			a.Overflow++
			continue
		}
		raw = bytes.TrimSpace(raw)
		switch key {
		case "comments":
			var c Comment
			if err := json.Unmarshal(raw, &c); err != nil {
				a.Unreadable++
				continue
			}
			a.Comments = append(a.Comments, c)
		case "verdicts":
			var v Verdict
			if err := json.Unmarshal(raw, &v); err != nil {
				a.Unreadable++
				continue
			}
			a.Verdicts = append(a.Verdicts, v)
		}
	}
	_, err = dec.Token() // the closing ]
	return err != nil
}
