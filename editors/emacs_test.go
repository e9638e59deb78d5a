package editors

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// TestEmacsEglot drives batch Emacs with eglot (Debian's emacs-nox and
// elpa-eglot) against the real server, configured as editors/README.md
// says: the LK002 diagnostic through Flymake on the right line with the
// severity of eglot-workspace-configuration, the once() code action from
// eglot-code-actions applied, the diagnostic gone, hover, then heap
// snapshots written by real node into the workspace, the LK101 evidence on
// the holder line and xref's definition landing there, and the server shut
// down. The script (testdata/emacs/e2e.el) reports each step in a log file.
func TestEmacsEglot(t *testing.T) {
	emacs := testenv.Command(t, "emacs")
	node := testenv.Node(t)
	bin := leaklsBinary(t)
	ws := workspace(t)
	home := t.TempDir()
	logPath := filepath.Join(home, "e2e.log")
	script, err := filepath.Abs(filepath.Join("testdata", "emacs", "e2e.el"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testenv.Command(t, "timeout"), "100", emacs, "--batch", "-Q", "-l", script)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(),
		"HOME="+home, // no user init files, no packages of the user's
		"LEAKLS_BIN="+bin,
		"LEAKLS_WS="+ws,
		"LEAKLS_NODE="+node,
		"LEAKLS_LOG="+logPath,
	)
	out, runErr := cmd.CombinedOutput()
	logText, _ := os.ReadFile(logPath)
	t.Logf("steps:\n%s", logText)
	if runErr != nil || !strings.HasSuffix(string(logText), "PASS\n") {
		t.Fatalf("emacs: %v\noutput:\n%s", runErr, out)
	}
}
