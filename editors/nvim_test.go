package editors

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakls/leakls/internal/testenv"
)

// TestNeovimPlugin drives the real plugin in headless Neovim against the
// real server: an LK002 diagnostic on the right line, hover, the once() code
// action applied by Neovim, the diagnostic gone, then heap snapshots written
// by real node into the workspace, the LK101 evidence (retained-by-variable) on the holder line,
// go-to-definition landing there, and the user commands. The script
// (testdata/nvim/e2e.lua) reports each step in a log file.
func TestNeovimPlugin(t *testing.T) {
	nvim := testenv.Command(t, "nvim")
	node := testenv.Node(t)
	bin := leaklsBinary(t)
	ws := workspace(t)
	state := t.TempDir()
	logPath := filepath.Join(state, "e2e.log")
	script, err := filepath.Abs(filepath.Join("testdata", "nvim", "e2e.lua"))
	if err != nil {
		t.Fatal(err)
	}
	plugin, err := filepath.Abs("nvim")
	if err != nil {
		t.Fatal(err)
	}

	// timeout(1) bounds Neovim even if it hangs outside the script's xpcall;
	// the context is a second guard in case timeout itself is stuck.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, testenv.Command(t, "timeout"), "150", nvim,
		"--headless", "-u", "NONE", "-i", "NONE", "-n",
		"--cmd", "set rtp^="+plugin,
		"-c", "luafile "+script)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(),
		"XDG_CONFIG_HOME="+filepath.Join(state, "config"),
		"XDG_DATA_HOME="+filepath.Join(state, "data"),
		"XDG_CACHE_HOME="+filepath.Join(state, "cache"),
		"XDG_STATE_HOME="+filepath.Join(state, "state"),
		"LEAKLS_BIN="+bin,
		"LEAKLS_WS="+ws,
		"LEAKLS_NODE="+node,
		"LEAKLS_LOG="+logPath,
	)
	cmd.Stdin = nil
	out, runErr := cmd.CombinedOutput()
	logText, _ := os.ReadFile(logPath)
	t.Logf("steps:\n%s", logText)
	if runErr != nil || !strings.HasSuffix(string(logText), "PASS\n") {
		lspLog, _ := os.ReadFile(filepath.Join(state, "cache", "nvim", "lsp.log"))
		t.Fatalf("nvim: %v\noutput:\n%s\nlsp.log:\n%s", runErr, out, lspLog)
	}
	waitGone(t, serverPID(t, string(logText)))
}

// serverPID reads the "pid N" line of the script's log.
func serverPID(t *testing.T, log string) int {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		if rest, ok := strings.CutPrefix(line, "pid "); ok {
			pid, err := strconv.Atoi(rest)
			if err != nil {
				t.Fatalf("bad pid line %q", line)
			}
			return pid
		}
	}
	t.Fatal("the script logged no server pid")
	return 0
}

// waitGone fails the test if the process pid is still running after a
// generous bound: the editor must not leave its server behind.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for range 200 {
		if !running(pid) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Errorf("the server (pid %d) is still running after the editor quit", pid)
}

// running reports whether the process pid exists and is not a zombie (a
// zombie has exited; whether it is reaped depends on the machine's init).
func running(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true // no procfs: trust kill(0)
	}
	// The state follows the parenthesised command name.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
