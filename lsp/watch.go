package lsp

import (
	"path/filepath"

	"github.com/fsnotify/fsnotify"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/config"
)

// startWorkspace scans the workspace root: source files not open in the
// editor are analysed in the background, heap snapshots already present are
// analysed, the newest allocation profile is read, and every directory is
// watched with fsnotify (editors such as Neovim 0.7 do not offer file
// watching), recursively by adding directories as they appear.
func (s *Server) startWorkspace() {
	s.mu.Lock()
	root, st := s.root, s.settings
	s.mu.Unlock()
	if root == "" || !isDir(root) {
		return
	}
	filter := newWorkspaceFilter(root, st.cfg)
	w, err := fsnotify.NewWatcher()
	if err != nil {
		s.logf(protocol.MessageTypeWarning, "cannot watch the workspace (%v): changes made outside the editor are not seen", err)
		w = nil
	}
	s.loadGraph()
	found := s.addTree(w, filter, root, st)
	if w == nil {
		return
	}
	s.goBackground(func() { s.watchLoop(w, filter) })
	s.logf(protocol.MessageTypeInfo, "watching %d directories under %s (%d source files, %d heap snapshots, %d allocation profiles)",
		len(found.dirs), root, len(found.sources), len(found.snapshots), len(found.profiles))
}

// addTree scans dir, watches its directories, analyses its source files
// and takes note of its heap snapshots and allocation profiles. It returns
// what it found.
func (s *Server) addTree(w *fsnotify.Watcher, filter *workspaceFilter, dir string, st *settings) workspaceFiles {
	logf := func(format string, args ...any) { s.logf(protocol.MessageTypeWarning, format, args...) }
	found := filter.scan(dir, st.isSnapshot, logf)
	if w != nil {
		for _, d := range found.dirs {
			if err := w.Add(d); err != nil {
				s.logf(protocol.MessageTypeWarning, "watching %s: %v (raise fs.inotify.max_user_watches, or ignore generated trees in leakls.json)", d, err)
				break
			}
		}
	}
	s.mu.Lock()
	for _, p := range found.sources {
		if s.files[p] == nil {
			s.files[p] = &fileState{doc: newDocument(fileURI(p), "", 0, "")}
			s.reloadLocked(p)
		}
	}
	s.mu.Unlock()
	for _, p := range found.snapshots {
		s.snapshotChanged(p)
	}
	for _, p := range found.profiles {
		s.profileChanged(p)
	}
	return found
}

// watchLoop handles file system events until the session ends.
func (s *Server) watchLoop(w *fsnotify.Watcher, filter *workspaceFilter) {
	defer w.Close()
	for {
		select {
		case <-s.ctx.Done():
			return
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			s.logf(protocol.MessageTypeWarning, "watching the workspace: %v", err)
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			s.fileEvent(w, filter, ev)
		}
	}
}

// fileEvent reacts to one change on disk.
func (s *Server) fileEvent(w *fsnotify.Watcher, filter *workspaceFilter, ev fsnotify.Event) {
	path := filepath.Clean(ev.Name)
	s.mu.Lock()
	st := s.settings
	s.mu.Unlock()
	switch {
	case filepath.Dir(path) == filter.root && filepath.Base(path) == config.FileName:
		s.configure(nil)
	case st.isSnapshot(path):
		s.snapshotChanged(path)
	case isProfile(path):
		s.profileChanged(path)
	case ev.Has(fsnotify.Create) && isDir(path):
		if !filter.skipDir(path) {
			s.addTree(w, filter, path, st)
		}
	case isSource(path) && !filter.ignored(path, false):
		s.mu.Lock()
		fs := s.files[path]
		if fs == nil {
			fs = &fileState{doc: newDocument(fileURI(path), "", 0, "")}
			s.files[path] = fs
		}
		// The editor's text wins over the disk's while the file is open.
		s.reloadLocked(path)
		s.scheduleNeighborsLocked(path)
		s.mu.Unlock()
		s.reloadGraphLater(graphReloadDelay)
	}
}
