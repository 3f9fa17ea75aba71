package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/prodready/prodready/finding"
)

// The rdjsonl types follow reviewdog's Diagnostic message (one JSON object a
// line), so that `prodready review --format rdjsonl | reviewdog -f=rdjsonl`
// works. reviewdog publishes the format as a protobuf schema, not a Go module
// small enough to import, so the few fields we fill are declared here.
type rdDiagnostic struct {
	Message     string         `json:"message"`
	Location    rdLocation     `json:"location"`
	Severity    string         `json:"severity,omitempty"`
	Source      rdSource       `json:"source"`
	Code        *rdCode        `json:"code,omitempty"`
	Suggestions []rdSuggestion `json:"suggestions,omitempty"`
}

type rdLocation struct {
	Path  string  `json:"path"`
	Range rdRange `json:"range"`
}

type rdRange struct {
	Start rdPosition  `json:"start"`
	End   *rdPosition `json:"end,omitempty"`
}

type rdPosition struct {
	Line   int `json:"line"`
	Column int `json:"column,omitempty"`
}

type rdSource struct {
	Name string `json:"name"`
}

type rdCode struct {
	Value string `json:"value"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

func writeRDJSONL(w io.Writer, rep *finding.Report) error {
	enc := json.NewEncoder(w)
	for _, f := range rep.Findings {
		d := rdDiagnostic{
			Message: fmt.Sprintf("%s (%s)", f.Message, f.Question),
			Location: rdLocation{Path: f.Path, Range: rdRange{
				Start: rdPosition{Line: f.Line, Column: f.Column},
				End:   &rdPosition{Line: max(f.EndLine, f.Line)},
			}},
			Severity: strings.ToUpper(string(f.Severity)),
			Source:   rdSource{Name: "prodready"},
			Code:     &rdCode{Value: f.Check},
		}
		if f.Suggestion != "" {
			// A suggestion replaces the flagged lines whole.
			d.Suggestions = []rdSuggestion{{
				Range: rdRange{
					Start: rdPosition{Line: f.Line, Column: 1},
					End:   &rdPosition{Line: max(f.EndLine, f.Line) + 1, Column: 1},
				},
				Text: strings.TrimSuffix(f.Suggestion, "\n") + "\n",
			}}
		}
		if err := enc.Encode(d); err != nil {
			return fmt.Errorf("write rdjsonl: %w", err)
		}
	}
	return nil
}
