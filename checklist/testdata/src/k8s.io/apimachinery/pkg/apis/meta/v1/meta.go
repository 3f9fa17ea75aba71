// Package v1 is a minimal stand-in for k8s.io/apimachinery/pkg/apis/meta/v1.
package v1

// ObjectMeta is the metadata every object carries.
type ObjectMeta struct {
	Name         string
	GenerateName string
	Namespace    string
	Labels       map[string]string
}

// GetName returns the name.
func (m *ObjectMeta) GetName() string { return m.Name }

// SetName sets the name.
func (m *ObjectMeta) SetName(n string) { m.Name = n }

// SetGenerateName sets the name prefix the server completes.
func (m *ObjectMeta) SetGenerateName(n string) { m.GenerateName = n }

// CreateOptions are the options of a typed Create.
type CreateOptions struct{}
