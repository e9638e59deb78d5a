package analysis

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// Fixture snapshots are written by real node from the programs in
// testdata/fixtures, once per test binary, into a temporary directory that
// TestMain removes at the end.

// fixtureN is the number of leaking requests the fixtures simulate between
// baseline and target.
const fixtureN = 20

var fixtureRoot string

func TestMain(m *testing.M) {
	testenv.MainInTempDir(m, "leakls-analysis-", &fixtureRoot)
}

var fixtures testenv.Once[string] // node, program and arguments → directory

// fixture runs testdata/fixtures/<program> under the machine's node (see
// fixtureUnder).
func fixture(t testing.TB, program string, args ...string) string {
	t.Helper()
	return fixtureUnder(t, testenv.Node(t), program, args...)
}

// fixtureUnder runs testdata/fixtures/<program> under node --expose-gc
// with the given arguments after the output directory, once per test
// binary, and returns the directory holding its baseline, target and
// final snapshots.
func fixtureUnder(t testing.TB, node, program string, args ...string) string {
	t.Helper()
	script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "fixtures", program)
	dir, err := fixtures.Do(node+program+fmt.Sprint(args), func() (string, error) {
		dir, err := os.MkdirTemp(fixtureRoot, program+"-")
		if err != nil {
			return "", err
		}
		cmd := exec.Command(node, append([]string{"--expose-gc", script, dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("node %s: %v\n%s", program, err, out)
		}
		return dir, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// snapshotFiles returns the baseline, target and final snapshot paths of a
// fixture directory.
func snapshotFiles(dir string) (baseline, target, final string) {
	return filepath.Join(dir, "baseline.heapsnapshot"), filepath.Join(dir, "target.heapsnapshot"), filepath.Join(dir, "final.heapsnapshot")
}

// mustRead reads path with read (Load, ReadIDs or ReadFingerprint) and
// default options, failing the test on an error.
func mustRead[T any](t testing.TB, read func(string, LoadOptions) (T, error), path string) T {
	t.Helper()
	v, err := read(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// loadLeakFixture runs program under the machine's node and returns the
// leak report of its three snapshots, with the final snapshot.
func loadLeakFixture(t testing.TB, program string, sem Semantics, args ...string) (*LeakReport, *Snapshot) {
	t.Helper()
	return loadLeakFixtureUnder(t, testenv.Node(t), program, sem, args...)
}

// loadLeakFixtureUnder is loadLeakFixture under the given node binary.
func loadLeakFixtureUnder(t testing.TB, node, program string, sem Semantics, args ...string) (*LeakReport, *Snapshot) {
	t.Helper()
	b, tg, f := snapshotFiles(fixtureUnder(t, node, program, args...))
	base := mustRead(t, ReadIDs, b)
	target := mustRead(t, ReadIDs, tg)
	final := mustRead(t, Load, f)
	return FindLeaks(base, target, final, LeakOptions{Semantics: sem}), final
}
