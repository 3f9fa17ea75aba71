package firstuserrace

import (
	"context"
	"net/http"
	"sync"
)

// Service signs users up.
type Service struct {
	store          *Store
	mu             sync.Mutex
	setupCompleted bool
}

// SignUp makes the first account an administrator: two first sign-ups at
// once both count no user and both become admin.
func (s *Service) SignUp(ctx context.Context, name string) error {
	n, err := s.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	role := RoleUser
	if n == 0 {
		role = RoleAdmin
	}
	return s.store.CreateUser(ctx, User{Name: name, Role: role}) // want "`CreateUser` creates, with the role `RoleAdmin` chosen there, after the check at line \\d+ found no `CountUsers` result yet"
}

// Setup is open until an administrator exists.
func (s *Service) Setup(w http.ResponseWriter, r *http.Request) {
	admins, err := s.store.ListAdmins(r.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if len(admins) > 0 {
		http.Error(w, "already set up", http.StatusConflict)
		return
	}
	if err := s.store.CreateUser(r.Context(), User{Name: r.FormValue("name"), Role: RoleAdmin}); err != nil { // want "`CreateUser` creates after the check at line \\d+ found no `ListAdmins` result yet"
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// Register keeps the set-up state in memory: per process, and racy.
func (s *Service) Register(ctx context.Context, name string) error {
	if !s.setupCompleted {
		if err := s.createFirstUser(ctx, name); err != nil { // want "`createFirstUser` creates after the check at line \\d+ found `setupCompleted` not done yet"
			return err
		}
		s.setupCompleted = true
	}
	return nil
}

func (s *Service) createFirstUser(ctx context.Context, name string) error {
	return s.store.CreateUser(ctx, User{Name: name, Role: RoleAdmin})
}

// Install runs once: the stored marker decides.
func (s *Service) Install(ctx context.Context, name string) error {
	done, err := s.store.IsSetupDone(ctx)
	if err != nil {
		return err
	}
	if done {
		return ErrSetupDone
	}
	return s.store.CreateUser(ctx, User{Name: name, Role: RoleAdmin}) // want "`CreateUser` creates after the check at line \\d+ found `IsSetupDone` not done yet"
}
