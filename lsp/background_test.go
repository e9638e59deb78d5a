package lsp

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a log writer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (w *syncBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *syncBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

func TestBackgroundPanicIsLogged(t *testing.T) {
	var log syncBuffer
	s := New(Options{Log: &log})
	if !s.goBackground(func() { panic("boom") }) {
		t.Fatal("goBackground refused work on an open session")
	}
	s.wg.Wait()
	if got := log.String(); !strings.Contains(got, "internal error in background work: boom") {
		t.Errorf("log = %q, want the recovered panic", got)
	}
}
