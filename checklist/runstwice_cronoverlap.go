package checklist

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"strconv"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"

	"github.com/prodready/prodready/checklist/internal/code"
	"github.com/prodready/prodready/checklist/program"
	"github.com/prodready/prodready/finding"
)

func cronOverlapCheck() *Check {
	return &Check{
		Question: finding.RunsTwice,
		Severity: finding.SeverityWarning,
		Title:    "A cron job that can start again while its last run is still going",
		Rationale: "robfig/cron starts a job at every tick of its schedule whether or not the last run has " +
			"finished. A job that runs every minute and takes longer than that one day (a slow database, a " +
			"provider timing out) runs twice at once: both runs pick up the same pending rows and send the " +
			"same e-mail, publish the same message or insert the same row. The check reports a job " +
			"registered with AddFunc or AddJob on a schedule of ten minutes or less (@every, or a cron " +
			"spec firing every few minutes or seconds) whose run, itself or through the functions it " +
			"calls, inserts rows, changes a tally, sends e-mail, moves money, publishes, posts to " +
			"another service or creates Kubernetes objects. A schedule it cannot read (not a constant) " +
			"is reported at info. Left alone: a package that wraps its jobs with SkipIfStillRunning or " +
			"DelayIfStillRunning, a job that takes a lock (a mutex, a Redis SET NX) or a dedupe marker, " +
			"schedules of more than ten minutes, jobs with no such effect, and test support. Other " +
			"schedulers (gocron's singleton mode) are not judged yet.",
		Fix: "Build the scheduler so that a run waits for or skips the one still going: cron.New(cron.WithChain(cron.SkipIfStillRunning(logger))), or take a lock for the run (a mutex's TryLock, a Redis SET NX with a TTL when several replicas schedule).",
		Bad: `c := cron.New()
c.AddFunc("@every 1m", s.sendDueReminders) // a slow run overlaps the next: reminders go twice`,
		Good: `c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DefaultLogger)))
c.AddFunc("@every 1m", s.sendDueReminders)`,
		Analyzer: cronOverlapAnalyzer,
	}
}

var cronOverlapAnalyzer = &analysis.Analyzer{
	Name:             "cron_job_overlaps",
	Doc:              "reports a frequent robfig/cron job with writes or sends and nothing keeping two runs apart",
	Requires:         []*analysis.Analyzer{program.Analyzer, program.WhereAnalyzer, code.CallsAnalyzer},
	RunDespiteErrors: true,
	Run:              runCronOverlap,
}

// cronShort is the longest interval the check calls frequent: a run that
// takes longer than this is an ordinary bad day for a job that calls the
// network.
const cronShort = 10 * time.Minute

func runCronOverlap(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	if info == nil || cronGuarded(info) {
		return nil, nil
	}
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	for file, c := range pass.ResultOf[code.CallsAnalyzer].(*code.Calls).All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil || len(call.Args) != 2 {
			continue
		}
		fn := code.Callee(info, call)
		if fn == nil || fn.Pkg() == nil || !strings.HasPrefix(fn.Pkg().Path(), "github.com/robfig/cron") || (fn.Name() != "AddFunc" && fn.Name() != "AddJob") {
			continue
		}
		if where != nil && where.Of(c) == program.TestSupport {
			continue
		}
		sum := cronJobSummary(info, model, call.Args[1])
		if sum == nil || sum.Deduped || guardedRun(sum) {
			continue
		}
		eff := overlapHarm(sum)
		if eff == nil {
			continue
		}
		every, known := cronInterval(info, call.Args[0])
		cat := ""
		switch {
		case !known:
			cat = AtMostInfo
		case every > cronShort:
			continue
		}
		when := "at every tick of its schedule"
		if known {
			when = "every " + every.String()
		}
		reportIn(pass, call, cat, fmt.Sprintf("robfig/cron starts this job %s even while its last run is still going, and the job %s%s: a run slower than the interval overlaps the next and both do it. Wrap the scheduler's jobs with cron.SkipIfStillRunning (cron.New(cron.WithChain(cron.SkipIfStillRunning(logger)))) or hold a lock for the run",
			when, harmText(eff), via(eff.Via)))
	}
	return nil, nil
}

// cronGuarded reports whether the package keeps runs apart for its jobs
// with robfig/cron's own wrappers, wherever it installs them.
func cronGuarded(info *types.Info) bool {
	for id, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Pkg() != nil && strings.HasPrefix(fn.Pkg().Path(), "github.com/robfig/cron") &&
			(id.Name == "SkipIfStillRunning" || id.Name == "DelayIfStillRunning") {
			return true
		}
	}
	return false
}

// cronJobSummary returns the summary of what a registered job runs: a
// function literal's (an entry of the model), a function or method value's,
// or the Run method of a Job value.
func cronJobSummary(info *types.Info, model *program.Model, job ast.Expr) *program.Summary {
	switch x := ast.Unparen(job).(type) {
	case *ast.FuncLit:
		for _, e := range model.Entries {
			if e.Pos == x.Pos() {
				return e.Summary
			}
		}
		return nil
	case *ast.Ident, *ast.SelectorExpr:
		var id *ast.Ident
		if sel, ok := x.(*ast.SelectorExpr); ok {
			id = sel.Sel
		} else {
			id = x.(*ast.Ident)
		}
		if fn, ok := info.Uses[id].(*types.Func); ok {
			return model.SummaryOf(fn)
		}
	}
	t := info.TypeOf(job)
	if t == nil {
		return nil
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Run")
	if fn, ok := obj.(*types.Func); ok {
		return model.SummaryOf(fn)
	}
	return nil
}

// guardedRun reports whether a job's run takes a lock that keeps two runs
// apart: a mutex, or a key claimed with SET NX.
func guardedRun(sum *program.Summary) bool {
	for _, e := range sum.Effects {
		if e.Kind == program.Lock || e.Kind == program.KVClaim {
			return true
		}
	}
	return false
}

// overlapHarm returns the first effect of a job that two runs at once would
// do twice, or nil.
func overlapHarm(sum *program.Summary) *program.Effect {
	for i := range sum.Effects {
		e := &sum.Effects[i]
		switch e.Kind {
		case program.Insert, program.RelUpdate, program.ObjectCreate:
			return e
		}
		if isRemoteWrite(e) {
			return e
		}
	}
	return nil
}

// harmText says what an effect does, for the message.
func harmText(e *program.Effect) string {
	switch e.Kind {
	case program.Insert:
		if mongo, ok := strings.CutPrefix(e.Detail, "mongo "); ok {
			return "inserts documents (" + mongo + ")"
		}
		return "inserts rows" + insertName(e.Detail)
	case program.RelUpdate:
		if mongo, ok := strings.CutPrefix(e.Detail, "mongo "); ok {
			return "adds to stored values (" + mongo + ")"
		}
		return "changes " + e.Detail + " relative to itself"
	case program.ObjectCreate:
		return "creates a " + e.Detail
	case program.Email:
		return "sends e-mail or SMS"
	case program.Payment:
		return "moves money"
	case program.Publish:
		return "publishes messages"
	}
	return "sends " + e.Detail + " requests to another service"
}

// cronInterval reads how often a constant robfig/cron spec fires: @every
// d, the @hourly family, or five or six fields (seconds first) of which the
// finest that is not a single value decides. It is an upper bound on the
// gap for "*" and "*/n", and the smallest gap of a list.
func cronInterval(info *types.Info, spec ast.Expr) (time.Duration, bool) {
	tv, ok := info.Types[spec]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return 0, false
	}
	s := strings.TrimSpace(constant.StringVal(tv.Value))
	if f := strings.Fields(s); len(f) > 0 && (strings.HasPrefix(f[0], "TZ=") || strings.HasPrefix(f[0], "CRON_TZ=")) {
		s = strings.Join(f[1:], " ")
	}
	if d, ok := strings.CutPrefix(s, "@every "); ok {
		every, err := time.ParseDuration(strings.TrimSpace(d))
		return every, err == nil
	}
	switch s {
	case "@hourly":
		return time.Hour, true
	case "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually":
		return 24 * time.Hour, true
	}
	fields := strings.Fields(s)
	units := []time.Duration{time.Minute, time.Hour}
	if len(fields) == 6 {
		units = []time.Duration{time.Second, time.Minute, time.Hour}
	} else if len(fields) != 5 {
		return 0, false
	}
	for i, unit := range units {
		if gap, ok := fieldGap(fields[i]); ok {
			return time.Duration(gap) * unit, true
		}
	}
	return 24 * time.Hour, true // fixed minute and hour: daily or rarer
}

// fieldGap reads the step of one cron field: "*" is 1, "*/n" and "a-b/n"
// are n, a list is its smallest gap; a single value has none.
func fieldGap(f string) (int, bool) {
	if f == "*" || f == "?" {
		return 1, true
	}
	if _, step, ok := strings.Cut(f, "/"); ok {
		n, err := strconv.Atoi(step)
		return n, err == nil && n > 0
	}
	parts := strings.Split(f, ",")
	if len(parts) < 2 {
		if lo, hi, ok := strings.Cut(f, "-"); ok && lo != hi {
			return 1, true
		}
		return 0, false
	}
	gap := 0
	prev := -1
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return 0, false
		}
		if prev >= 0 && (gap == 0 || n-prev < gap) && n > prev {
			gap = n - prev
		}
		prev = n
	}
	return gap, gap > 0
}
