package contextbackground

import (
	"context"
	"net/http"
)

// registry is a peer this package always calls with a fresh context.
type registry struct{ hc *http.Client }

func (r *registry) Lookup(ctx context.Context, name string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://registry/"+name, nil)
	if err != nil {
		return "", err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return "", err
	}
	return resp.Status, resp.Body.Close()
}

func (r *registry) Touch(ctx context.Context, name string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://registry/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

type resolver struct{ reg *registry }

// at most info: no call of the package to the registry hands on a caller's
// context, so the fresh one is the package's way with that peer.
func (x *resolver) resolve(ctx context.Context, name string) (string, error) {
	return x.reg.Lookup(context.Background(), name) // want `context.Background\(\) drops ctx.*info: no call of the package to registry hands on a caller's context`
}

// at most info: the same peer, the same choice.
func (x *resolver) touch(ctx context.Context, name string) error {
	return x.reg.Touch(context.TODO(), name) // want `context.TODO\(\) drops ctx.*info: no call of the package to registry`
}
