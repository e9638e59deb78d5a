package lsp_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

// leakyServer is a Node program that leaks request objects into a
// module-level Map (line 5 adds them) and writes baseline, target and final
// heap snapshots into its directory, each renamed into place once complete.
const leakyServer = `const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const sessions = new Map();
function handle(id) { sessions.set(id, { id, body: 'x'.repeat(64) }); }
function snap(name) {
  const tmp = path.join(__dirname, name + '.tmp');
  v8.writeHeapSnapshot(tmp);
  fs.renameSync(tmp, path.join(__dirname, name + '.heapsnapshot'));
}
let n = 0;
for (; n < 100; n++) handle(n);
snap('baseline');
for (; n < 3100; n++) handle(n);
snap('target');
for (; n < 6100; n++) handle(n);
snap('final');
`

// TestSnapshotEvidence runs a leaking program with real node in the
// workspace; the snapshots it writes are discovered by the watcher,
// analysed in the background with work-done progress, and the leak is
// published on the program's lines, with hover and definition.
func TestSnapshotEvidence(t *testing.T) {
	node := testenv.Node(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "server.js"), leakyServer)
	yes := true
	c := newClient(t, lsp.Options{})
	c.initialize(&protocol.InitializeParams{
		WorkspaceFoldersInitializeParams: protocol.WorkspaceFoldersInitializeParams{
			WorkspaceFolders: protocol.NewNullable([]protocol.WorkspaceFolder{{URI: uriOf("file://" + dir), Name: "ws"}}),
		},
		Capabilities: protocol.ClientCapabilities{Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &yes}},
	})
	uri := "file://" + filepath.Join(dir, "server.js")
	c.waitLog("watching ")
	c.open(uri, "javascript", leakyServer)
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	p := c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID))
	d := find(t, p, holders.RetainedByVariable.ID)
	if d.Range.Start.Line != 3 {
		t.Errorf("evidence at %+v, want the declaration of sessions on line 3", d.Range)
	}
	if h := c.hoverAt(uri, d.Range.Start); !strings.Contains(h, "**LK101 retained-by-variable**") || !strings.Contains(h, "sessions") {
		t.Errorf("hover on the evidence:\n%s", h)
	}
	var locs []protocol.Location
	c.mustCall(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Position: d.Range.Start,
	}}, &locs)
	if len(locs) == 0 || string(locs[0].URI) != uri || locs[0].Range.Start.Line != 3 {
		t.Errorf("definition on the evidence: %+v, want the declaration of sessions", locs)
	}

	c.mustCall(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: lsp.CommandClearSnapshotFindings}, nil)
	c.waitDiagnostics(uri, func(p published) bool { return !hasRule(holders.RetainedByVariable.ID)(p) })
	var args []protocol.LSPAny
	for _, name := range []string{"baseline", "target", "final"} {
		args = append(args, protocol.LSPAny(`"`+filepath.Join(dir, name+".heapsnapshot")+`"`))
	}
	c.mustCall(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: lsp.CommandAnalyzeSnapshots, Arguments: args}, nil)
	c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID))

	c.waitFor("begin and end of the analysis progress", func() bool {
		s := strings.Join(c.progress, " ")
		return strings.Contains(s, "begin") && strings.Contains(s, "end")
	})
}
