package lsp

import (
	"context"

	"go.lsp.dev/protocol"
)

// shutdown stops the server's background work; only exit may follow.
func (s *Server) shutdown(ctx context.Context, _ string, _ *struct{}) (any, error) {
	s.mu.Lock()
	s.state = stateShutdown
	s.mu.Unlock()
	s.cancel()
	return nil, nil
}

// exit ends the session; Serve returns once the connection has drained.
func (s *Server) exit(ctx context.Context, _ string, _ *struct{}) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.exitSeen {
		s.exitSeen = true
		close(s.exited)
	}
	return nil
}

// setTrace accepts the client's trace level; the server logs the same
// lines whatever the level.
func (s *Server) setTrace(context.Context, string, *protocol.SetTraceParams) error { return nil }
