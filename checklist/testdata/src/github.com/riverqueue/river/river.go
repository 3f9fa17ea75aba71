// Package river is a minimal stand-in for github.com/riverqueue/river.
package river

// JobArgs is what a job carries.
type JobArgs interface{ Kind() string }

// Job is one job handed to a worker.
type Job[T JobArgs] struct {
	ID   int64
	Args T
}

// WorkerDefaults gives a worker its default methods.
type WorkerDefaults[T JobArgs] struct{}
