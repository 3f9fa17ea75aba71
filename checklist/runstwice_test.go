package checklist

import (
	"go/token"
	"maps"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func TestInsertNotIdempotent(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent")
}

func TestUpdateNotIdempotent(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), updateNotIdempotentAnalyzer, "updatenotidempotent")
}

func TestRetryNewIdempotencyKey(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), retryNewKeyAnalyzer, "retrynewidempotencykey")
}

func TestRetryPostWithoutKey(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), retryPostNoKeyAnalyzer, "retrypostwithoutkey", "github.com/hashicorp/go-retryablehttp"))
}

func TestInsertNotIdempotentRedelivery(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent/hooks"))
}

func TestRetryPostWithoutKeyLibraries(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), retryPostNoKeyAnalyzer, "retrylibs"))
}

// TestGormLockIgnored: GORM v1's lock option on a v2 DB is reported; the v2
// clause, the v1 package and other settings are not.
func TestGormLockIgnored(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), gormLockIgnoredAnalyzer, "gormlockignored")
}

// TestTOTPCodeReuse: a TOTP verification that grants with nothing recording
// the code is reported, on the library call also where a helper hands the
// verdict to a handler; a stored step, a cached code, a step written down
// the chain, dgoogauth's DisallowReuse, a success that grants nothing, and
// one-shot and test code are not.
func TestTOTPCodeReuse(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), totpCodeReuseAnalyzer, "totpcodereuse", "totpcodereuse/googauth", "totpcodereuse/cli"))
}

// TestTOTPCodeReuseAcrossPackages: a helper package wrapping the library is
// judged where a handler of another package grants on its verdict, and the
// finding lands on the library call.
func TestTOTPCodeReuseAcrossPackages(t *testing.T) {
	t.Parallel()
	runModule(t, "totp", []string{"./..."}, totpCodeReuseAnalyzer)
}

// TestFirstUserRace: a first user made admin by a count, a set-up route open
// until an admin exists, a set-up flag in memory and a stored set-up marker
// are reported at the create; a lock, a transaction, a count of something
// else, a count that decides no create and a sync.Once are not, and a CLI's
// first admin is info.
func TestFirstUserRace(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), firstUserRaceAnalyzer, "firstuserrace", "firstuserrace/cli"))
}

// TestLockCheckThenSet: a Redis lock or processed marker taken by a GET or
// EXISTS that found none and then a plain SET is reported at the SET
// (go-redis and redigo); a process mutex around both makes it info; SET NX,
// SetArgs with NX, a WATCH transaction, a cache filled on a miss and another
// key set are left alone.
func TestLockCheckThenSet(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), lockCheckThenSetAnalyzer, "lockcheckthenset"))
}

// TestReadModifyWrite: a nonce, balance or sequence read into a local,
// changed in memory and written back is reported at the change; a locked
// read, a transaction or mutex before the read, a view count, a version and
// a change never written are left alone.
func TestReadModifyWrite(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), readModifyWriteAnalyzer, "readmodifywrite"))
}

// TestGoroutineSharedWrite: goroutines started per item (go, errgroup's Go)
// that append to a slice, write a map or count into a variable of the
// enclosing function are reported at the write; a lock, a slot per
// goroutine, a channel, the literal's own variables and a single goroutine
// are left alone.
func TestGoroutineSharedWrite(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), goroutineSharedWriteAnalyzer, "goroutinesharedwrite"))
}

// TestPaymentNoKey: a payment intent, refund or client call built in the
// function without an idempotency key is reported; a key set in the literal,
// by assignment or SetIdempotencyKey, parameters from a caller or helper, a
// read, a customer and a one-shot command are left alone.
func TestPaymentNoKey(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), paymentNoKeyAnalyzer, "paymentnokey", "paymentnokey/cli")
}

// TestInsertNotIdempotentKubernetes: a Kubernetes create under a made-up name
// (generateName, a UUID) reached from a queue handler is reported; a name
// from the message, a request handler and a processed marker stay silent.
func TestInsertNotIdempotentKubernetes(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent/kube")
}

// TestCronJobOverlaps: frequent robfig/cron jobs with sends or inserts and
// nothing keeping runs apart are reported (at info when the schedule is
// not a constant); rare schedules, read-only jobs, a locked run and a
// scheduler built with SkipIfStillRunning are not.
func TestCronJobOverlaps(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), cronOverlapAnalyzer, "cronoverlap", "cronoverlap/skipping", "cronoverlap/gocronjobs"))
}

// TestWritesNotIdempotentMongo: MongoDB inserts and $inc updates reached
// from a queue handler are reported; a handled duplicate key, a replace and
// a $set are not.
func TestWritesNotIdempotentMongo(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent/mongo")
	runClean(t, analysistest.TestData(), updateNotIdempotentAnalyzer, "updatenotidempotent/mongo")
}

// TestInsertNotIdempotentReconciler: an INSERT a controller-runtime
// reconciler reaches is reported (every object is reconciled again after a
// restart); an upsert and a create under a generated name are not.
func TestInsertNotIdempotentReconciler(t *testing.T) {
	t.Parallel()
	checkCaps(t, runClean(t, analysistest.TestData(), insertNotIdempotentAnalyzer, "insertnotidempotent/reconcile"))
}

// TestMapWriteUnderRLock: a map of the mutex's owner written, deleted from
// or written by a lock-free helper while only the read lock is held is
// reported; the upgrade, a fresh map, another object's map under its own
// lock, writes through values, a second write mutex, a goroutine that
// locks for itself and a helper that locks are not.
func TestMapWriteUnderRLock(t *testing.T) {
	t.Parallel()
	runClean(t, analysistest.TestData(), mapWriteUnderRLockAnalyzer, "rlockmapwrite")
}

// TestTOTPCodeReuseStepUp: through the routes of the whole module, a TOTP
// check on the sign-in's open route keeps the check's severity, and the
// same check asked again of a user behind a login middleware (a step-up)
// is info.
func TestTOTPCodeReuseStepUp(t *testing.T) {
	t.Parallel()
	graph, _, _ := loadModule(t, "stepup", []string{"./..."}, totpCodeReuseAnalyzer, program.Analyzer)
	var models []*program.Model
	var diags []analysis.Diagnostic
	var fset *token.FileSet
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s: %v", act, act.Err)
		}
		switch act.Analyzer {
		case program.Analyzer:
			models = append(models, act.Result.(*program.Model))
		case totpCodeReuseAnalyzer:
			diags = append(diags, act.Diagnostics...)
			fset = act.Package.Fset
		}
	}
	access := program.NewAccess(models)
	got := map[string]finding.Severity{}
	for _, d := range diags {
		pos := fset.Position(d.Pos)
		src, err := os.ReadFile(pos.Filename)
		if err != nil {
			t.Fatal(err)
		}
		line := strings.Split(string(src), "\n")[pos.Line-1]
		_, who, _ := strings.Cut(line, "// ")
		got[who] = SeverityOf(finding.SeverityWarning, d, access)
	}
	want := map[string]finding.Severity{"Login's check": finding.SeverityWarning, "RotateSession's check": finding.SeverityInfo}
	if !maps.Equal(got, want) {
		t.Errorf("severities %v, want %v", got, want)
	}
}
