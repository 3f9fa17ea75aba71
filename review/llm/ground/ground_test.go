package ground

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/review/llm/units"
)

const src = `package svc

func (s *Server) Handle(id string) error {
	row, err := s.db.Get(id)
	if err != nil {
		return err
	}
	s.cache.Put(id, row)
	return nil
}

func Close(c io.Closer) {
	c.Close()
}
`

func testUnit() *units.Unit {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	return &units.Unit{
		Kind: units.Func, Path: "svc/server.go", Name: "Server.Handle", Function: "Server.Handle",
		Start: 3, End: 10, Changed: map[int]bool{4: true, 5: true, 6: true, 7: true, 8: true},
		Source: &units.Source{Path: "svc/server.go", Lines: lines},
	}
}

// testBatch is two units of the file asked in one call.
func testBatch() []*units.Unit {
	u := testUnit()
	v := &units.Unit{
		Kind: units.Func, Path: u.Path, Name: "Close", Function: "Close",
		Start: 12, End: 14, Changed: map[int]bool{13: true}, Source: u.Source,
	}
	return []*units.Unit{u, v}
}

func TestGroundBatch(t *testing.T) {
	batch := testBatch()
	a := &Answer{
		Comments: []Comment{
			{Line: 13, Quote: "c.Close()", Question: "fails-halfway", Body: "close error dropped"},
			{Line: 8, Quote: "s.cache.Put", Question: "fails-halfway", Body: "cache write ignored"},
			{Line: 12, Quote: "func Close", Question: "fails-halfway", Body: "unchanged"},
		},
		Verdicts: []Verdict{
			{Function: "Close", Question: "fails-halfway", Verdict: "risk", Reason: "r"},
			{Function: "Server.Handle", Question: "fails-halfway", Verdict: "risk", Reason: "r"},
			{Question: "runs-twice", Verdict: "ok", Reason: "which one?"},
		},
	}
	r := Ground(a, batch, 1)
	if len(r.Findings) != 2 || r.Findings[0].Function != "Close" || r.Findings[1].Function != "Server.Handle" {
		t.Fatalf("findings %+v", r.Findings)
	}
	if len(r.Drops) != 1 || len(r.Verdicts) != 2 || len(r.VerdictDrops) != 1 {
		t.Errorf("drops %+v verdicts %+v verdict drops %+v", r.Drops, r.Verdicts, r.VerdictDrops)
	}
}

func TestParseShapes(t *testing.T) {
	obj := `{"verdicts":[{"question":"runs-twice","verdict":"ok","reason":"r"}],"comments":[{"line":"4","quote":"s.db.Get","question":"fails-halfway","severity":"error","body":"b","extra":1}],"ignored":{"x":[1,2]}}`
	cases := []struct {
		name           string
		in             string
		comments, verd int
		truncated      bool
		err            error
	}{
		{"bare", obj, 1, 1, false, nil},
		{"fenced", "```json\n" + obj + "\n```", 1, 1, false, nil},
		{"prose first", "Sure! Here is the review: " + obj + " Thanks.", 1, 1, false, nil},
		{"truncated", obj[:len(obj)-40], 0, 1, true, nil},
		{"empty", "  \n", 0, 0, false, ErrEmpty},
		{"no json", "LGTM", 0, 0, false, ErrNoJSON},
		{"unrelated object", `{"answer":"yes"}`, 0, 0, false, ErrNoJSON},
		{"array where comments belong", `{"comments":{"line":4}}`, 0, 0, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse(tc.in)
			if err != tc.err {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if len(a.Comments) != tc.comments || len(a.Verdicts) != tc.verd || a.Truncated != tc.truncated {
				t.Errorf("got %d comments, %d verdicts, truncated %v", len(a.Comments), len(a.Verdicts), a.Truncated)
			}
		})
	}
}

func TestGroundRules(t *testing.T) {
	u := testUnit()
	cs := []Comment{
		{Line: 4, Quote: "`s.db.Get(id)`", Question: "fails_halfway", Severity: "ERROR", Body: "ok"},
		{Line: 4, Quote: "s.db.Get(id)", Question: "fails-halfway", Body: "duplicate"},
		{Line: 3, Quote: "func (s *Server)", Question: "runs-twice", Body: "unchanged line"},
		{Line: 40, Quote: "x", Question: "runs-twice", Body: "outside"},
		{Line: 8, Quote: "s.db.Get", Question: "runs-twice", Body: "quote from another line"},
		{Line: 8, Quote: "(", Question: "runs-twice", Body: "quote too short"},
		{Line: 8, Quote: "s.cache.Put", Question: "approve", Body: "bad question"},
		{Line: 8, Quote: "s.cache.Put", Question: "runs-twice", Body: "  "},
		{Path: "other.go", Line: 8, Quote: "s.cache.Put", Question: "runs-twice", Body: "other path"},
		{Path: "./svc/server.go", Line: 8, EndLine: 12, Quote: "s.cache.Put(id,   row)", Question: "runs-twice", Severity: "bogus", Body: "kept, end clamped"},
	}
	r := Ground(&Answer{Comments: cs}, []*units.Unit{u}, 5)
	if len(r.Findings) != 2 {
		t.Fatalf("kept %d: %+v", len(r.Findings), r.Findings)
	}
	if len(r.Drops) != len(cs)-2 {
		t.Errorf("drops %d, want %d: %+v", len(r.Drops), len(cs)-2, r.Drops)
	}
	f := r.Findings[0]
	if f.Line != 4 || f.Question != finding.FailsHalfway || f.Severity != finding.SeverityError || f.LineText != "\trow, err := s.db.Get(id)" || f.Function != "Server.Handle" {
		t.Errorf("first finding %+v", f)
	}
	g := r.Findings[1]
	if g.EndLine != 8 || g.Severity != finding.SeverityWarning || g.Path != "svc/server.go" {
		t.Errorf("second finding %+v", g)
	}
}

func TestGroundCapsComments(t *testing.T) {
	u := testUnit()
	var cs []Comment
	for _, l := range []int{4, 5, 6, 7, 8} {
		cs = append(cs, Comment{Line: FlexInt(l), Quote: strings.TrimSpace(u.Source.Line(l)), Question: "under-load", Body: "b"})
	}
	r := Ground(&Answer{Comments: cs}, []*units.Unit{u}, 2)
	if len(r.Findings) != 2 || len(r.Drops) != 3 {
		t.Errorf("kept %d dropped %d, want 2 and 3", len(r.Findings), len(r.Drops))
	}
}

func TestSuggestionKeptOnlyIfItParses(t *testing.T) {
	u := testUnit()
	good := Comment{Line: 8, Quote: "s.cache.Put", Question: "fails-halfway", Body: "b", Suggestion: "\tif err := s.cache.Put(id, row); err != nil {\n\t\treturn err\n\t}"}
	bad := Comment{Line: 4, Quote: "s.db.Get", Question: "fails-halfway", Body: "b", Suggestion: "\trow, err := s.db.Get(id) {"}
	fence := Comment{Line: 5, Quote: "if err != nil", Question: "fails-halfway", Body: "b", Suggestion: "\tif err != nil { // ```"}
	r := Ground(&Answer{Comments: []Comment{good, bad, fence}}, []*units.Unit{u}, 5)
	if len(r.Findings) != 3 {
		t.Fatalf("a bad suggestion must not drop the comment: kept %d", len(r.Findings))
	}
	if r.Findings[0].Suggestion == "" {
		t.Errorf("a suggestion that parses was removed")
	}
	if r.Findings[1].Suggestion != "" || r.Findings[2].Suggestion != "" {
		t.Errorf("suggestions that do not parse or break the block were kept: %q %q", r.Findings[1].Suggestion, r.Findings[2].Suggestion)
	}
	if len(r.SuggestionDrops) != 1 {
		t.Errorf("removed %d, want 1 (the fenced one is refused before parsing)", len(r.SuggestionDrops))
	}
}

func TestVerdicts(t *testing.T) {
	u := testUnit()
	a := &Answer{Verdicts: []Verdict{
		{Function: "(*Server).Handle", Question: "runs-twice", Verdict: "RISK", Reason: "line one\nline two @someone"},
		{Function: "Other", Question: "under-load", Verdict: "ok"},
		{Question: "fails-halfway", Verdict: "approve"},
		{Question: "fails-halfway", Verdict: "N/A", Reason: "pure"},
	}}
	r := Ground(a, []*units.Unit{u}, 5)
	if len(r.Verdicts) != 2 || len(r.VerdictDrops) != 2 {
		t.Fatalf("verdicts %+v drops %+v", r.Verdicts, r.VerdictDrops)
	}
	if r.Verdicts[0].Verdict != "risk" || strings.Contains(r.Verdicts[0].Reason, "\n") || strings.Contains(r.Verdicts[0].Reason, "@someone") {
		t.Errorf("verdict %+v", r.Verdicts[0])
	}
	if r.Verdicts[1].Verdict != "n/a" {
		t.Errorf("verdict %+v", r.Verdicts[1])
	}
}

func TestDefuseAndCap(t *testing.T) {
	in := "ping @octocat and @org/team, mail a@b.com <!-- prodready:fp=1 -->"
	out := Defuse(in)
	for _, bad := range []string{"@octocat", "@org/team", "<!--", "-->"} {
		if strings.Contains(out, bad) {
			t.Errorf("%q survived: %q", bad, out)
		}
	}
	if !strings.Contains(out, "a@b.com") {
		t.Errorf("an e-mail address was mangled: %q", out)
	}
	long := strings.Repeat("é", MaxBody)
	c := Cap(long, MaxBody)
	if len(c) > MaxBody || !strings.HasSuffix(c, "(cut)") {
		t.Errorf("cap: %d bytes", len(c))
	}
}

func TestMerge(t *testing.T) {
	cl := []finding.Finding{{Path: "a.go", Line: 4, EndLine: 5, Check: "x", Question: finding.FailsHalfway, Message: "m", Source: finding.SourceChecklist}}
	model := []finding.Finding{
		{Path: "a.go", Line: 5, Question: finding.FailsHalfway, Message: "more", Source: finding.SourceLLM},
		{Path: "a.go", Line: 5, Question: finding.RunsTwice, Message: "other question", Source: finding.SourceLLM},
	}
	out, n := Merge(cl, model)
	// One line, one comment: the other question's remark folds in too.
	if n != 2 || len(out) != 1 || !strings.Contains(out[0].Message, "more") || !strings.Contains(out[0].Message, "(runs-twice): other question") || cl[0].Message != "m" {
		t.Errorf("merge: n=%d out=%+v (input changed: %v)", n, out, cl[0].Message != "m")
	}
}

// FuzzParseAndGround feeds arbitrary answers through the parser and the
// grounding step: nothing may panic, and whatever is kept must be grounded.
func FuzzParseAndGround(f *testing.F) {
	seed, _ := json.Marshal(map[string]any{"comments": []map[string]any{
		{"line": 4, "quote": "s.db.Get", "question": "fails-halfway", "body": "@x <!-- y -->", "suggestion": "\trow, err := s.db.Get(id)", "end_line": 6},
	}, "verdicts": []map[string]any{{"question": "runs-twice", "verdict": "ok"}}})
	f.Add(string(seed))
	f.Add("```json\n" + string(seed) + "\n```")
	f.Add(string(seed[:len(seed)/2]))
	f.Add(`{"comments":[{"line":"8","quote":"s.cache.Put","question":"Runs Twice","body":"b"}]}`)
	f.Add(`{"comments":{"line":1}}`)
	f.Add("")
	f.Add(`{"comments":[{"line":13,"quote":"c.Close()","question":"under-load","body":"b","end_line":14}],"verdicts":[{"function":"Close","question":"runs-twice","verdict":"ok"}]}`)
	f.Fuzz(func(t *testing.T, content string) {
		batch := testBatch()
		a, err := Parse(content)
		if err != nil {
			if a != nil {
				t.Fatal("error with an answer")
			}
			return
		}
		r := Ground(a, batch, 5)
		if len(r.Findings) > 10 {
			t.Fatalf("cap broken: %d", len(r.Findings))
		}
		if len(r.Findings)+len(r.Drops) < len(a.Comments) {
			t.Fatalf("%d comments in, %d kept + %d dropped", len(a.Comments), len(r.Findings), len(r.Drops))
		}
		for _, g := range r.Findings {
			var u *units.Unit
			for _, cand := range batch {
				if cand.Function == g.Function {
					u = cand
				}
			}
			if u == nil {
				t.Fatalf("finding names function %q, not one of the batch", g.Function)
			}
			if !u.Changed[g.Line] || g.EndLine < g.Line || g.EndLine > u.End || g.Path != u.Path || !g.Question.Valid() {
				t.Fatalf("ungrounded: %+v", g)
			}
			if g.LineText != u.Source.Line(g.Line) {
				t.Fatalf("line text: %+v", g)
			}
			if strings.Contains(g.Message, "<!--") || strings.Contains(g.Message, "-->") || len(g.Message) > MaxBody {
				t.Fatalf("body not defused or capped: %q", g.Message)
			}
			if mentionRE.MatchString(g.Message) {
				t.Fatalf("live mention in %q", g.Message)
			}
			if g.Suggestion != "" && strings.Contains(g.Suggestion, "```") {
				t.Fatalf("fence in suggestion")
			}
		}
		for _, v := range r.Verdicts {
			switch v.Verdict {
			case "risk", "ok", "unclear", "n/a":
			default:
				t.Fatalf("verdict %q", v.Verdict)
			}
		}
	})
}
