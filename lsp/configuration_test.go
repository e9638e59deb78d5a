package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/lsp"
)

// TestConfiguration changes the level of a rule through every channel,
// without a restart: initializationOptions, workspace/configuration pulled
// after didChangeConfiguration, and leakls.json changed on disk.
func TestConfiguration(t *testing.T) {
	dir := t.TempDir()
	yes := true
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, &protocol.InitializeParams{
		InitializationOptions: protocol.LSPAny(`{"rules": {"LK000": "off"}}`),
		Capabilities:          protocol.ClientCapabilities{Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes}},
	})
	uri := "file://" + filepath.Join(dir, "a.js")
	c.open(uri, "javascript", "// leakls-ignore\n")
	if p := c.waitDiagnostics(uri, func(published) bool { return true }); p.raw != "[]" {
		t.Errorf("LK000 off in initializationOptions, yet published %s", p.raw)
	}

	c.mu.Lock()
	c.settings = json.RawMessage(`{"rules": {"LK000": "hint"}}`)
	c.mu.Unlock()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`null`)})
	c.waitDiagnostics(uri, func(p published) bool {
		return hasRule("LK000")(p) && find(t, p, "LK000").Severity == protocol.DiagnosticSeverityHint
	})
	c.mu.Lock()
	for _, p := range c.diags[uri] {
		if hasRule("LK000")(p) && find(t, p, "LK000").Severity != protocol.DiagnosticSeverityHint {
			t.Errorf("LK000 was published with severity %d before the editor set it to hint", find(t, p, "LK000").Severity)
		}
	}
	c.mu.Unlock()

	// leakls.json applies where the editor says nothing; it is watched.
	c.waitLog("watching ")
	c.mu.Lock()
	c.settings = json.RawMessage(`{}`)
	c.mu.Unlock()
	if err := os.WriteFile(filepath.Join(dir, "leakls.json"), []byte(`{"rules": {"LK000": "info"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`null`)})
	c.waitDiagnostics(uri, func(p published) bool {
		return hasRule("LK000")(p) && find(t, p, "LK000").Severity == protocol.DiagnosticSeverityInformation
	})
	if err := os.WriteFile(filepath.Join(dir, "leakls.json"), []byte(`{"rules": {"LK000": "off"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	c.waitDiagnostics(uri, func(p published) bool { return p.raw == "[]" })

	// A bad setting is reported and leaves the server working.
	c.mu.Lock()
	c.settings = json.RawMessage(`{"rules": {"LK999": "error"}}`)
	c.mu.Unlock()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`null`)})
	c.waitLog(`unknown rule "LK999"`)
	c.mu.Lock()
	c.settings = json.RawMessage(`{"semantics": "v8"}`)
	c.mu.Unlock()
	c.notify(protocol.MethodWorkspaceDidChangeConfiguration, &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`null`)})
	c.waitLog(`semantics setting`)
}

// TestFirstPublicationHasFindings opens a document whose analysis is still
// running when the settings pulled with workspace/configuration arrive:
// applying them must not publish the document before its analysis (an
// empty list that clients show as "no problems"), so its first
// publication already carries its finding.
func TestFirstPublicationHasFindings(t *testing.T) {
	dir := t.TempDir()
	release := make(chan struct{})
	c := newClient(t, lsp.Options{Check: checkWith(map[string]func(context.Context){
		"held": func(ctx context.Context) {
			select {
			case <-release:
			case <-ctx.Done():
			}
		},
	})})
	c.mu.Lock()
	c.settings = json.RawMessage(`{"rules": {"LK000": "warning"}}`)
	c.mu.Unlock()
	yes := true
	c.mustCall(protocol.MethodInitialize, &protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: workspaceFolder(dir),
		Capabilities:                     protocol.ClientCapabilities{Workspace: &protocol.WorkspaceClientCapabilities{Configuration: &yes}},
	}, nil)
	uri := "file://" + filepath.Join(dir, "held.js")
	c.open(uri, "javascript", "// leakls-ignore\n")
	c.notify(protocol.MethodInitialized, &protocol.InitializedParams{})
	// The workspace is watched once the settings have been applied.
	c.waitLog("watching ")
	close(release)
	c.waitDiagnostics(uri, func(published) bool { return true })
	c.mu.Lock()
	first := c.diags[uri][0]
	c.mu.Unlock()
	if !hasRule("LK000")(first) || find(t, first, "LK000").Severity != protocol.DiagnosticSeverityWarning {
		t.Errorf("first publication of the document: %s, want its LK000 finding as a warning", first.raw)
	}
}
