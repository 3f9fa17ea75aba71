// Package cache is a minimal stand-in for client-go's tools/cache.
package cache

// ResourceEventHandlerFuncs adapts functions to an event handler.
type ResourceEventHandlerFuncs struct {
	AddFunc    func(obj any)
	UpdateFunc func(oldObj, newObj any)
	DeleteFunc func(obj any)
}

// SharedInformer watches objects.
type SharedInformer interface {
	AddEventHandler(h ResourceEventHandlerFuncs)
}
