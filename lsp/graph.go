package lsp

import (
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/modgraph"
	"github.com/leakls/leakls/staticcheck"
)

const (
	// graphReloadDelay is the quiet period after changes on disk before the
	// module graph is loaded again.
	graphReloadDelay = 500 * time.Millisecond
	// crossFileDelay is how long after an edit the files that import or are
	// imported by the edited one are analysed again: later than the edited
	// file itself, which the user is looking at.
	crossFileDelay = 250 * time.Millisecond
)

// reloadGraphLater loads the workspace module graph again after a quiet
// period; the graph follows the disk, so it is reloaded after saves and
// changes made outside the editor.
func (s *Server) reloadGraphLater(delay time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == "" || s.closed {
		return
	}
	if s.graphT != nil {
		s.graphT.Stop()
	}
	s.graphT = time.AfterFunc(delay, func() { s.goBackground(s.loadGraph) })
}

// loadGraph loads the module graph of the workspace.
func (s *Server) loadGraph() {
	s.mu.Lock()
	root := s.root
	s.mu.Unlock()
	g, err := modgraph.Load(s.ctx, root, modgraph.Options{})
	if err != nil {
		if s.ctx.Err() == nil {
			s.logf(protocol.MessageTypeWarning, "loading the module graph of %s: %v; findings that cross files may be missed", root, err)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.graph = g
	// Open documents may have been judged without the files around them.
	for key, fs := range s.files {
		if fs.open {
			s.scheduleLocked(key, 0)
		}
	}
}

// scheduleNeighborsLocked re-analyses the known files that import the file
// at path or that it imports, directly or not, whose findings may depend
// on it. The caller holds s.mu.
func (s *Server) scheduleNeighborsLocked(path string) {
	if s.graph == nil || path == "" {
		return
	}
	for _, p := range staticcheck.Neighbors(s.graph, path) {
		if s.files[p] != nil {
			s.scheduleLocked(p, crossFileDelay)
		}
	}
}
