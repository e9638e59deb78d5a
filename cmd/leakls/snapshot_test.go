package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/testenv"
)

// writeSnapshots runs an analysis fixture program under real node and
// returns the paths of its baseline, target and final snapshots.
func writeSnapshots(t *testing.T, program string) [3]string {
	t.Helper()
	node := testenv.Node(t)
	dir := t.TempDir()
	script := filepath.Join(testenv.RepoRoot(t), "analysis", "testdata", "fixtures", program)
	if out, err := exec.Command(node, "--expose-gc", script, dir, "20").CombinedOutput(); err != nil {
		t.Fatalf("node %s: %v\n%s", program, err, out)
	}
	var files [3]string
	for i, name := range []string{"baseline", "target", "final"} {
		files[i] = filepath.Join(dir, name+".heapsnapshot")
	}
	return files
}

func TestSnapshotCommands(t *testing.T) {
	leaks := writeSnapshots(t, "leaks.js")
	clean := writeSnapshots(t, "noleak.js")
	base, target, final := leaks[0], leaks[1], leaks[2]

	t.Run("diff text", func(t *testing.T) {
		code, out, errOut := run("snapshot", "diff", base, target, final)
		if code != exitFindings {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFindings, errOut)
		}
		for _, want := range []string{
			"20 × Order", "held by variable orderCache", "var orderCache", "20 × onTick()", "._events", ".tick",
			"holding 20 poll(), 20 Poller", "var timerListMap",
			"analysis/testdata/fixtures/leaks.js:39:14", // Order's constructor
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		// Progress goes to stderr, one line per stage when it is not a terminal.
		if !strings.Contains(errOut, "final.heapsnapshot: ") {
			t.Errorf("no progress on stderr: %q", errOut)
		}
	})

	t.Run("diff json", func(t *testing.T) {
		code, out, errOut := run("snapshot", "diff", "--format", "json", "--quiet", "--top", "0", base, target, final)
		if code != exitFindings || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		var rep struct {
			Leaked []struct {
				Constructor  string `json:"constructor"`
				Count        int    `json:"count"`
				SelfSize     uint64 `json:"selfSize"`
				RetainedSize uint64 `json:"retainedSize"`
			} `json:"leaked"`
			Clusters []struct {
				Count        int    `json:"count"`
				RetainedSize uint64 `json:"retainedSize"`
				Constructor  string `json:"constructor"`
				IDs          []uint32
				Path         []struct {
					Edge, Name, Type string
					ID               uint32
					File             *string
					Line, Column     *int
				} `json:"path"`
			} `json:"clusters"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		counts := map[string]int{}
		for _, r := range rep.Leaked {
			counts[r.Constructor] = r.Count
			if r.SelfSize == 0 || r.RetainedSize < r.SelfSize {
				t.Errorf("%s: sizes %d/%d", r.Constructor, r.SelfSize, r.RetainedSize)
			}
		}
		for _, class := range []string{"Order", "Subscriber", "Poller", "AuditEntry", "PendingReq"} {
			if counts[class] != 20 {
				t.Errorf("%s: %d leaked, want 20", class, counts[class])
			}
		}
		if len(rep.Clusters) != 5 {
			t.Errorf("%d clusters, want 5", len(rep.Clusters))
		}
		for _, c := range rep.Clusters {
			if c.Count != 20 || c.RetainedSize == 0 || len(c.Path) < 2 || len(c.IDs) == 0 {
				t.Errorf("cluster %s: %+v", c.Constructor, c)
				continue
			}
			last := c.Path[len(c.Path)-1]
			if c.Constructor == "Order" && (last.File == nil || !strings.HasSuffix(*last.File, "leaks.js") || last.Line == nil || *last.Line != 39 || *last.Column != 14) {
				t.Errorf("Order's last hop lacks its position: %+v", last)
			}
			if c.Path[0].ID == 0 || c.Path[0].Edge == "" {
				t.Errorf("cluster %s: first hop %+v", c.Constructor, c.Path[0])
			}
		}
	})

	t.Run("diff no leak", func(t *testing.T) {
		code, out, errOut := run("snapshot", "diff", "--quiet", clean[0], clean[1], clean[2])
		if code != exitClean || !strings.Contains(out, "No leaks") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
		}
	})

	t.Run("diff min-count", func(t *testing.T) {
		// The threshold counts the objects a cluster holds: 20 Orders
		// holding 20 arrays are 40 objects, 20 audit entries are 20, and
		// the largest cluster (20 timers holding a closure, a request and
		// an object each) is 80.
		if code, out, _ := run("snapshot", "diff", "--quiet", "--min-count", "81", base, target, final); code != exitClean || !strings.Contains(out, "No leaks") || !strings.Contains(out, "Left out by --min-count") {
			t.Errorf("--min-count 81: exit %d\n%s", code, out)
		}
		if code, out, _ := run("snapshot", "diff", "--quiet", "--min-count", "21", base, target, final); code != exitFindings || !strings.Contains(out, "20 × Order") || strings.Contains(out, "AuditEntry") || !strings.Contains(out, "Left out by --min-count") {
			t.Errorf("--min-count 21: exit %d\n%s", code, out)
		}
	})

	t.Run("diff two snapshots", func(t *testing.T) {
		code, out, _ := run("snapshot", "diff", "--quiet", "--format", "json", "--top", "0", base, target)
		if code != exitClean {
			t.Fatalf("exit %d", code)
		}
		var c analysis.Comparison
		if err := json.Unmarshal([]byte(out), &c); err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(c.Classes, func(r analysis.ClassDelta) bool { return r.Constructor == "Order" })
		if i < 0 || c.Classes[i].New != 20 || c.Classes[i].Delta != 20 {
			t.Errorf("Order row: %+v", c.Classes)
		}
		code, out, _ = run("snapshot", "diff", "--quiet", base, target)
		if code != exitClean || !strings.Contains(out, "Order") || !strings.Contains(out, "SIZE DELTA") {
			t.Errorf("text comparison: exit %d\n%s", code, out)
		}
		baseline := filepath.Join(t.TempDir(), "leakls-baseline.json")
		if code, _, errOut := run("snapshot", "diff", "--quiet", "--baseline", baseline, "--update-baseline", base, target); code != exitError || !strings.Contains(errOut, "give three snapshots") {
			t.Errorf("--baseline with two snapshots: exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("summary", func(t *testing.T) {
		code, out, _ := run("snapshot", "summary", "--quiet", "--top", "3", final)
		if code != exitClean || !strings.Contains(out, "Top classes") || !strings.Contains(out, "Top holders") {
			t.Errorf("exit %d\n%s", code, out)
		}
		code, out, _ = run("snapshot", "summary", "--quiet", "--format", "json", "--semantics", "devtools", final)
		var sum analysis.Summary
		if err := json.Unmarshal([]byte(out), &sum); err != nil || code != exitClean {
			t.Fatalf("exit %d: %v", code, err)
		}
		if sum.Semantics != "devtools" || len(sum.Classes) != 10 || len(sum.Holders) != 10 || sum.Nodes == 0 {
			t.Errorf("summary: %+v", sum)
		}
	})

	t.Run("path", func(t *testing.T) {
		_, out, _ := run("snapshot", "diff", "--format", "json", "--quiet", base, target, final)
		var rep analysis.LeakReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var id uint32
		for _, c := range rep.Clusters {
			if c.Constructor == "Order" {
				id = c.IDs[0]
			}
		}
		// Flags may follow the file.
		code, out, errOut := run("snapshot", "path", final, "--id", fmt.Sprint(id), "--quiet")
		if code != exitClean || !strings.Contains(out, "var orderCache") || !strings.Contains(out, fmt.Sprintf("Order (object) @%d", id)) {
			t.Errorf("exit %d\n%s%s", code, out, errOut)
		}
		code, out, _ = run("snapshot", "path", "--format=json", "--quiet", "--id", fmt.Sprint(id), final)
		var h analysis.Holder
		if err := json.Unmarshal([]byte(out), &h); err != nil || code != exitClean {
			t.Fatalf("exit %d: %v", code, err)
		}
		if h.ID != id || h.Name != "Order" || len(h.Path) == 0 || h.Path[len(h.Path)-1].ID != id {
			t.Errorf("path json: %+v", h)
		}
	})

	t.Run("errors", func(t *testing.T) {
		dir := t.TempDir()
		empty := filepath.Join(dir, "empty.heapsnapshot")
		notSnapshot := filepath.Join(dir, "package.json")
		missing := filepath.Join(dir, "missing.heapsnapshot")
		os.WriteFile(empty, nil, 0o644)
		os.WriteFile(notSnapshot, []byte(`{"name": "x", "version": "1.0.0"}`), 0o644)
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"snapshot"}, "missing subcommand"},
			{[]string{"snapshot", "frob"}, `unknown subcommand "frob"`},
			{[]string{"snapshot", "summary"}, "exactly one FILE"},
			{[]string{"snapshot", "summary", missing}, missing},
			{[]string{"snapshot", "summary", empty}, empty},
			{[]string{"snapshot", "summary", notSnapshot}, notSnapshot},
			{[]string{"snapshot", "summary", "--format", "xml", final}, "unknown --format"},
			{[]string{"snapshot", "summary", "--semantics", "chromium", final}, "semantics"},
			{[]string{"snapshot", "summary", "--top", "-1", final}, "--top"},
			{[]string{"snapshot", "diff", base}, "two snapshot files or more"},
			{[]string{"snapshot", "diff", base, target, final, final}, "given twice"},
			{[]string{"snapshot", "diff", base, target, empty}, empty},
			{[]string{"snapshot", "diff", base, missing, final}, missing},
			{[]string{"snapshot", "diff", target, base, final}, "BASELINE TARGET FINAL"},
			{[]string{"snapshot", "path", final}, "--id N is required"},
			{[]string{"snapshot", "path", "--id", "2", final}, "no object with id 2"},
			{[]string{"snapshot", "path", "--id", "x", final}, "invalid value"},
		} {
			code, out, errOut := run(append(tc.args, "--quiet")...)
			if tc.args[len(tc.args)-1] == "snapshot" {
				code, out, errOut = run(tc.args...)
			}
			if code != exitError || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errOut, tc.want)
			}
		}
	})

	t.Run("help", func(t *testing.T) {
		for _, sub := range []string{"summary", "diff", "path"} {
			code, out, errOut := run("snapshot", sub, "--help")
			if code != exitClean || !strings.Contains(out+errOut, "usage: leakls snapshot "+sub) || !strings.Contains(out+errOut, "-semantics") {
				t.Errorf("%s --help: exit %d\n%s%s", sub, code, out, errOut)
			}
		}
	})
}
