package analysis

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// TestAnchors compares retained sizes with Chrome DevTools' heap snapshot
// worker (devtools semantics) and memlab (node semantics) on a real
// snapshot. It needs the anchors' scripts and npm packages: set
// LEAKLS_ANCHORS to the directory ../shared/bench/anchors/run.sh prepares
// (devtools.mjs, memlab.js and node_modules). It takes a few seconds.
func TestAnchors(t *testing.T) {
	dir := testenv.Getenv(t, "LEAKLS_ANCHORS", "a directory prepared by the anchors' run.sh")
	node := testenv.Node(t)
	path := realSnapshot(t)
	s := mustRead(t, Load, path)
	for _, anchor := range []struct {
		script string
		sem    Semantics
	}{{"devtools.mjs", SemanticsDevTools}, {"memlab.js", SemanticsNode}} {
		cmd := exec.Command(node, "--max-old-space-size=4000", filepath.Join(dir, anchor.script), path)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", anchor.script, err)
		}
		var report struct {
			TopRetained []struct {
				ID       uint32 `json:"id"`
				Name     string `json:"name"`
				Retained uint64 `json:"retained"`
			} `json:"top_retained"`
		}
		if err := json.Unmarshal(out, &report); err != nil || len(report.TopRetained) == 0 {
			t.Fatalf("%s printed %q: %v", anchor.script, out, err)
		}
		d := s.Dominators(anchor.sem)
		for _, want := range report.TopRetained {
			n, ok := s.NodeByID(want.ID)
			if !ok {
				t.Errorf("%s: no node @%d", anchor.script, want.ID)
				continue
			}
			if got := d.Retained(n); got != want.Retained {
				t.Errorf("%v: %s @%d retains %d, %s says %d", anchor.sem, want.Name, want.ID, got, anchor.script, want.Retained)
			}
		}
	}
}
