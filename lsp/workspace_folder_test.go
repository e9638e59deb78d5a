package lsp_test

import "go.lsp.dev/protocol"

// workspaceFolder returns the initialize parameters that open dir as the
// one workspace folder.
func workspaceFolder(dir string) protocol.WorkspaceFoldersInitializeParams {
	return protocol.WorkspaceFoldersInitializeParams{
		WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uriOf("file://" + dir), Name: "ws"}}),
	}
}
