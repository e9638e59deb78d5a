package capture

import (
	"os/exec"
	"strconv"
	"syscall"
)

// ownGroup makes cmd start in a process group of its own, so that the
// group can be ended with whatever the program started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// terminateGroup asks the process tree of pid to end: Windows has no
// SIGTERM, taskkill without /F sends the programs a close request.
func terminateGroup(pid int) { exec.Command("taskkill", "/T", "/PID", strconv.Itoa(pid)).Run() }

// killGroup ends the process tree of pid at once.
func killGroup(pid int) { exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(pid)).Run() }
