// Package v1 stands for an application's generated typed clientset.
package v1

import (
	"context"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Build is the application's own resource.
type Build struct {
	metav1.ObjectMeta
	Commit string
}

// BuildInterface creates builds.
type BuildInterface interface {
	Create(ctx context.Context, b *Build, opts metav1.CreateOptions) (*Build, error)
}
