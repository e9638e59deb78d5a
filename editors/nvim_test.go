package editors

import (
	"fmt"
	"os"
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
// go-to-definition landing there, the user commands, and :LeaklsCapture of
// a program running with node --inspect writing its three snapshots into
// the workspace. The script
// (testdata/nvim/e2e.lua) reports each step in a log file.
func TestNeovimPlugin(t *testing.T) {
	nvim := testenv.Command(t, "nvim")
	r := newEditorRun(t, "nvim/e2e.lua")
	plugin, err := filepath.Abs("nvim")
	if err != nil {
		t.Fatal(err)
	}
	logText := r.run(t, []string{
		"XDG_CONFIG_HOME=" + filepath.Join(r.state, "config"),
		"XDG_DATA_HOME=" + filepath.Join(r.state, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(r.state, "cache"),
		"XDG_STATE_HOME=" + filepath.Join(r.state, "state"),
	}, func() string {
		lspLog, _ := os.ReadFile(filepath.Join(r.state, "cache", "nvim", "lsp.log"))
		return "\nlsp.log:\n" + string(lspLog)
	}, nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "--cmd", "set rtp^="+plugin, "-c", "luafile "+r.script)
	waitGone(t, serverPID(t, logText))
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
