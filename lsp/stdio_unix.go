//go:build unix

package lsp

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// Stdio returns standard input and output as one stream for Serve, and
// points file descriptor 1 at standard error first, so that nothing else in
// the process (a stray print in any package, a C library) can write into the
// protocol stream: only the returned stream reaches the real stdout.
func Stdio() (io.ReadWriteCloser, error) {
	out, err := unix.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("duplicating stdout for the protocol stream: %w", err)
	}
	unix.CloseOnExec(out)
	if err := unix.Dup2(2, 1); err != nil {
		unix.Close(out)
		return nil, fmt.Errorf("pointing stdout at stderr: %w", err)
	}
	// A non-blocking stdin is served by Go's poller, so closing the stream
	// after exit ends a pending read even while the client keeps its end of
	// the pipe open (Neovim does). A terminal or file that refuses the mode
	// is read with blocking calls, as before.
	in := os.Stdin
	if err := unix.SetNonblock(0, true); err == nil {
		in = os.NewFile(0, "protocol-stdin")
	}
	return stdio{in, os.NewFile(uintptr(out), "protocol-stdout")}, nil
}
