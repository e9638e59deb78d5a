package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

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
	if w := caps.Workspace; w != nil && w.WorkspaceEdit != nil && w.WorkspaceEdit.DocumentChanges != nil && *w.WorkspaceEdit.DocumentChanges {
		s.client.createFiles = slices.Contains(w.WorkspaceEdit.ResourceOperations, protocol.ResourceOperationKindCreate)
	}
	if w := caps.Workspace; w != nil && w.CodeLens != nil && w.CodeLens.RefreshSupport != nil {
		s.client.lensRefresh = *w.CodeLens.RefreshSupport
	}
	if w := caps.Window; w != nil && w.WorkDoneProgress != nil {
		s.client.progress = *w.WorkDoneProgress
	}
	s.root = workspaceRoot(p)
	es, err := parseEditorSettings(p.InitializationOptions)
	if err != nil {
		s.writeLog(fmt.Sprintf("initializationOptions: %v", err))
		es = &editorSettings{}
	}
	s.editor = es
	st, err := buildSettings(s.root, es)
	if err != nil {
		s.writeLog(fmt.Sprintf("configuration: %v", err))
	}
	s.settings = st
	s.analyzer = s.opts.AnalyzeSnapshots
	if s.analyzer == nil {
		s.analyzer = leakReportAnalyzer(s.root, s.semantics, s.opts.AvailableMemory)
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
			CodeActionProvider:     &protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
			HoverProvider:          protocol.Boolean(true),
			CodeLensProvider:       &protocol.CodeLensOptions{},
			DefinitionProvider:     protocol.Boolean(true),
			ExecuteCommandProvider: protocol.ExecuteCommandOptions{Commands: s.commands()},
		},
		ServerInfo: protocol.ServerInfo{Name: "leakls", Version: version},
	}, nil
}

// initialized pulls the editor's settings and starts the session's
// background work.
func (s *Server) initialized(ctx context.Context, _ string, _ *protocol.InitializedParams) error {
	s.goBackground(func() {
		if es, ok := s.fetchConfiguration(s.ctx); ok {
			s.configure(es)
		}
		s.startWorkspace()
	})
	return nil
}

// workspaceRoot returns the path of the first workspace folder, else of the
// root URI, else the root path, else "".
func workspaceRoot(p *protocol.InitializeParams) string {
	if folders, ok := p.WorkspaceFolders.Get(); ok {
		for _, f := range folders {
			if path := filePath(string(f.URI)); path != "" {
				return path
			}
		}
	}
	if p.RootURI != nil {
		if path := filePath(string(*p.RootURI)); path != "" {
			return path
		}
	}
	if path, ok := p.RootPath.Get(); ok && path != "" {
		return filepath.Clean(path)
	}
	return ""
}
