// Package lsp is the leakls language server: it speaks the Language Server
// Protocol (LSP 3.18, go.lsp.dev/protocol and go.lsp.dev/jsonrpc2 v1.0.1)
// over any byte stream and shows leak findings where people fix them.
//
// The server keeps an in-memory store of the documents the editor has open,
// applies incremental edits strictly in arrival order, analyses each changed
// document in the background (debounced, stale analyses cancelled) and
// publishes diagnostics only when they changed. Code actions, hover and
// go-to-definition read the findings of the current document version.
// Workspace files that are not open are analysed in the background, and
// fsnotify watches the workspace for source edits made outside the editor,
// for heap snapshots, whose evidence is published on the lines that hold the
// memory, and for allocation profiles, shown as code lenses and hover on
// the allocating functions.
//
// Layout follows gopls: one small file per LSP method whose handler finds the
// document and calls the feature code; positions are byte offsets inside the
// server and are converted to the negotiated encoding (UTF-16 unless the
// client chose utf-8 or utf-32) only at the protocol edge.
//
// The connection is built directly on jsonrpc2.NewConn rather than
// protocol.NewServer, because the latter dispatches notifications
// concurrently (edits would be applied out of order) and tears the
// connection down when a notification handler returns an error.
package lsp
