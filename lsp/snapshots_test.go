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

// openProgram writes program as server.js into the workspace dir, starts
// a server on the workspace with a client that shows work-done progress,
// and opens the file.
func openProgram(t *testing.T, dir, program string) (*client, string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "server.js"), program)
	yes := true
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{Window: &protocol.WindowClientCapabilities{WorkDoneProgress: &yes}},
	})
	uri := "file://" + filepath.Join(dir, "server.js")
	c.waitLog("watching ")
	c.open(uri, "javascript", program)
	return c, uri
}

// runNode returns the command that runs server.js with real node in dir,
// with flags.
func runNode(t *testing.T, dir string, flags ...string) *exec.Cmd {
	cmd := exec.Command(testenv.Node(t), append(flags, "server.js")...)
	cmd.Dir = dir
	return cmd
}

// TestSnapshotEvidence runs a leaking program with real node in the
// workspace; the snapshots it writes are discovered by the watcher,
// analysed in the background with work-done progress, and the leak is
// published on the program's lines, with hover and definition.
func TestSnapshotEvidence(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, leakyServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	p := c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID))
	d := find(t, p, holders.RetainedByVariable.ID)
	if d.Range.Start.Line != 4 {
		t.Errorf("evidence at %+v, want the sessions.set() that grows the Map on line 4", d.Range)
	}
	if h := c.hoverAt(uri, d.Range.Start); !strings.Contains(h, "**LK101 retained-by-variable**") || !strings.Contains(h, "Holder:\n\n1. declared here: module variable sessions — `server.js:4`") {
		t.Errorf("hover on the evidence:\n%s", h)
	}
	var locs []protocol.Location
	c.mustCall(protocol.MethodTextDocumentDefinition, &protocol.DefinitionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)}, Position: d.Range.Start,
	}}, &locs)
	if len(locs) < 2 || string(locs[0].URI) != uri || locs[0].Range.Start.Line != 3 || locs[1].Range.Start.Line != 4 {
		t.Errorf("definition on the evidence: %+v, want the declaration of sessions, then the growth site", locs)
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

// growingServer adds the same listener to a long-lived emitter on every
// request (line 6): no new object per request, only the listener array
// grows. It writes baseline, target and final snapshots from its top-level
// code, where the native code taking a snapshot holds the objects it was
// touching in handles: the path must still go through the variable bus.
const growingServer = `const v8 = require('v8');
const fs = require('fs');
const path = require('path');
const bus = new (require('events'))();
bus.setMaxListeners(0);
function onTick() {}
function handle() { bus.on('tick', onTick); }
function snap(name) {
  const tmp = path.join(__dirname, name + '.tmp');
  v8.writeHeapSnapshot(tmp);
  fs.renameSync(tmp, path.join(__dirname, name + '.heapsnapshot'));
}
for (let n = 0; n < 40; n++) handle();
snap('baseline');
for (let n = 0; n < 2000; n++) handle();
snap('target');
for (let n = 0; n < 2000; n++) handle();
snap('final');
`

// TestGrowthEvidence checks that a holder that grew at every step of a
// series, with no new object to find, is published at the on() call that
// adds the listener again and again, with the numbers.
func TestGrowthEvidence(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, growingServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	// The watcher may analyse baseline and target as a pair before final
	// is written: wait for the evidence of the whole series.
	const grew = "`tick` listeners on this EventEmitter: 40 → 2,040 → 4,040"
	p := c.waitDiagnostics(uri, func(p published) bool {
		for _, d := range p.diagnostics {
			if code(d) == holders.RetainedByListener.ID && strings.Contains(messageOf(d), grew) {
				return true
			}
		}
		return false
	})
	d := find(t, p, holders.RetainedByListener.ID)
	if msg := messageOf(d); d.Range.Start.Line != 6 || !strings.Contains(msg, grew) {
		t.Errorf("evidence at line %d: %q; want the on() call on line 6 with the growth", d.Range.Start.Line, msg)
	}
	// LK002 flags the same on() call: the evidence confirms it, and it
	// confirms the evidence.
	if msg := messageOf(d); d.Severity != protocol.DiagnosticSeverityError || !strings.Contains(msg, "confirmed: the static rule LK002") {
		t.Errorf("severity %v, %q; want an error confirmed by LK002", d.Severity, msg)
	}
	if s := find(t, p, "LK002"); s.Severity != protocol.DiagnosticSeverityError || !strings.Contains(messageOf(s), "confirmed by the heap snapshots (LK102)") {
		t.Errorf("LK002 on the growth site: severity %v, %q; want an error confirmed by LK102", s.Severity, messageOf(s))
	}
	// The static rule's quick fixes are offered on the evidence at the
	// growth site.
	if actions := c.codeActions(uri, d.Range, []protocol.Diagnostic{d}); len(actions) == 0 || !strings.Contains(actions[0].Title, "once") {
		t.Errorf("code actions on the evidence: %v, want LK002's quick fixes", actions)
	}
}

// oomServer fills a module-level Map (declared on line 0) until the heap
// is exhausted.
const oomServer = `const sessions = new Map();
let next = 0;
function handle() { sessions.set(next, { id: next, body: 'x'.repeat(200) + next }); next++; }
function serve() {
  for (let i = 0; i < 10000; i++) handle();
  setImmediate(serve);
}
serve();
`

// TestSingleSnapshotEvidence checks that a lone snapshot, as node writes
// one near the heap limit into the workspace, is analysed by itself: the
// biggest holder is published as information on the statement that fills
// it, with its share of the heap.
func TestSingleSnapshotEvidence(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, oomServer)
	if out, err := runNode(t, dir, "--max-old-space-size=32", "--heapsnapshot-near-heap-limit=1").CombinedOutput(); err == nil {
		t.Fatalf("node server.js did not run out of memory:\n%s", out)
	}
	p := c.waitDiagnostics(uri, hasRule(holders.RetainedByVariable.ID))
	d := find(t, p, holders.RetainedByVariable.ID)
	if msg := messageOf(d); d.Range.Start.Line != 2 || !strings.Contains(msg, "the module variable sessions holds a Map retaining") || !strings.Contains(msg, "% of the ") {
		t.Errorf("evidence at line %d: %q; want the sessions.set() that fills the Map on line 2 with its share of the heap", d.Range.Start.Line, msg)
	}
	if d.Severity != protocol.DiagnosticSeverityInformation {
		t.Errorf("severity %v, want information", d.Severity)
	}
}

// messageOf returns the text of a diagnostic's message.
func messageOf(d protocol.Diagnostic) string {
	switch m := d.Message.(type) {
	case protocol.String:
		return string(m)
	case *protocol.MarkupContent:
		return m.Value
	}
	return ""
}
