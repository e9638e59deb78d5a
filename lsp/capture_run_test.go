package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

// runWorkspace copies the named files of capture/testdata into a new
// workspace, starts a server on it and returns the client and the
// workspace.
func runWorkspace(t *testing.T, files ...string) (*client, string) {
	t.Helper()
	testenv.Node(t)
	dir := t.TempDir()
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(testenv.RepoRoot(t), "capture", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, filepath.Base(name)), string(data))
	}
	c := newClient(t, lsp.Options{})
	c.initializeIn(dir, nil)
	return c, dir
}

// captureRun runs leakls.captureSnapshots on the configured run given as
// JSON. A run starts node, drives it, takes three snapshots and analyses
// them: on a loaded machine that takes longer than a request may in the
// other tests, so it has minutes.
func captureRun(c *client, run string) error {
	return c.callWithin(3*time.Minute, protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{
		Command: lsp.CommandCaptureSnapshots, Arguments: []protocol.LSPAny{protocol.LSPAny(`{"run": ` + run + `}`)}}, nil)
}

// TestCaptureRunTypeScript runs a TypeScript server (with parameter
// properties, which node cannot run without a compiler): the configured
// run bundles it, and the evidence lands in the .ts source.
func TestCaptureRunTypeScript(t *testing.T) {
	c, dir := runWorkspace(t, "tsapp/server.ts", "tsapp/cache.ts", "scenario.mjs")
	if err := captureRun(c, `{"command": ["node", "server.ts"], "scenario": "scenario.mjs", "iterations": 4}`); err != nil {
		t.Fatal(err)
	}
	uri := "file://" + filepath.Join(dir, "cache.ts")
	d := find(t, c.waitDiagnostics(uri, hasRule("LK104")), "LK104")
	if want := uint32(testenv.LineOf(t, filepath.Join(dir, "cache.ts"), "this.entries.set(") - 1); d.Range.Start.Line != want {
		t.Errorf("evidence at %+v, want the this.entries.set() that grows the property on line %d", d.Range, want)
	}
}

// TestCaptureRunEndsWhenProgramExits checks that a configured run whose
// program exits ends at once, saying so, instead of waiting for the
// action's timeout: the scenario asks the program to exit, then waits for
// ever.
func TestCaptureRunEndsWhenProgramExits(t *testing.T) {
	c, _ := runWorkspace(t, "exiting.js", "exit.mjs")
	err := captureRun(c, `{"command": ["node", "exiting.js"], "scenario": "exit.mjs", "iterations": 2}`)
	if err == nil || !strings.Contains(err.Error(), "the program exited during the run") {
		t.Errorf("a run whose program exits: %v", err)
	}
}
