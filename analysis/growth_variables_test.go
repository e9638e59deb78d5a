package analysis

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// TestHeldByNearHeapLimit runs testdata/growth/oom.js with real node on a
// small heap until it dies, and checks the snapshot V8 wrote near the heap
// limit: its biggest holder is the Map, held by the module variable sessions
// of oom.js, though its shortest path runs through the stack.
func TestHeldByNearHeapLimit(t *testing.T) {
	node := testenv.Node(t)
	dir := t.TempDir()
	script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth", "oom.js")
	cmd := exec.Command(node, "--max-old-space-size=32", "--heapsnapshot-near-heap-limit=1", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("%s ran out of memory without failing:\n%s", script, out)
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.heapsnapshot"))
	if len(found) != 1 {
		t.Fatalf("node wrote %v near the heap limit, want one snapshot; output:\n%.2000s", found, out)
	}
	s := mustRead(t, Load, found[0])
	os.Remove(found[0])
	// The Map is the top holder, or the top holder's only big child (an
	// immediate or the stack may dominate it, depending on where V8
	// stopped the program).
	sum := Summarize(s, SemanticsNode, 10, nil)
	var top *Holder
	for i := range sum.Holders {
		if h := &sum.Holders[i]; h.Name == "Map" {
			top = h
			break
		}
	}
	if top == nil || top.RetainedSize < sum.TotalSize/2 {
		t.Fatalf("no Map among the top holders retains most of the %d-byte heap: %+v", sum.TotalSize, sum.Holders)
	}
	held := HeldBy(s, NewSources(s), top.Node)
	if len(held) == 0 || held[0].Edge != "sessions" || !strings.HasSuffix(held[0].File, "oom.js") {
		t.Fatalf("the Map is held by %+v, want the variable sessions of oom.js", held)
	}
}
