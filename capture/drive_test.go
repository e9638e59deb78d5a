package capture

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// labels records the labels a run reports progress under.
type labels struct {
	mu   sync.Mutex
	seen []string
}

func (l *labels) Func(label string) func(string, int64, int64) {
	return func(string, int64, int64) {
		l.mu.Lock()
		defer l.mu.Unlock()
		if !slices.Contains(l.seen, label) {
			l.seen = append(l.seen, label)
		}
	}
}

// TestDriveTypeScript drives the TypeScript app, its entry resolved in
// the working directory: the bundle is kept for the analysis, the three
// snapshots are written, and progress is reported per phase and snapshot.
func TestDriveTypeScript(t *testing.T) {
	testenv.Node(t)
	var l labels
	dir := t.TempDir()
	res, err := Drive(context.Background(), DriveOptions{
		Command: []string{"node", "server.ts"}, WorkDir: "testdata/tsapp", Scenario: "../scenario.mjs",
		Iterations: 2, Warmup: 1, Dir: dir, Progress: &l,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(res.BundleDir)
	if _, err := os.Stat(filepath.Join(res.BundleDir, "server.js.map")); err != nil {
		t.Errorf("no source map of the bundle: %v", err)
	}
	for _, f := range []string{res.Baseline, res.Target, res.Final} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("snapshot %s: %v", f, err)
		}
	}
	if want := []string{"run", "baseline.heapsnapshot", "target.heapsnapshot", "final.heapsnapshot"}; !slices.Equal(l.seen, want) {
		t.Errorf("progress labels %v, want %v", l.seen, want)
	}
}

// TestDriveEndsWhenProgramExits checks that the run ends, naming the
// cause, when the program exits while an action waits for ever (Node,
// with a debugger attached, waits for it to disconnect before it exits).
func TestDriveEndsWhenProgramExits(t *testing.T) {
	testenv.Node(t)
	_, err := Drive(context.Background(), DriveOptions{
		Command: []string{"node", "testdata/exiting.js"}, Scenario: "testdata/exit.mjs", Iterations: 2, Dir: t.TempDir(),
	})
	if err == nil || !strings.Contains(err.Error(), "the program exited during the run") {
		t.Errorf("a run whose program exits: %v", err)
	}
}
