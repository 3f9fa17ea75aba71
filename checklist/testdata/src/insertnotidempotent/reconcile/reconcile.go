// Package reconcile records cluster events in a database.
package reconcile

import (
	"context"
	"database/sql"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
)

// EventCollector stores every event it reconciles.
type EventCollector struct {
	db *sql.DB
}

// Reconcile stores the event through a store method.
func (r *EventCollector) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	return reconcile.Result{}, r.save(ctx, req.Name)
}

func (r *EventCollector) save(ctx context.Context, name string) error {
	_, err := r.db.ExecContext(ctx, "INSERT INTO events (name) VALUES ($1)", name) // want `INSERT without ON CONFLICT \(or another guard\) into events, reached from the reconciler .*reconciling the object again`
	return err
}

// StatusCollector keys its rows on the object, so a second reconcile
// finds the row there.
type StatusCollector struct {
	db *sql.DB
}

// Reconcile upserts the object's status.
func (r *StatusCollector) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	_, err := r.db.ExecContext(ctx, "INSERT INTO statuses (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", req.Name)
	return reconcile.Result{}, err
}

// Job is a batch job.
type Job struct {
	metav1.ObjectMeta
}

// JobReconciler creates a job under a generated name; reconcilers usually
// list what they own first, which the check does not judge.
type JobReconciler struct {
	c client.Client
}

// Reconcile creates the job.
func (r *JobReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	job := &Job{ObjectMeta: metav1.ObjectMeta{GenerateName: req.Name + "-"}}
	return reconcile.Result{}, r.c.Create(ctx, job)
}

// watchEvents stores each event an informer adds: the informer adds every
// existing event again each time it starts.
func watchEvents(inf cache.SharedInformer, db *sql.DB) {
	inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			_, _ = db.Exec("INSERT INTO seen (obj) VALUES ($1)", obj) // want `INSERT without ON CONFLICT \(or another guard\) into seen, inside an event handler`
		},
		DeleteFunc: func(obj any) {
			_, _ = db.Exec("INSERT INTO deleted (obj) VALUES ($1)", obj)
		},
	})
}
