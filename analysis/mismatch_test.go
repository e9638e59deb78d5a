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

// growthSeries runs testdata/growth/series.js with real node once per test
// binary and name, and returns the paths of its baseline, target and final
// snapshots. args are passed after the output directory.
func growthSeries(t *testing.T, name string, args ...string) (baseline, target, final string) {
	t.Helper()
	node := testenv.Node(t)
	seriesRuns.Lock()
	defer seriesRuns.Unlock()
	dir, ok := seriesRuns.dirs[name]
	if !ok {
		var err error
		if dir, err = os.MkdirTemp("", "leakls-series-"); err != nil {
			t.Fatal(err)
		}
		script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "growth", "series.js")
		if out, err := exec.Command(node, append([]string{script, dir}, args...)...).CombinedOutput(); err != nil {
			t.Fatalf("node %s: %v\n%s", script, err, out)
		}
		if seriesRuns.dirs == nil {
			seriesRuns.dirs = map[string]string{}
		}
		seriesRuns.dirs[name] = dir
	}
	return filepath.Join(dir, "baseline.heapsnapshot"), filepath.Join(dir, "target.heapsnapshot"), filepath.Join(dir, "final.heapsnapshot")
}

func fingerprint(t *testing.T, path string) *Fingerprint {
	t.Helper()
	fp, err := ReadFingerprint(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
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
			var fps []*Fingerprint
			for _, f := range tc.files {
				fps = append(fps, fingerprint(t, f))
			}
			err := CheckSeries(fps...)
			var mm *MismatchError
			switch {
			case tc.want == 0 && err != nil:
				t.Fatalf("CheckSeries: %v", err)
			case tc.want == 0:
			case !errors.As(err, &mm):
				t.Fatalf("CheckSeries = %v, want a mismatch of kind %d", err, tc.want)
			case mm.Kind != tc.want:
				t.Fatalf("CheckSeries: kind %d (%v), want %d", mm.Kind, err, tc.want)
			default:
				t.Log(err)
			}
		})
	}
}

// TestDiffFilesChecksSeries checks that DiffFiles accepts a real series in
// order and refuses snapshots of two processes.
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
}

// TestCheckSeriesFormat checks that snapshots of different V8 versions
// (here: a real snapshot's meta without the detachedness field of Node
// 20) are told apart by their format, and the message names the fields.
func TestCheckSeriesFormat(t *testing.T) {
	b, _, f := growthSeries(t, "a")
	s, err := Load(f, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	older := s.meta
	older.NodeFields = older.NodeFields[:len(older.NodeFields)-1]
	fp := newFingerprint(older, &nodeMeasures{ids: slices.Clone(s.nodeID), types: slices.Clone(s.nodeType)})
	err = CheckSeries(fingerprint(t, b), fp)
	var mm *MismatchError
	if !errors.As(err, &mm) || mm.Kind != DifferentFormat {
		t.Fatalf("CheckSeries = %v, want a DifferentFormat mismatch", err)
	}
	if !strings.Contains(err.Error(), "detachedness") {
		t.Errorf("the message does not name the differing field: %v", err)
	}
}

func TestCommas(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 39087: "39,087", 1234567: "1,234,567", -4040: "-4,040"} {
		if got := commas(n); got != want {
			t.Errorf("commas(%d) = %q, want %q", n, got, want)
		}
	}
}
