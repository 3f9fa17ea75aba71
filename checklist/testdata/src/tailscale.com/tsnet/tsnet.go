// Package tsnet stands in for Tailscale's embedded node.
package tsnet

import "net"

// Server is a node of a tailnet.
type Server struct{ Hostname string }

// Listen listens on the tailnet.
func (s *Server) Listen(network, addr string) (net.Listener, error) { return nil, nil }

// ListenTLS listens on the tailnet with its certificate.
func (s *Server) ListenTLS(network, addr string) (net.Listener, error) { return nil, nil }

// ListenFunnel listens on the public internet through Funnel.
func (s *Server) ListenFunnel(network, addr string) (net.Listener, error) { return nil, nil }
