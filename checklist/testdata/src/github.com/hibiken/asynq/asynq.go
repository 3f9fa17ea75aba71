// Package asynq is a minimal stand-in for github.com/hibiken/asynq.
package asynq

// Task is a unit of work.
type Task struct{ payload []byte }

// Payload returns the task's data.
func (t *Task) Payload() []byte { return t.payload }
