package lsp

import "os"

// stdio joins standard input and the protocol's output into one stream.
type stdio struct {
	in  *os.File
	out *os.File
}

func (s stdio) Read(p []byte) (int, error)  { return s.in.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.out.Write(p) }

// Close closes both ends.
func (s stdio) Close() error {
	errIn := s.in.Close()
	if err := s.out.Close(); err != nil {
		return err
	}
	return errIn
}
