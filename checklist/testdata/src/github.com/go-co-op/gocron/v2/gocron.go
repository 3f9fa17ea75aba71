// Package gocron is a minimal stand-in for github.com/go-co-op/gocron/v2.
package gocron

import "time"

// JobDefinition says when a job runs.
type JobDefinition interface{ def() }

type durationJob struct{ d time.Duration }

func (durationJob) def() {}

// DurationJob runs every d.
func DurationJob(d time.Duration) JobDefinition { return durationJob{d} }

type cronJob struct{}

func (cronJob) def() {}

// CronJob runs on a crontab.
func CronJob(crontab string, withSeconds bool) JobDefinition { return cronJob{} }

// Task is what a job runs.
type Task struct{}

// NewTask wraps f.
func NewTask(f any, params ...any) Task { return Task{} }

// JobOption configures a job.
type JobOption func()

// LimitMode says what to do with a run while the last still runs.
type LimitMode int

// LimitModeReschedule skips the run.
const LimitModeReschedule LimitMode = 1

// WithSingletonMode keeps a job's runs from overlapping.
func WithSingletonMode(m LimitMode) JobOption { return func() {} }

// Job is a registered job.
type Job interface{ ID() string }

// Scheduler runs jobs.
type Scheduler interface {
	NewJob(d JobDefinition, t Task, opts ...JobOption) (Job, error)
	Start()
}

// NewScheduler makes a scheduler.
func NewScheduler() (Scheduler, error) { return nil, nil }
