package editors

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// buildDir holds the server binary built for the tests; TestMain removes
// it.
var buildDir string

func TestMain(m *testing.M) { testenv.MainInTempDir(m, "leakls-editors-", &buildDir) }

var binary testenv.Once[string]

// leaklsBinary builds the real leakls binary once per test run and returns
// its path. LEAKLS_TEST_BINARY names a prebuilt binary to test instead (a
// release build, or a build from a clean checkout).
func leaklsBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("LEAKLS_TEST_BINARY"); bin != "" {
		return bin
	}
	bin, err := binary.Do("leakls", func() (string, error) {
		bin := filepath.Join(buildDir, "leakls")
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/leakls")
		cmd.Dir = testenv.RepoRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%v\n%s", err, out)
		}
		return bin, nil
	})
	if err != nil {
		t.Fatalf("go build ./cmd/leakls: %v", err)
	}
	return bin
}

// workspace returns a fresh directory holding the leaky source files of
// testdata/workspace and the snapshot-writing program of testdata/snapshots.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, src := range []string{"workspace/leaky.js", "snapshots/server.js", "profile/alloc.js", "profile/table.js"} {
		copyFile(t, filepath.Join("testdata", src), filepath.Join(dir, filepath.Base(src)))
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// An editorRun is a run of an editor on one of testdata's end-to-end
// scripts against the real server, in a fresh workspace.
type editorRun struct {
	ws      string // the workspace (see workspace)
	state   string // a fresh directory for the editor's state and the log
	script  string // the script's absolute path
	logPath string // where the script reports its steps
	env     []string
}

// newEditorRun prepares a run of the script at testdata/name. The script
// finds its inputs in the environment: LEAKLS_BIN (the server binary),
// LEAKLS_WS (the workspace), LEAKLS_NODE (node), LEAKLS_LOG (the log).
func newEditorRun(t *testing.T, name string) *editorRun {
	t.Helper()
	node := testenv.Node(t)
	r := &editorRun{ws: workspace(t), state: t.TempDir()}
	r.logPath = filepath.Join(r.state, "e2e.log")
	var err error
	if r.script, err = filepath.Abs(filepath.Join("testdata", name)); err != nil {
		t.Fatal(err)
	}
	r.env = []string{"LEAKLS_BIN=" + leaklsBinary(t), "LEAKLS_WS=" + r.ws, "LEAKLS_NODE=" + node, "LEAKLS_LOG=" + r.logPath}
	return r
}

// run runs editor with args in the workspace, with env added to the
// environment, bounded by timeout(1) (the editor may hang outside the
// script's error handling) and a context as a second guard. The script
// ends its log with PASS; the test fails otherwise, with the editor's
// output and extra() (nil: nothing more). It returns the log.
func (r *editorRun) run(t *testing.T, env []string, extra func() string, editor string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testenv.Command(t, "timeout"), append([]string{"150", editor}, args...)...)
	cmd.Dir = r.ws
	cmd.Env = append(append(os.Environ(), r.env...), env...)
	out, runErr := cmd.CombinedOutput()
	logText, _ := os.ReadFile(r.logPath)
	t.Logf("steps:\n%s", logText)
	if runErr != nil || !strings.HasSuffix(string(logText), "PASS\n") {
		more := ""
		if extra != nil {
			more = extra()
		}
		t.Fatalf("%s: %v\noutput:\n%s%s", filepath.Base(editor), runErr, out, more)
	}
	return string(logText)
}
