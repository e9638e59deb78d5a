package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/finding"
)

// snapshotQuiet is how long a directory's snapshots must stay unchanged
// before they are analysed: a snapshot is written in many chunks, and a set
// is usually written within seconds.
const snapshotQuiet = 400 * time.Millisecond

// SnapshotSet is a group of heap snapshots of one program taken over time:
// baseline (before the suspected leak), target (after exercising it) and,
// optionally, final (after exercising it again, to tell growth from noise).
// A set of one snapshot (written near the heap limit, say) has only
// Final.
type SnapshotSet struct {
	Baseline string // "" for a single snapshot
	Target   string // "" for a single snapshot
	Final    string // "" for a pair
}

// Single reports whether the set is one snapshot, Final.
func (set SnapshotSet) Single() bool { return set.Baseline == "" && set.Final != "" }

// Paths returns the set's files in order.
func (set SnapshotSet) Paths() []string {
	switch {
	case set.Single():
		return []string{set.Final}
	case set.Final == "":
		return []string{set.Baseline, set.Target}
	}
	return []string{set.Baseline, set.Target, set.Final}
}

// SnapshotAnalyzer turns a snapshot set into findings on the source lines
// that hold the memory that grew. report shows progress to the user
// (percent from 0 to 100). It must return when ctx is cancelled.
type SnapshotAnalyzer func(ctx context.Context, set SnapshotSet, report func(message string, percent int)) ([]finding.Finding, error)

// snapshotState is the server's snapshot evidence.
type snapshotState struct {
	timers  map[string]*time.Timer   // per directory, pending quiet periods
	lastSet SnapshotSet              // the set last analysed
	lastSig string                   // its files and modification times
	cancel  context.CancelFunc       // cancels the running analysis
	files   map[string]*fileEvidence // per file key, from the last analysis, following the text
}

// snapshotChanged notes a change to a heap snapshot on disk; the set in its
// directory is analysed once the directory has been quiet for a moment.
func (s *Server) snapshotChanged(path string) {
	dir := filepath.Dir(path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.analyzer == nil {
		return
	}
	if t := s.snap.timers[dir]; t != nil {
		t.Stop()
	}
	s.snap.timers[dir] = time.AfterFunc(snapshotQuiet, func() {
		s.mu.Lock()
		delete(s.snap.timers, dir)
		st := s.settings
		s.mu.Unlock()
		set, ok := groupSnapshots(dir, st.isSnapshot)
		if !ok {
			return
		}
		s.analyzeSnapshots(set, false)
	})
}

// groupSnapshots finds the snapshot set in dir: files whose names contain
// "baseline", "target" and "final" take those roles; otherwise the three
// (or two) most recently modified snapshots are baseline, target and final
// in the order they were written, and a lone snapshot is a set of one.
func groupSnapshots(dir string, isSnapshot func(string) bool) (SnapshotSet, bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return SnapshotSet{}, false
	}
	type snap struct {
		path string
		mod  time.Time
	}
	var snaps []snap
	var set SnapshotSet
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if e.IsDir() || !isSnapshot(path) {
			continue
		}
		info, err := e.Info()
		if err != nil || info.Size() == 0 {
			continue
		}
		snaps = append(snaps, snap{path, info.ModTime()})
		name := strings.ToLower(e.Name())
		switch {
		case strings.Contains(name, "baseline"):
			set.Baseline = path
		case strings.Contains(name, "target"):
			set.Target = path
		case strings.Contains(name, "final"):
			set.Final = path
		}
	}
	if set.Baseline != "" && set.Target != "" {
		return set, true
	}
	switch len(snaps) {
	case 0:
		return SnapshotSet{}, false
	case 1:
		return SnapshotSet{Final: snaps[0].path}, true
	}
	slices.SortStableFunc(snaps, func(a, b snap) int { return a.mod.Compare(b.mod) })
	snaps = snaps[max(0, len(snaps)-3):]
	set = SnapshotSet{Baseline: snaps[0].path, Target: snaps[1].path}
	if len(snaps) == 3 {
		set.Final = snaps[2].path
	}
	return set, true
}

// signature identifies a set's files and their modification times, so that
// an unchanged set is not analysed twice.
func (set SnapshotSet) signature() string {
	var b strings.Builder
	for _, p := range set.Paths() {
		info, err := os.Stat(p)
		if err != nil {
			return ""
		}
		fmt.Fprintf(&b, "%s\x00%d\x00%d\n", p, info.Size(), info.ModTime().UnixNano())
	}
	return b.String()
}

// analyzeSnapshots analyses set in the background with work-done progress
// and publishes its findings, replacing the previous set's. An unchanged set
// is analysed again only when force is set. The returned channel receives
// the outcome (nil, or why the set could not be analysed).
func (s *Server) analyzeSnapshots(set SnapshotSet, force bool) <-chan error {
	done := make(chan error, 1)
	sig := set.signature()
	s.mu.Lock()
	if sig == "" || (!force && sig == s.snap.lastSig) {
		s.mu.Unlock()
		if sig == "" {
			done <- fmt.Errorf("the snapshots %s cannot be read", strings.Join(set.Paths(), ", "))
		} else {
			done <- nil
		}
		return done
	}
	if s.snap.cancel != nil {
		s.snap.cancel()
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.snap.cancel = cancel
	s.snap.lastSig = sig
	s.snap.lastSet = set
	s.mu.Unlock()
	started := s.goBackground(func() {
		defer cancel()
		done <- s.runSnapshotAnalysis(ctx, set)
	})
	if !started {
		done <- fmt.Errorf("the session is over")
	}
	return done
}

// runSnapshotAnalysis runs the analyzer on set and publishes the outcome.
func (s *Server) runSnapshotAnalysis(ctx context.Context, set SnapshotSet) (err error) {
	names := make([]string, 0, 3)
	for _, p := range set.Paths() {
		names = append(names, filepath.Base(p))
	}
	s.mu.Lock()
	analyzer := s.analyzer
	s.mu.Unlock()
	prog := s.startProgress(ctx, "leakls: heap snapshots", "analysing "+strings.Join(names, ", "))
	var found []finding.Finding
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("internal error analysing the snapshots: %v", r)
			}
		}()
		found, err = analyzer(ctx, set, prog.report)
	}()
	if ctx.Err() != nil {
		prog.end("cancelled")
		return ctx.Err()
	}
	if err != nil {
		prog.end("failed: " + err.Error())
		s.logf(protocol.MessageTypeError, "analysing heap snapshots %s: %v", strings.Join(names, ", "), err)
		return err
	}
	prog.end(fmt.Sprintf("%d finding(s)", len(found)))
	s.setSnapshotFindings(found)
	return nil
}

// setSnapshotFindings replaces the snapshot evidence and re-publishes the
// files whose evidence changed.
func (s *Server) setSnapshotFindings(found []finding.Finding) {
	s.mu.Lock()
	byFile := make(map[string][]finding.Finding)
	for _, f := range found {
		path := s.findingPath(f.File)
		if path == "" {
			continue
		}
		f.File = path
		byFile[path] = append(byFile[path], f)
	}
	touched := make(map[string]bool)
	for k := range s.snap.files {
		touched[k] = true
	}
	s.snap.files = make(map[string]*fileEvidence)
	for k, found := range byFile {
		touched[k] = true
		s.snap.files[k] = s.evidenceLocked(k, found)
	}
	s.mu.Unlock()
	for k := range touched {
		s.publish(k)
	}
}

// evidenceLocked returns the evidence found of the file key, in its
// current text. The snapshots describe the file on disk; an editor's text
// that differs from it is one edit away. The caller holds s.mu.
func (s *Server) evidenceLocked(key string, found []finding.Finding) *fileEvidence {
	fs := s.files[key]
	if fs == nil {
		fs = &fileState{doc: newDocument(fileURI(key), "", 0, "")}
		s.files[key] = fs
		s.reloadLocked(key)
	}
	disk := fs.doc
	if fs.open {
		data, err := s.readSource(key)
		if err != nil {
			data = []byte(fs.doc.text)
		}
		disk = newDocument(fs.doc.uri, fs.doc.lang, 0, string(data))
	}
	ev := newFileEvidence(key, disk, found)
	if disk != fs.doc {
		ev = ev.follow(key, fs.doc, []byteEdit{diffEdit(disk.text, fs.doc.text)})
	}
	return ev
}

// setDocLocked makes doc the text of the file key and moves the file's
// snapshot evidence into it: through the edits that made doc from the
// file's text, or through the one edit between the texts. The caller holds
// s.mu.
func (s *Server) setDocLocked(key string, fs *fileState, doc *document) {
	prev := fs.doc
	fs.doc = doc
	ev := s.snap.files[key]
	if ev == nil || ev.doc == doc {
		return
	}
	edits := doc.edits
	if ev.doc != prev || edits == nil {
		edits = []byteEdit{diffEdit(ev.doc.text, doc.text)}
	}
	s.snap.files[key] = ev.follow(key, doc, edits)
}

// findingPath resolves the file of a snapshot finding (an absolute path, a
// file: URL as V8 names ES modules, or a path relative to the workspace) to
// a file key, or "" when it names no file.
func (s *Server) findingPath(file string) string {
	switch {
	case file == "":
		return ""
	case strings.HasPrefix(file, "file:"):
		return filePath(file)
	case filepath.IsAbs(file):
		return filepath.Clean(file)
	case s.root != "":
		return filepath.Join(s.root, file)
	}
	return ""
}

// clearSnapshotFindings drops all snapshot evidence.
func (s *Server) clearSnapshotFindings() {
	s.mu.Lock()
	if s.snap.cancel != nil {
		s.snap.cancel()
	}
	s.snap.lastSig = ""
	s.mu.Unlock()
	s.setSnapshotFindings(nil)
}
