// Package reconcile is a minimal stand-in for controller-runtime's reconcile.
package reconcile

// Request names the object to reconcile.
type Request struct{ Namespace, Name string }

// Result says whether to requeue.
type Result struct{ Requeue bool }
