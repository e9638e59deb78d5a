package lsp_test

import "go.lsp.dev/protocol"

// workspaceFolder returns the initialize parameters that open dir as the
// one workspace folder.
func workspaceFolder(dir string) protocol.WorkspaceFoldersInitializeParams {
	return protocol.WorkspaceFoldersInitializeParams{
		WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uriOf("file://" + dir), Name: "ws"}}),
	}
}

// initializeIn initializes c with dir as its one workspace folder and the
// other parameters of p (nil: none).
func (c *client) initializeIn(dir string, p *protocol.InitializeParams) *protocol.InitializeResult {
	c.t.Helper()
	if p == nil {
		p = &protocol.InitializeParams{}
	}
	p.WorkspaceFoldersInitializeParams = workspaceFolder(dir)
	return c.initialize(p)
}
