//go:build !unix

package lsp

import (
	"io"
	"os"
)

// Stdio returns standard input and output as one stream for Serve. On
// systems without dup2, stray writes to stdout are not redirected.
func Stdio() (io.ReadWriteCloser, error) { return stdio{os.Stdin, os.Stdout}, nil }
