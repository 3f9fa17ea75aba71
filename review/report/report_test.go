package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/prodready/prodready/finding"
	"github.com/prodready/prodready/internal/testenv"
)

func sampleReport() *finding.Report {
	rep := finding.NewReport("aaaa", "bbbb")
	rep.Findings = []finding.Finding{
		{Path: "client/price.go", Line: 12, EndLine: 12, Column: 15, Check: "http-no-timeout",
			Question: finding.FailsHalfway, Severity: finding.SeverityError,
			Message: "http.Get uses the default client, which has no timeout", Source: finding.SourceChecklist,
			Function: "FetchPrice", LineText: `resp, err := http.Get(url)`, Title: "HTTP call without a timeout"},
		{Path: "jobs/charge.go", Line: 40, EndLine: 41, Check: "llm", Question: finding.RunsTwice,
			Severity: finding.SeverityWarning, Message: "a redelivered message charges twice: 50%, then\nagain",
			Suggestion: "if err := store.Once(ctx, id); err != nil {", Source: finding.SourceLLM,
			Function: "Charge", LineText: "charge(ctx, card)"},
	}
	for i := range rep.Findings {
		rep.Findings[i].SetFingerprint()
	}
	rep.Skipped = append(rep.Skipped, finding.Skipped{Path: "gen/x.pb.go", Reason: "generated file"})
	rep.Stats.Files = 3
	return rep
}

func TestJSONMatchesContract(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, JSON, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	// The contract's shape, and nothing more.
	type contractFinding struct {
		Path        string `json:"path"`
		Line        int    `json:"line"`
		EndLine     int    `json:"end_line"`
		Check       string `json:"check"`
		Question    string `json:"question"`
		Severity    string `json:"severity"`
		Message     string `json:"message"`
		Suggestion  string `json:"suggestion"`
		Source      string `json:"source"`
		Fingerprint string `json:"fingerprint"`
	}
	var got struct {
		Version  int               `json:"version"`
		Base     string            `json:"base"`
		Head     string            `json:"head"`
		Findings []contractFinding `json:"findings"`
		Skipped  []struct {
			Path   string `json:"path"`
			Reason string `json:"reason"`
		} `json:"skipped"`
		Stats struct {
			Packages          int `json:"packages"`
			Files             int `json:"files"`
			LLMCalls          int `json:"llm_calls"`
			LLMTokensIn       int `json:"llm_tokens_in"`
			LLMTokensOut      int `json:"llm_tokens_out"`
			DroppedUngrounded int `json:"dropped_ungrounded"`
		} `json:"stats"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("decode into the contract's shape: %v", err)
	}
	if got.Version != 1 || got.Base != "aaaa" || got.Head != "bbbb" || len(got.Findings) != 2 || got.Stats.Files != 3 {
		t.Fatalf("unexpected report: %+v", got)
	}
	f := got.Findings[0]
	if f.Question != "fails-halfway" || f.Source != "checklist" || len(f.Fingerprint) != 16 || f.Line != 12 {
		t.Fatalf("finding: %+v", f)
	}
	if got.Skipped[0].Reason != "generated file" {
		t.Fatalf("skipped: %+v", got.Skipped)
	}
}

func TestEmptyJSONHasArrays(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, JSON, &finding.Report{Version: 1}, Options{}); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.Contains(s, `"findings": []`) || !strings.Contains(s, `"skipped": []`) {
		t.Fatalf("empty report must carry empty arrays, got %s", s)
	}
}

// schemaFile is OASIS's SARIF 2.1.0 schema, carried in testdata with its
// licence note (testdata/SARIF-SCHEMA.md).
const schemaFile = "testdata/sarif-schema-2.1.0.json"

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	sch, err := jsonschema.NewCompiler().Compile(schemaFile)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

// TestSARIFSchemaMatchesShared cross-checks the carried schema against the
// shared fixtures' copy where that folder exists (CI has it); on a fresh
// clone it checks that the carried schema is the SARIF 2.1.0 one.
func TestSARIFSchemaMatchesShared(t *testing.T) {
	ours, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(ours, []byte(`"id": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/`)) {
		t.Fatalf("%s is not the SARIF 2.1.0 schema", schemaFile)
	}
	if dir, ok := testenv.Shared(t); ok {
		theirs, err := os.ReadFile(filepath.Join(dir, "sarif", "sarif-schema-2.1.0.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ours, theirs) {
			t.Fatalf("%s differs from the shared fixtures' copy", schemaFile)
		}
	}
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	sch := sarifSchema(t)
	rules := []Rule{{ID: "http-no-timeout", Question: "fails-halfway", Severity: "error",
		Title: "HTTP call without a timeout", Rationale: "A hung server holds the goroutine forever.", Fix: "Set http.Client.Timeout."}}
	var buf bytes.Buffer
	if err := Write(&buf, SARIF, sampleReport(), Options{Rules: rules, Version: "v0.1.0"}); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v\n%s", err, buf.String())
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				Level               string            `json:"level"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	r := doc.Runs[0]
	if len(r.Results) != 2 || r.Results[0].RuleID != "http-no-timeout" || r.Results[0].Level != "error" {
		t.Fatalf("results: %+v", r.Results)
	}
	if fp := r.Results[0].PartialFingerprints[fingerprintKey]; len(fp) != 16 {
		t.Fatalf("partialFingerprints missing: %+v", r.Results[0].PartialFingerprints)
	}
	if !strings.Contains(r.Tool.Driver.Rules[0].Help.Text, "Set http.Client.Timeout") {
		t.Fatalf("rule help lacks the fix: %+v", r.Tool.Driver.Rules[0])
	}
}

func TestSARIFEmptyValidates(t *testing.T) {
	sch := sarifSchema(t)
	var buf bytes.Buffer
	if err := Write(&buf, SARIF, finding.NewReport("", ""), Options{}); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("empty SARIF does not validate: %v", err)
	}
}

func TestRDJSONL(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, RDJSONL, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	var lines []rdDiagnostic
	for sc.Scan() {
		var d rdDiagnostic
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, d)
	}
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %d", len(lines))
	}
	if d := lines[0]; d.Location.Path != "client/price.go" || d.Location.Range.Start.Line != 12 || d.Severity != "ERROR" || d.Code.Value != "http-no-timeout" {
		t.Fatalf("first diagnostic: %+v", d)
	}
	if d := lines[1]; len(d.Suggestions) != 1 || d.Suggestions[0].Range.End.Line != 42 {
		t.Fatalf("suggestion must replace lines 40-41 whole: %+v", d.Suggestions)
	}
}

func TestGitHubActionsEscapes(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, GitHubActions, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("a multi-line message must stay on one command line; got %d lines:\n%s", len(lines), buf.String())
	}
	if !strings.HasPrefix(lines[0], "::error file=client/price.go,line=12,endLine=12,col=15,title=prodready http-no-timeout (fails-halfway)::") {
		t.Fatalf("first command: %s", lines[0])
	}
	if !strings.Contains(lines[1], "50%25, then%0Aagain") || !strings.HasPrefix(lines[1], "::warning ") {
		t.Fatalf("second command not escaped: %s", lines[1])
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	var plain, colour bytes.Buffer
	if err := Write(&plain, Text, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := Write(&colour, Text, sampleReport(), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Fatal("plain text output has ANSI escapes")
	}
	if !strings.Contains(colour.String(), "\x1b[") {
		t.Fatal("colour output has no ANSI escapes")
	}
	if !strings.Contains(plain.String(), "client/price.go:12:15: [http-no-timeout] http.Get uses the default client") ||
		!strings.Contains(plain.String(), "fails-halfway") {
		t.Fatalf("text output:\n%s", plain.String())
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if got, err := ParseFormat(string(f)); err != nil || got != f {
			t.Fatalf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if _, err := ParseFormat("xml"); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Fatalf("want unknown format error, got %v", err)
	}
}

func TestTextShowsVerdictsAndCost(t *testing.T) {
	rep := sampleReport()
	rep.Stats.LLMCalls = 2
	rep.LLM.CostUSD = 0.0123
	rep.LLM.Verdicts = []finding.Verdict{
		{Path: "jobs/charge.go", Function: "Charge", Question: finding.RunsTwice, Verdict: "risk", Reason: "a redelivery charges twice"},
		{Path: "jobs/charge.go", Function: "Charge", Question: finding.FailsHalfway, Verdict: "ok"},
	}
	var buf bytes.Buffer
	if err := Write(&buf, Text, rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	want := "jobs/charge.go Charge: runs-twice risk (a redelivery charges twice); fails-halfway no finding; under-load n/a"
	if !strings.Contains(out, want) || !strings.Contains(out, "about $0.0123") {
		t.Fatalf("text output lacks verdicts or cost:\n%s", out)
	}
}
