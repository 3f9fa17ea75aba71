package checklist

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
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
			"finished, and so does go-co-op/gocron unless the job is in singleton mode. A job that runs every minute and takes longer than that one day (a slow database, a " +
			"provider timing out) runs twice at once: both runs pick up the same pending rows and send the " +
			"same e-mail, publish the same message or insert the same row. The check reports a job " +
			"registered with robfig/cron's AddFunc or AddJob, gocron v1's Every(...).Do or gocron v2's NewJob on " +
			"a schedule of ten minutes or less (@every, Every(5).Minutes(), DurationJob, or a cron spec firing " +
			"every few minutes or seconds) whose run, itself or through the functions it " +
			"calls, inserts rows, changes a tally, sends e-mail, moves money, publishes, posts to " +
			"another service or creates Kubernetes objects. A schedule it cannot read (not a constant) " +
			"is reported at info. Left alone: a package that wraps its jobs with SkipIfStillRunning or " +
			"DelayIfStillRunning, a gocron job in singleton mode (SingletonMode, WithSingletonMode) or a package " +
			"that sets it for every job (SingletonModeAll, WithLimitConcurrentJobs, WithGlobalJobOptions), a " +
			"job that takes a lock (a mutex, a Redis SET NX) or a dedupe marker, schedules of more than ten " +
			"minutes, jobs with no such effect, and test support.",
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

// cronReg is a job registered on a scheduler: what it runs, how often,
// and how the scheduler is told to keep two runs apart.
type cronReg struct {
	job   ast.Expr
	every time.Duration
	known bool   // every was read from constants
	lib   string // the scheduler, as the message names it
	fix   string // how to keep runs apart with it
}

func runCronOverlap(pass *analysis.Pass) (any, error) {
	info := pass.TypesInfo
	if info == nil {
		return nil, nil
	}
	robfigSkips, gocronLimits := cronGuarded(info)
	model := pass.ResultOf[program.Analyzer].(*program.Model)
	where := whereOf(pass)
	for file, c := range pass.ResultOf[code.CallsAnalyzer].(*code.Calls).All() {
		call := c.Node().(*ast.CallExpr)
		if file == nil {
			continue
		}
		fn := code.Callee(info, call)
		if fn == nil || fn.Pkg() == nil {
			continue
		}
		var reg *cronReg
		switch path := fn.Pkg().Path(); {
		case strings.HasPrefix(path, "github.com/robfig/cron") && !robfigSkips:
			reg = robfigReg(info, call, fn)
		case strings.HasPrefix(path, "github.com/go-co-op/gocron") && !gocronLimits:
			reg = gocronReg(info, call, fn)
		}
		if reg == nil || (where != nil && where.Of(c) == program.TestSupport) {
			continue
		}
		sum := cronJobSummary(info, model, reg.job)
		if sum == nil || sum.Deduped || guardedRun(sum) {
			continue
		}
		eff := overlapHarm(sum)
		if eff == nil {
			continue
		}
		cat := ""
		switch {
		case !reg.known:
			cat = AtMostInfo
		case reg.every > cronShort:
			continue
		}
		when := "at every tick of its schedule"
		if reg.known {
			when = "every " + reg.every.String()
		}
		reportIn(pass, call, cat, fmt.Sprintf("%s starts this job %s even while its last run is still going, and the job %s%s: a run slower than the interval overlaps the next and both do it. %s, or hold a lock for the run",
			reg.lib, when, harmText(eff), via(eff.Via), reg.fix))
	}
	return nil, nil
}

// robfigReg reads a robfig/cron registration: AddFunc(spec, f) or
// AddJob(spec, job).
func robfigReg(info *types.Info, call *ast.CallExpr, fn *types.Func) *cronReg {
	if (fn.Name() != "AddFunc" && fn.Name() != "AddJob") || len(call.Args) != 2 {
		return nil
	}
	every, known := cronInterval(info, call.Args[0])
	return &cronReg{job: call.Args[1], every: every, known: known, lib: "robfig/cron",
		fix: "Wrap the scheduler's jobs with cron.SkipIfStillRunning (cron.New(cron.WithChain(cron.SkipIfStillRunning(logger))))"}
}

// gocronReg reads a go-co-op/gocron registration: v1's chain
// s.Every(5).Minutes().Do(f) (or .Cron(spec).Do(f)), unless the chain asks
// for SingletonMode; v2's s.NewJob(gocron.DurationJob(d), gocron.NewTask(f)),
// unless its options hold WithSingletonMode.
func gocronReg(info *types.Info, call *ast.CallExpr, fn *types.Func) *cronReg {
	switch fn.Name() {
	case "Do":
		if len(call.Args) == 0 {
			return nil
		}
		every, known, single := gocronChain(info, call)
		if single {
			return nil
		}
		return &cronReg{job: call.Args[0], every: every, known: known, lib: "gocron",
			fix: "Put the job in singleton mode (s.Every(...).SingletonMode().Do(f), or s.SingletonModeAll())"}
	case "NewJob":
		if len(call.Args) < 2 {
			return nil
		}
		for _, o := range call.Args[2:] {
			if code.CallName(unrefCall(o)) == "WithSingletonMode" {
				return nil
			}
		}
		task := unrefCall(call.Args[1])
		if task == nil || code.CallName(task) != "NewTask" || len(task.Args) == 0 {
			return nil
		}
		reg := &cronReg{job: task.Args[0], lib: "gocron",
			fix: "Add gocron.WithSingletonMode(gocron.LimitModeReschedule) to the job's options"}
		if def := unrefCall(call.Args[0]); def != nil && len(def.Args) > 0 {
			switch code.CallName(def) {
			case "DurationJob":
				if tv, ok := info.Types[def.Args[0]]; ok && tv.Value != nil {
					if n, ok := constant.Int64Val(constant.ToInt(tv.Value)); ok {
						reg.every, reg.known = time.Duration(n), true
					}
				}
			case "CronJob":
				reg.every, reg.known = cronInterval(info, def.Args[0])
			}
		}
		return reg
	}
	return nil
}

// unrefCall returns e as a call, parentheses aside, or nil.
func unrefCall(e ast.Expr) *ast.CallExpr {
	c, _ := ast.Unparen(e).(*ast.CallExpr)
	return c
}

// gocronChain reads the chain a gocron v1 Do hangs off: the interval of
// Every(n) and its unit (Seconds, Minutes, Hours, Day...) or of
// Cron(spec), and whether SingletonMode is in it.
func gocronChain(info *types.Info, do *ast.CallExpr) (every time.Duration, known, single bool) {
	var n int64 = 1
	unit := time.Duration(0)
	var cron time.Duration
	cronKnown := false
	for x := ast.Expr(do.Fun); ; {
		sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
		if !ok {
			break
		}
		inner, ok := ast.Unparen(sel.X).(*ast.CallExpr)
		if !ok {
			break
		}
		name := code.CallName(inner)
		switch {
		case name == "SingletonMode":
			single = true
		case name == "Every" && len(inner.Args) == 1:
			if tv, ok := info.Types[inner.Args[0]]; ok && tv.Value != nil {
				switch tv.Value.Kind() {
				case constant.Int:
					v, _ := constant.Int64Val(tv.Value)
					if types.Identical(tv.Type, types.Typ[types.UntypedInt]) || types.Identical(tv.Type.Underlying(), types.Typ[types.Int]) {
						n = v
					} else { // a time.Duration
						every, known = time.Duration(v), true
					}
				case constant.String:
					d, err := time.ParseDuration(constant.StringVal(tv.Value))
					every, known = d, err == nil
				}
			}
		case (name == "Cron" || name == "CronWithSeconds") && len(inner.Args) == 1:
			cron, cronKnown = cronInterval(info, inner.Args[0])
		case strings.HasPrefix(name, "Second"):
			unit = time.Second
		case strings.HasPrefix(name, "Minute"):
			unit = time.Minute
		case strings.HasPrefix(name, "Hour"):
			unit = time.Hour
		case strings.HasPrefix(name, "Day"), strings.HasPrefix(name, "Week"), strings.HasPrefix(name, "Month"), strings.HasSuffix(name, "day"):
			unit = 24 * time.Hour
		}
		x = inner.Fun
	}
	switch {
	case known:
	case cronKnown:
		every, known = cron, true
	case unit != 0:
		every, known = time.Duration(n)*unit, true
	}
	return every, known, single
}

// cronGuarded reports whether the package keeps runs apart for all its
// jobs: with robfig/cron's wrappers (SkipIfStillRunning,
// DelayIfStillRunning), and with gocron's scheduler-wide settings
// (SingletonModeAll, WithLimitConcurrentJobs, or WithSingletonMode among
// WithGlobalJobOptions), wherever it installs them.
func cronGuarded(info *types.Info) (robfig, gocron bool) {
	for id, obj := range info.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil {
			continue
		}
		switch path := fn.Pkg().Path(); {
		case strings.HasPrefix(path, "github.com/robfig/cron"):
			robfig = robfig || id.Name == "SkipIfStillRunning" || id.Name == "DelayIfStillRunning"
		case strings.HasPrefix(path, "github.com/go-co-op/gocron"):
			gocron = gocron || id.Name == "SingletonModeAll" || id.Name == "WithLimitConcurrentJobs" || id.Name == "WithGlobalJobOptions"
		}
	}
	return robfig, gocron
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

// cronInterval reads how often a constant cron spec fires, parsed by
// robfig/cron's own parser (five fields, or six with seconds first, TZ=
// prefixes and the @every and @hourly descriptors, as robfig/cron and
// gocron accept them): the smallest gap between consecutive activations, over
// cronProbes of them from a fixed Monday midnight (a list like "0,15,30" has
// uneven gaps; a rare schedule is judged on its first gaps, which is all
// the check needs to tell it from a frequent one).
func cronInterval(info *types.Info, spec ast.Expr) (time.Duration, bool) {
	tv, ok := info.Types[spec]
	if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
		return 0, false
	}
	parser := cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	sched, err := parser.Parse(strings.TrimSpace(constant.StringVal(tv.Value)))
	if err != nil {
		return 0, false
	}
	prev := sched.Next(time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC))
	gap := time.Duration(0)
	for range cronProbes {
		next := sched.Next(prev)
		if prev.IsZero() || !next.After(prev) {
			break // a schedule that never fires again
		}
		if d := next.Sub(prev); gap == 0 || d < gap {
			gap = d
		}
		prev = next
	}
	return gap, gap > 0
}

// cronProbes bounds the activations cronInterval walks.
const cronProbes = 64
