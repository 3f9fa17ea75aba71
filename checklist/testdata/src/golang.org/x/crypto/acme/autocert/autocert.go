// Package autocert is a stub of golang.org/x/crypto/acme/autocert for the
// checks' tests: the names a server fetching its own certificates uses.
package autocert

import (
	"crypto/tls"
	"net"
	"net/http"
)

// HostPolicy decides which hosts get certificates.
type HostPolicy func(host string) error

// HostWhitelist allows the hosts given.
func HostWhitelist(hosts ...string) HostPolicy { return nil }

// DirCache keeps certificates in a directory.
type DirCache string

// AcceptTOS accepts the CA's terms.
func AcceptTOS(tosURL string) bool { return true }

// Manager fetches and renews certificates.
type Manager struct {
	Prompt     func(string) bool
	HostPolicy HostPolicy
	Cache      DirCache
	Email      string
}

// HTTPHandler answers ACME's HTTP challenges and redirects the rest.
func (m *Manager) HTTPHandler(fallback http.Handler) http.Handler { return fallback }

// Listener listens on :443 with the manager's certificates.
func (m *Manager) Listener() net.Listener { return nil }

// TLSConfig returns a TLS configuration that fetches certificates.
func (m *Manager) TLSConfig() *tls.Config { return nil }
