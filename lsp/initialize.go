package lsp

import (
	"context"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// initialize answers the client's capabilities with the server's, and
// negotiates the position encoding.
func (s *Server) initialize(ctx context.Context, _ string, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stateNew {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "initialize was already received")
	}
	caps := p.Capabilities
	if caps.General != nil {
		s.enc = negotiateEncoding(caps.General.PositionEncodings)
	}
	s.client.name = p.ClientInfo.Name
	if w := caps.Workspace; w != nil && w.Configuration != nil {
		s.client.configuration = *w.Configuration
	}
	if w := caps.Window; w != nil && w.WorkDoneProgress != nil {
		s.client.progress = *w.WorkDoneProgress
	}
	s.state = stateInitialized

	yes := true
	change := protocol.TextDocumentSyncKindIncremental
	var version protocol.Optional[string]
	if s.opts.Version != "" {
		version = protocol.NewOptional(s.opts.Version)
	}
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			PositionEncoding: protocol.PositionEncodingKind(s.enc.String()),
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &yes,
				Change:    &change,
				Save:      protocol.Boolean(true),
			},
		},
		ServerInfo: protocol.ServerInfo{Name: "leakls", Version: version},
	}, nil
}

// initialized starts the session's background work.
func (s *Server) initialized(ctx context.Context, _ string, _ *protocol.InitializedParams) error {
	return nil
}
