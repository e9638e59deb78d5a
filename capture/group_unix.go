//go:build !windows

package capture

import (
	"os/exec"
	"syscall"
)

// ownGroup makes cmd start in a process group of its own, so that the
// group can be ended with whatever the program started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminateGroup asks the process group led by pid to end (SIGTERM).
func terminateGroup(pid int) { syscall.Kill(-pid, syscall.SIGTERM) }

// killGroup ends the process group led by pid at once (SIGKILL).
func killGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }
