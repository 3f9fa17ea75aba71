// Package kube starts work on a cluster from queue messages.
package kube

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"
	"github.com/nats-io/nats.go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	buildv1 "kubeapp/clientset/versioned/typed/build/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Job is a batch job.
type Job struct {
	metav1.ObjectMeta
	Image string
}

type worker struct {
	c      client.Client
	builds buildv1.BuildInterface
	db     *sql.DB
}

// An asynq handler whose helper creates a job under generateName.
func (w *worker) handleDeploy(ctx context.Context, t *asynq.Task) error {
	return w.startJob(ctx, string(t.Payload()))
}

func (w *worker) startJob(ctx context.Context, image string) error {
	job := &Job{ObjectMeta: metav1.ObjectMeta{GenerateName: "deploy-", Namespace: "ci"}, Image: image}
	return w.c.Create(ctx, job) // want `Kubernetes object under generateName, reached from the queue handler.*a redelivery creates a second object`
}

// A NATS callback creating a build named by a fresh UUID through the
// application's typed clientset.
func (w *worker) subscribe(nc *nats.Conn) error {
	_, err := nc.Subscribe("commits", func(m *nats.Msg) {
		b := &buildv1.Build{Commit: string(m.Data)}
		b.Name = "build-" + uuid.NewString()
		_, _ = w.builds.Create(context.Background(), b, metav1.CreateOptions{}) // want `Kubernetes object under a random name`
	})
	return err
}

// The name set through the object's setter.
func (w *worker) handleCleanup(ctx context.Context, t *asynq.Task) error {
	var job Job
	job.SetGenerateName("cleanup-")
	job.Image = string(t.Payload())
	return w.c.Create(ctx, &job) // want `Kubernetes object under generateName`
}

// Silent: the name comes from the message, so a redelivery's Create fails
// with AlreadyExists.
func (w *worker) handleRelease(ctx context.Context, t *asynq.Task) error {
	var msg struct{ ID, Image string }
	if err := json.Unmarshal(t.Payload(), &msg); err != nil {
		return err
	}
	job := &Job{ObjectMeta: metav1.ObjectMeta{Name: "release-" + msg.ID}, Image: msg.Image}
	return w.c.Create(ctx, job)
}

// Silent: a request handler is not redelivered; a client that retries a
// POST is another matter.
func (w *worker) serveRun(rw http.ResponseWriter, r *http.Request) {
	job := &Job{ObjectMeta: metav1.ObjectMeta{GenerateName: "run-"}}
	if err := w.c.Create(r.Context(), job); err != nil {
		http.Error(rw, "create failed", http.StatusInternalServerError)
	}
}

// Silent: the message is marked processed first, in the same store.
func (w *worker) handleRollout(ctx context.Context, t *asynq.Task) error {
	res, err := w.db.ExecContext(ctx, "INSERT INTO processed_messages (id) VALUES ($1) ON CONFLICT DO NOTHING", string(t.Payload()))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	job := &Job{ObjectMeta: metav1.ObjectMeta{GenerateName: "rollout-"}}
	return w.c.Create(ctx, job)
}
