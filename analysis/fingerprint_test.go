package analysis

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// seriesRuns caches the snapshot series written by real node, per run name.
var seriesRuns struct {
	sync.Mutex
	dirs map[string]string
}

// nodeSeries runs "node FLAGS testdata/SCRIPT DIR ARGS" with real node once
// per test binary and name, DIR being the directory name under fixtureRoot
// (so that runs of one name length get directories of one length), and
// returns the paths of the baseline, target and final snapshots the script
// writes there.
func nodeSeries(t *testing.T, name string, flags []string, script string, args ...string) (baseline, target, final string) {
	t.Helper()
	node := testenv.Node(t)
	seriesRuns.Lock()
	defer seriesRuns.Unlock()
	dir, ok := seriesRuns.dirs[name]
	if !ok {
		dir = filepath.Join(fixtureRoot, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		script = filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", script)
		cmd := exec.Command(node, slices.Concat(flags, []string{script, dir}, args)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", cmd, err, out)
		}
		if seriesRuns.dirs == nil {
			seriesRuns.dirs = map[string]string{}
		}
		seriesRuns.dirs[name] = dir
	}
	return snapshotFiles(dir)
}

// growthSeries runs testdata/growth/series.js (see nodeSeries) and returns
// the paths of its baseline, target and final snapshots. args are passed
// after the output directory.
func growthSeries(t *testing.T, name string, args ...string) (baseline, target, final string) {
	t.Helper()
	return nodeSeries(t, "growth-"+name, nil, filepath.Join("growth", "series.js"), args...)
}

func fingerprint(t *testing.T, path string) *Fingerprint {
	t.Helper()
	fp := mustRead(t, ReadFingerprint, path)
	return fp
}

// TestCheckSeries checks real snapshot series: one process in order is
// accepted; two processes, the wrong order, one file twice and a copy are
// each rejected with their kind.
func TestCheckSeries(t *testing.T) {
	b1, t1, f1 := growthSeries(t, "a")
	b2, t2, _ := growthSeries(t, "b")
	copied := filepath.Join(t.TempDir(), "copy.heapsnapshot")
	data, err := os.ReadFile(t1)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(copied, data, 0o644); err != nil {
		t.Fatal(err)
	}
	linked := filepath.Join(t.TempDir(), "link.heapsnapshot")
	if err := os.Symlink(t1, linked); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  MismatchKind // 0: accepted
	}{
		{"one process in order", []string{b1, t1, f1}, 0},
		{"two snapshots in order", []string{b1, f1}, 0},
		{"two processes", []string{b1, t2, f1}, DifferentProcess},
		{"two processes, first snapshots", []string{b1, b2}, DifferentProcess},
		{"wrong order", []string{t1, b1, f1}, WrongOrder},
		{"final before target", []string{b1, f1, t1}, WrongOrder},
		{"same path twice", []string{b1, t1, t1}, SameFile},
		{"same file through a link", []string{b1, t1, linked}, SameFile},
		{"a copy", []string{b1, t1, copied}, SameContent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := checkSeries(t, tc.files, tc.want); err != nil {
				t.Log(err)
			}
		})
	}
}

// The programs of testdata/programs, each writing a baseline, target and
// final snapshot: inventory.js and warehouse.js are two different programs
// that give their objects the same ids under node --predictable; lazy is
// one process that requires a module between its snapshots.
func inventorySeries(t *testing.T) (baseline, target, final string) {
	t.Helper()
	return nodeSeries(t, "inventory", []string{"--predictable"}, filepath.Join("programs", "inventory.js"))
}

func warehouseSeries(t *testing.T) (baseline, target, final string) {
	t.Helper()
	return nodeSeries(t, "warehouse", []string{"--predictable"}, filepath.Join("programs", "warehouse.js"))
}

func lazySeries(t *testing.T) (baseline, target, final string) {
	t.Helper()
	return nodeSeries(t, "lazy", nil, filepath.Join("programs", "lazy", "main.js"))
}

// scriptNames returns the names of a fingerprint's program scripts.
func scriptNames(fp *Fingerprint) []string {
	var names []string
	for _, s := range fp.scripts {
		names = append(names, filepath.Base(s.name))
	}
	return names
}

// TestCheckSeriesPrograms checks the script check on real snapshots. Two
// different programs whose object ids agree, so that only their scripts
// tell them apart, are refused as DifferentProgram in either order. One
// process that requires a module between its snapshots is accepted, also
// when its first script was collected before the last snapshot, so that
// the first and the last hold no program script in common.
func TestCheckSeriesPrograms(t *testing.T) {
	ib, it, iF := inventorySeries(t)
	wb, wt, wF := warehouseSeries(t)
	lb, lt, lF := lazySeries(t)
	for _, tc := range []struct {
		name  string
		files []string
		want  MismatchKind // 0: accepted
		// msg is what the message says when refused.
		msg string
	}{
		{"two programs", []string{ib, wt, wF}, DifferentProgram, filepath.Join("programs", "inventory.js") + " vs "},
		{"two programs, the other first", []string{wb, it, iF}, DifferentProgram, filepath.Join("programs", "warehouse.js") + " vs "},
		{"two programs, a pair", []string{it, wF}, DifferentProgram, "come from different programs: they hold no script in common ("},
		{"two programs, wrong order", []string{wF, ib}, DifferentProgram, "come from different programs: they hold no script in common ("},
		{"one program", []string{wb, wt, wF}, 0, ""},
		{"a module loaded between snapshots", []string{lb, lt, lF}, 0, ""},
		{"a module loaded, its loader collected", []string{lb, lF}, 0, ""},
		{"a module loaded, wrong order", []string{lF, lb}, WrongOrder, "was taken after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSeries(t, tc.files, tc.want)
			switch {
			case err == nil:
			case !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "all from one process"):
				t.Errorf("the message lacks %q or what to do: %v", tc.msg, err)
			default:
				t.Log(err)
			}
		})
	}

	// What makes the cases above worth testing: without their scripts, the
	// two programs' snapshots pass every other check; the lazy process's
	// first and last snapshots hold no program script in common.
	var ids []*Fingerprint
	for _, f := range []string{ib, wt, wF} {
		fp := *fingerprint(t, f)
		fp.scripts = nil
		ids = append(ids, &fp)
	}
	if err := CheckSeries(ids...); err != nil {
		t.Errorf("the two programs' ids disagree (%v): the series does not show that the script check catches what the id checks miss", err)
	}
	first, last := scriptNames(fingerprint(t, lb)), scriptNames(fingerprint(t, lF))
	if !slices.Equal(first, []string{"main.js"}) || !slices.Equal(last, []string{"tasks.js"}) {
		t.Errorf("the lazy process's scripts: baseline %q, final %q, want [main.js] and [tasks.js]", first, last)
	}
}

// TestDiffFilesChecksSeries checks that DiffFiles accepts a real series in
// order and refuses snapshots of two processes or two programs.
func TestDiffFilesChecksSeries(t *testing.T) {
	b1, t1, f1 := growthSeries(t, "a")
	_, t2, _ := growthSeries(t, "b")
	if _, err := DiffFiles(b1, t1, f1, DiffOptions{}); err != nil {
		t.Fatalf("DiffFiles of one series: %v", err)
	}
	var mm *MismatchError
	if _, err := DiffFiles(b1, t2, f1, DiffOptions{}); !errors.As(err, &mm) || mm.Kind != DifferentProcess {
		t.Fatalf("DiffFiles across processes: %v, want a DifferentProcess mismatch", err)
	}
	ib, it, _ := inventorySeries(t)
	_, _, wF := warehouseSeries(t)
	if _, err := DiffFiles(ib, it, wF, DiffOptions{}); !errors.As(err, &mm) || mm.Kind != DifferentProgram {
		t.Fatalf("DiffFiles across programs: %v, want a DifferentProgram mismatch", err)
	}
}

// TestCheckSeriesFormat checks that snapshots of different V8 versions
// (here: a real snapshot's meta without the detachedness field of Node
// 20) are told apart by their format, and the message names the fields.
func TestCheckSeriesFormat(t *testing.T) {
	b, _, f := growthSeries(t, "a")
	s := mustRead(t, Load, f)
	older := s.meta
	older.NodeFields = older.NodeFields[:len(older.NodeFields)-1]
	fp := newFingerprint(older, s.nodeID, s.nodeType, s.holderSize)
	err := CheckSeries(fingerprint(t, b), fp)
	var mm *MismatchError
	if !errors.As(err, &mm) || mm.Kind != DifferentFormat {
		t.Fatalf("CheckSeries = %v, want a DifferentFormat mismatch", err)
	}
	if !strings.Contains(err.Error(), "detachedness") {
		t.Errorf("the message does not name the differing field: %v", err)
	}
}

// checkSeries runs CheckSeries on the fingerprints of files and fails t
// unless it finds a mismatch of kind want (none when want is 0). It
// returns the mismatch.
func checkSeries(t *testing.T, files []string, want MismatchKind) error {
	t.Helper()
	var fps []*Fingerprint
	for _, f := range files {
		fps = append(fps, fingerprint(t, f))
	}
	err := CheckSeries(fps...)
	var mm *MismatchError
	switch {
	case want == 0 && err != nil:
		t.Fatalf("CheckSeries: %v", err)
	case want == 0:
	case !errors.As(err, &mm):
		t.Fatalf("CheckSeries = %v, want a mismatch of kind %d", err, want)
	case mm.Kind != want:
		t.Fatalf("CheckSeries: kind %d (%v), want %d", mm.Kind, err, want)
	}
	return err
}
