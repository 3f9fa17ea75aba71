// Package gocron is a minimal stand-in for github.com/go-co-op/gocron (v1).
package gocron

import "time"

// Scheduler builds and runs jobs.
type Scheduler struct{}

// Job is a registered job.
type Job struct{}

// NewScheduler makes a scheduler.
func NewScheduler(loc *time.Location) *Scheduler { return &Scheduler{} }

// Every sets the interval: an int with a unit, a time.Duration or a string.
func (s *Scheduler) Every(interval any) *Scheduler { return s }

// Minutes sets the unit.
func (s *Scheduler) Minutes() *Scheduler { return s }

// Seconds sets the unit.
func (s *Scheduler) Seconds() *Scheduler { return s }

// Hours sets the unit.
func (s *Scheduler) Hours() *Scheduler { return s }

// Cron sets a cron spec.
func (s *Scheduler) Cron(spec string) *Scheduler { return s }

// SingletonMode keeps a job's runs from overlapping.
func (s *Scheduler) SingletonMode() *Scheduler { return s }

// SingletonModeAll keeps every job's runs from overlapping.
func (s *Scheduler) SingletonModeAll() {}

// Do registers f.
func (s *Scheduler) Do(f any, params ...any) (*Job, error) { return &Job{}, nil }

// StartAsync starts the scheduler.
func (s *Scheduler) StartAsync() {}
