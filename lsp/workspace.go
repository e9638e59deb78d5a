package lsp

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	ignore "github.com/sabhiram/go-gitignore"

	"github.com/leakls/leakls/config"
	"github.com/leakls/leakls/internal/relpath"
)

// Workspace limits: beyond them the server stops scanning and says so in
// its log, rather than exhausting inotify watches or memory.
const (
	maxWatchedDirs  = 8192
	maxScannedFiles = 20000
)

// sourceExts are the extensions of the JavaScript and TypeScript files the
// server analyses.
var sourceExts = map[string]bool{
	".js": true, ".mjs": true, ".cjs": true, ".jsx": true,
	".ts": true, ".mts": true, ".cts": true, ".tsx": true,
}

// isSource reports whether path is a JavaScript or TypeScript source file
// (declaration files hold no code and are not).
func isSource(path string) bool {
	base := filepath.Base(path)
	if strings.HasSuffix(base, ".d.ts") || strings.HasSuffix(base, ".d.mts") || strings.HasSuffix(base, ".d.cts") {
		return false
	}
	return sourceExts[filepath.Ext(base)]
}

// workspaceFilter decides which directories under the root the server
// scans and watches: not node_modules, not hidden directories, not what the
// root .gitignore or the configuration's ignore globs exclude.
type workspaceFilter struct {
	root string
	git  *ignore.GitIgnore // nil without a .gitignore
	cfg  *config.Config
}

func newWorkspaceFilter(root string, cfg *config.Config) *workspaceFilter {
	f := &workspaceFilter{root: root, cfg: cfg}
	if gi, err := ignore.CompileIgnoreFile(filepath.Join(root, ".gitignore")); err == nil {
		f.git = gi
	}
	return f
}

// skipDir reports whether the directory at path is left out.
func (f *workspaceFilter) skipDir(path string) bool {
	if path == f.root {
		return false
	}
	name := filepath.Base(path)
	if name == "node_modules" || strings.HasPrefix(name, ".") {
		return true
	}
	return f.ignored(path, true)
}

// ignored reports whether .gitignore or the configuration excludes path.
func (f *workspaceFilter) ignored(path string, dir bool) bool {
	if f.cfg.Ignored(path) {
		return true
	}
	if f.git == nil {
		return false
	}
	rel, ok := relpath.Under(f.root, path)
	if !ok {
		return false
	}
	if dir {
		rel += "/"
	}
	return f.git.MatchesPath(rel)
}

// isProfile reports whether path is a sampling heap profile, as
// node --heap-prof names them.
func isProfile(path string) bool { return filepath.Ext(path) == ".heapprofile" }

// workspaceFiles are the files and directories a scan found.
type workspaceFiles struct {
	dirs      []string // to watch
	sources   []string // JavaScript and TypeScript files to analyse
	snapshots []string // heap snapshots (per the snapshots setting)
	profiles  []string // sampling heap profiles (see isProfile)
}

// scan walks dir and returns what it holds. logf reports the limits
// reached.
func (f *workspaceFilter) scan(dir string, isSnapshot func(string) bool, logf func(string, ...any)) workspaceFiles {
	var found workspaceFiles
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == dir {
				logf("scanning %s: %v", dir, err)
			}
			return nil
		}
		if d.IsDir() {
			if f.skipDir(path) {
				return filepath.SkipDir
			}
			if len(found.dirs) == maxWatchedDirs {
				logf("more than %d directories under %s: the rest are not watched (ignore generated trees in leakls.json)", maxWatchedDirs, f.root)
				return filepath.SkipAll
			}
			found.dirs = append(found.dirs, path)
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		switch {
		case isSnapshot(path):
			found.snapshots = append(found.snapshots, path)
		case isProfile(path):
			found.profiles = append(found.profiles, path)
		case isSource(path) && !f.ignored(path, false):
			if len(found.sources) == maxScannedFiles {
				logf("more than %d source files under %s: the rest are analysed only when opened", maxScannedFiles, f.root)
				return filepath.SkipAll
			}
			found.sources = append(found.sources, path)
		}
		return nil
	})
	return found
}

// isDir reports whether path is a directory (following symlinks).
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}
