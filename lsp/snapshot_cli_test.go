package lsp_test

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/lsp"
)

// TestSnapshotEvidenceMatchesCLI checks that the language server and
// leakls snapshot diff --format json report the same holders for the same
// snapshot set: rule, position, message and related locations.
func TestSnapshotEvidenceMatchesCLI(t *testing.T) {
	dir := t.TempDir()
	c, uri := openProgram(t, dir, leakyServer)
	if out, err := runNode(t, dir).CombinedOutput(); err != nil {
		t.Fatalf("node server.js: %v\n%s", err, out)
	}
	// The watcher may have analysed the first snapshots before the last
	// was written: analyse the whole set, which answers once published.
	var set []protocol.LSPAny
	for _, name := range []string{"baseline", "target", "final"} {
		set = append(set, protocol.LSPAny(`"`+filepath.Join(dir, name+".heapsnapshot")+`"`))
	}
	c.mustCall(protocol.MethodWorkspaceExecuteCommand, &protocol.ExecuteCommandParams{Command: lsp.CommandAnalyzeSnapshots, Arguments: set}, nil)
	p := c.waitDiagnostics(uri, hasRule("LK101"))
	var fromServer []string
	for _, d := range p.diagnostics {
		if strings.HasPrefix(code(d), "LK1") {
			fromServer = append(fromServer, fmt.Sprintf("%s server.js:%d:%d %s (%d related)", code(d), d.Range.Start.Line+1, d.Range.Start.Character+1, d.Message, len(d.RelatedInformation)))
		}
	}

	bin := testenv.BuildLeakls(t)
	args := []string{"snapshot", "diff", "--quiet", "--format", "json", "--root", dir}
	for _, name := range []string{"baseline", "target", "final"} {
		args = append(args, filepath.Join(dir, name+".heapsnapshot"))
	}
	out, err := exec.Command(bin, args...).Output()
	if err != nil && len(out) == 0 {
		t.Fatalf("leakls %s: %v", strings.Join(args, " "), err)
	}
	var doc struct {
		Version  int `json:"version"`
		Findings []struct {
			Rule  string `json:"rule"`
			File  string `json:"file"`
			Range struct {
				Start struct{ Line, Column int }
			} `json:"range"`
			Message string            `json:"message"`
			Related []json.RawMessage `json:"related"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(out, &doc); err != nil || doc.Version != 1 {
		t.Fatalf("leakls JSON (version %d): %v\n%s", doc.Version, err, out)
	}
	var fromCLI []string
	for _, f := range doc.Findings {
		fromCLI = append(fromCLI, fmt.Sprintf("%s %s:%d:%d %s (%d related)", f.Rule, f.File, f.Range.Start.Line, f.Range.Start.Column, f.Message, len(f.Related)))
	}
	slices.Sort(fromServer)
	slices.Sort(fromCLI)
	if len(fromCLI) == 0 || !slices.Equal(fromServer, fromCLI) {
		t.Errorf("the server and the CLI disagree:\nserver:\n  %s\ncli:\n  %s", strings.Join(fromServer, "\n  "), strings.Join(fromCLI, "\n  "))
	}
}
