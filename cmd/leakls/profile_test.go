package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/heapprofile"
	"github.com/leakls/leakls/internal/testenv"
)

// TestProfileCommand profiles heapprofile/testdata/js with real node and
// checks the text and JSON output of leakls profile, and its errors.
func TestProfileCommand(t *testing.T) {
	node := testenv.Node(t)
	root := filepath.Join(testenv.RepoRoot(t), "heapprofile", "testdata", "js")
	dir := t.TempDir()
	if out, err := exec.Command(node, "--heap-prof", "--heap-prof-interval=4096", "--heap-prof-dir="+dir, filepath.Join(root, "main.js")).CombinedOutput(); err != nil {
		t.Fatalf("node --heap-prof: %v\n%s", err, out)
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.heapprofile"))
	if len(found) != 1 {
		t.Fatalf("node wrote %v", found)
	}
	prof := found[0]

	code, out, errOut := run("profile", "--root", root, "--top", "3", prof)
	if code != exitClean {
		t.Fatalf("exit %d; stderr:\n%s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 6 || !strings.Contains(lines[0], "sampled in") || !strings.Contains(lines[3], "buildTable  lib.js:4:") {
		t.Errorf("output is not the header, the table head and 3 sites, buildTable at lib.js:4 first:\n%s", out)
	}

	code, out, errOut = run("profile", prof, "--format", "json", "--root", root)
	var rep heapprofile.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitClean {
		t.Fatalf("json: exit %d, %v; stderr:\n%s", code, err, errOut)
	}
	if len(rep.Sites) == 0 || rep.Sites[0].FunctionName != "buildTable" || rep.Sites[0].Place == nil || rep.Sites[0].Place.Rel != "lib.js" {
		t.Errorf("json top site: %+v", rep.Sites[:min(1, len(rep.Sites))])
	}

	bad := filepath.Join(dir, "x.heapsnapshot")
	if err := os.WriteFile(bad, []byte(`{"snapshot":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"profile", bad}, {"profile"}, {"profile", "--format", "xml", prof}, {"profile", filepath.Join(dir, "none")}} {
		if code, _, errOut := run(args...); code != exitError || !strings.HasPrefix(errOut, "leakls profile: ") {
			t.Errorf("%q: exit %d, stderr %q", args, code, errOut)
		}
	}
}
