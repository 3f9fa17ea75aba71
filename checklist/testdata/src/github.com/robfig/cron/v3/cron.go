// Package cron is a minimal stand-in for github.com/robfig/cron/v3.
package cron

// Job runs on a schedule.
type Job interface{ Run() }

// FuncJob is a func as a Job.
type FuncJob func()

// Run calls f.
func (f FuncJob) Run() { f() }

// EntryID names a registration.
type EntryID int

// Logger logs.
type Logger interface{}

// DefaultLogger logs to stderr.
var DefaultLogger Logger

// JobWrapper decorates a job.
type JobWrapper func(Job) Job

// Chain is a list of wrappers.
type Chain struct{ w []JobWrapper }

// NewChain makes a chain.
func NewChain(w ...JobWrapper) Chain { return Chain{w} }

// Then wraps j.
func (c Chain) Then(j Job) Job { return j }

// SkipIfStillRunning skips a run while the last one runs.
func SkipIfStillRunning(l Logger) JobWrapper { return func(j Job) Job { return j } }

// DelayIfStillRunning delays a run until the last one ends.
func DelayIfStillRunning(l Logger) JobWrapper { return func(j Job) Job { return j } }

// Option configures a Cron.
type Option func(*Cron)

// WithChain wraps every job.
func WithChain(w ...JobWrapper) Option { return func(*Cron) {} }

// WithSeconds takes specs with a seconds field.
func WithSeconds() Option { return func(*Cron) {} }

// Cron runs jobs.
type Cron struct{}

// New makes a Cron.
func New(opts ...Option) *Cron { return &Cron{} }

// AddFunc registers f.
func (c *Cron) AddFunc(spec string, f func()) (EntryID, error) { return 0, nil }

// AddJob registers j.
func (c *Cron) AddJob(spec string, j Job) (EntryID, error) { return 0, nil }

// Start starts the scheduler.
func (c *Cron) Start() {}
