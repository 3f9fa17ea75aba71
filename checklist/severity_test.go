package checklist

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/prodready/prodready/finding"
)

// checkCaps asserts that each diagnostic carries the severity cap its test
// case declares: "at most info" (or "at most warning") in the doc comment
// of the function holding it. Cases without one must carry no cap.
func checkCaps(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	files := map[string][]string{}
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			pos := r.Pass.Fset.Position(d.Pos)
			lines, ok := files[pos.Filename]
			if !ok {
				src, err := os.ReadFile(pos.Filename)
				if err != nil {
					t.Fatal(err)
				}
				lines = strings.Split(string(src), "\n")
				files[pos.Filename] = lines
			}
			want := ""
			// The nearest "func " line above, and the comment lines above it.
			for i := pos.Line - 1; i >= 0; i-- {
				if strings.HasPrefix(lines[i], "func ") {
					for j := i - 1; j >= 0 && strings.HasPrefix(lines[j], "//"); j-- {
						switch {
						case strings.Contains(lines[j], "at most info"):
							want = AtMostInfo
						case strings.Contains(lines[j], "at most warning"):
							want = AtMostWarning
						case strings.Contains(lines[j], "raised to warning"):
							want = Evident
						}
					}
					break
				}
			}
			// A want on the line itself that expects "info only" says so
			// for that line, where one function holds findings of both
			// severities.
			if line := lines[pos.Line-1]; strings.Contains(line, "// want `info only") {
				want = AtMostInfo
			}
			cat := d.Category
			if strings.HasPrefix(cat, PublicRouteOnly) || strings.HasPrefix(cat, LoggedInInfo) {
				// The check's severity where the handler is on a public
				// route (TestSeverityOfPublicRoute): no cap of its own.
				if len(RouteKeys(d)) == 0 {
					t.Errorf("%s: category %q names no handler", pos, cat)
				}
				cat = ""
			}
			if cat != want {
				t.Errorf("%s: category %q, want %q", pos, d.Category, want)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no diagnostics to check")
	}
}

func TestReadUnboundedSeverityByContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), readUnboundedAnalyzer, "readunbounded/..."))
}

func TestSeverityOfCaps(t *testing.T) {
	for _, tc := range []struct {
		base finding.Severity
		cat  string
		want finding.Severity
	}{
		{finding.SeverityError, "", finding.SeverityError},
		{finding.SeverityError, AtMostWarning, finding.SeverityWarning},
		{finding.SeverityWarning, AtMostInfo, finding.SeverityInfo},
		{finding.SeverityInfo, AtMostWarning, finding.SeverityInfo}, // a cap never raises
		{finding.SeverityWarning, "some-other-category", finding.SeverityWarning},
	} {
		if got := SeverityOf(tc.base, analysisDiag(tc.cat), nil); got != tc.want {
			t.Errorf("SeverityOf(%s, %q) = %s, want %s", tc.base, tc.cat, got, tc.want)
		}
	}
}

// publicSet is a Routes that knows a fixed set of public handlers.
type publicSet map[string]bool

func (p publicSet) Public(key string) bool { return p[key] }

func (p publicSet) Behind(key string) (seen, authed bool) {
	pub, ok := p[key]
	return ok, ok && !pub
}

// TestSeverityOfLoggedInOnly: a diagnostic marked LoggedInInfo is info
// only when a handler it names is seen registered behind a login check and
// none is seen on an open route; unknown routes, and no route knowledge
// (the vet tool), keep the check's severity.
func TestSeverityOfLoggedInOnly(t *testing.T) {
	d := analysisDiag(OnlyLoggedIn("example.com/m/h.Settings", "example.com/m/svc.Helper"))
	for _, tc := range []struct {
		routes Routes
		want   finding.Severity
	}{
		{publicSet{"example.com/m/h.Settings": false}, finding.SeverityInfo},
		{publicSet{"example.com/m/h.Settings": false, "example.com/m/svc.Helper": true}, finding.SeverityWarning},
		{publicSet{"example.com/m/h.Login": true}, finding.SeverityWarning},
		{publicSet{}, finding.SeverityWarning},
		{nil, finding.SeverityWarning},
	} {
		if got := SeverityOf(finding.SeverityWarning, d, tc.routes); got != tc.want {
			t.Errorf("SeverityOf(%v) = %s, want %s", tc.routes, got, tc.want)
		}
	}
}

// TestSeverityOfPublicRoute: a diagnostic gated on a public route keeps the
// check's severity only when one of its handlers is known public; an
// authenticated or unknown handler, or no route knowledge at all (the vet
// tool), makes it info.
func TestSeverityOfPublicRoute(t *testing.T) {
	d := analysisDiag(OnPublicRoute("func literal at /m/h.go#10", "example.com/m/h.Upload"))
	if got := RouteKeys(d); len(got) != 2 || got[1] != "example.com/m/h.Upload" {
		t.Fatalf("RouteKeys = %q", got)
	}
	for _, tc := range []struct {
		routes Routes
		want   finding.Severity
	}{
		{publicSet{"example.com/m/h.Upload": true}, finding.SeverityWarning},
		{publicSet{"func literal at /m/h.go#10": true}, finding.SeverityWarning},
		{publicSet{"example.com/m/h.Settings": true}, finding.SeverityInfo},
		{nil, finding.SeverityInfo},
	} {
		if got := SeverityOf(finding.SeverityWarning, d, tc.routes); got != tc.want {
			t.Errorf("SeverityOf(%v) = %s, want %s", tc.routes, got, tc.want)
		}
	}
}

func analysisDiag(cat string) analysis.Diagnostic { return analysis.Diagnostic{Category: cat} }

func TestQueryInLoopSeverityByContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), queryInLoopAnalyzer, "queryinloop"))
}

func TestServerNoTimeoutsSeverityByContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), serverNoTimeoutsAnalyzer, "servernotimeouts/..."))
}

func TestClientPerRequestSeverityByContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), clientPerRequestAnalyzer, "clientperrequest"))
}

func TestLockAcrossIOSeverityByContext(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), lockAcrossIOAnalyzer, "lockacrossio/..."))
}

// TestWriteCloseUncheckedSeverityByWriter: an *os.File's dropped Close is
// info (its writes reported their errors), and so is an io.WriteCloser's
// (what it is, and whether its Close writes, is not in sight); a writer
// known to flush on Close (gzip) keeps the check's severity.
func TestWriteCloseUncheckedSeverityByWriter(t *testing.T) {
	t.Parallel()
	files, flushers, mails := 0, 0, 0
	for _, r := range runClean(t, analysistest.TestData(), writeCloseUncheckedAnalyzer, "writecloseunchecked") {
		for _, d := range r.Diagnostics {
			switch {
			case strings.Contains(d.Message, "io.WriteCloser") && !strings.Contains(d.Message, "(info"):
				mails++ // an SMTP DATA writer: its Close reads the server's verdict
				if d.Category != "" {
					t.Errorf("%s: category %q, want the check's severity", d.Message, d.Category)
				}
			case strings.Contains(d.Message, "*gzip.Writer"):
				flushers++
				if d.Category != "" {
					t.Errorf("%s: category %q, want the check's severity", d.Message, d.Category)
				}
			case strings.Contains(d.Message, "a file"), strings.Contains(d.Message, "io.WriteCloser"):
				files++
				if d.Category != AtMostInfo {
					t.Errorf("%s: category %q, want %q", d.Message, d.Category, AtMostInfo)
				}
			}
		}
	}
	if files == 0 || flushers == 0 || mails == 0 {
		t.Fatalf("files %d, flushers %d, mail writers %d: the testdata lost its cases", files, flushers, mails)
	}
}

// TestErrorIgnoredIOSeverityByKind: an error assigned to _ on purpose, a
// local file's write, rename or copy, and a write whose function reports
// to no one are info; a flush and a database or network write whose
// function then reports success keep the check's severity.
func TestErrorIgnoredIOSeverityByKind(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), errorIgnoredIOAnalyzer, "errorignoredio"))
}

// TestDefaultSeverityEvident: an Evident diagnostic of a check that is
// info by default starts at warning; other diagnostics, and checks whose
// default is already higher, keep the default.
func TestDefaultSeverityEvident(t *testing.T) {
	ev := analysis.Diagnostic{Category: Evident}
	for _, c := range []struct {
		def  finding.Severity
		d    analysis.Diagnostic
		want finding.Severity
	}{
		{finding.SeverityInfo, ev, finding.SeverityWarning},
		{finding.SeverityInfo, analysis.Diagnostic{}, finding.SeverityInfo},
		{finding.SeverityError, ev, finding.SeverityError},
		{finding.SeverityInfo, analysis.Diagnostic{Category: AtMostInfo}, finding.SeverityInfo},
	} {
		if got := DefaultSeverity(c.def, c.d); got != c.want {
			t.Errorf("DefaultSeverity(%s, %q) = %s, want %s", c.def, c.d.Category, got, c.want)
		}
	}
}
