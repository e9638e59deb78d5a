package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	gitignore "github.com/sabhiram/go-gitignore"

	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/staticcheck"
)

// walkOptions tune which files a check walk selects.
type walkOptions struct {
	includeNodeModules bool
	maxFileSize        int64
}

// sourceFile is one file selected for checking.
type sourceFile struct {
	display string // path as printed: the argument joined with the path below it
	abs     string // absolute, symlink-free path
	src     []byte
}

// walker collects the JavaScript and TypeScript files named by check's
// arguments. Problems that do not stop the run (skipped files) go to notes;
// I/O errors go to errs.
type walker struct {
	opts  walkOptions
	seen  map[string]bool // abs paths already selected
	files []sourceFile
	notes []string
	errs  []error
	// ignores caches the parsed .gitignore of each directory (nil: none).
	ignores map[string]*gitignore.GitIgnore
}

func newWalker(opts walkOptions) *walker {
	return &walker{opts: opts, seen: make(map[string]bool), ignores: make(map[string]*gitignore.GitIgnore)}
}

// add selects the files of one argument: a file, a directory (walked
// recursively), or a Go-style "dir/..." pattern (the same as dir).
func (w *walker) add(arg string) {
	p := arg
	if p == "..." || strings.HasSuffix(p, "/...") || strings.HasSuffix(p, string(filepath.Separator)+"...") {
		p = strings.TrimSuffix(p, "...")
		if p == "" {
			p = "."
		}
	}
	p = filepath.Clean(p)
	info, err := os.Stat(p)
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("%s: %w", arg, unwrapPathError(err)))
		return
	}
	if !info.IsDir() {
		if _, ok := staticcheck.Language(p); !ok {
			w.errs = append(w.errs, fmt.Errorf("%s: not a JavaScript or TypeScript file (want .js .mjs .cjs .jsx .ts .mts .cts or .tsx)", arg))
			return
		}
		w.addFile(p, info, "")
		return
	}
	before := len(w.files)
	w.walkDir(p)
	if len(w.files) == before && len(w.errs) == 0 {
		w.notes = append(w.notes, fmt.Sprintf("%s: no JavaScript or TypeScript files to check", arg))
	}
}

// walkDir walks root, honouring .gitignore files at every level (including
// those of the repository above root) and skipping node_modules and hidden
// directories.
func (w *walker) walkDir(root string) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("%s: %w", root, err))
		return
	}
	top := gitTop(absRoot)
	// The walk does not follow symlinked directories, so below the root's
	// real path only a symlinked file needs resolving: one EvalSymlinks per
	// file was a tenth of a cold check's system time.
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		realRoot = ""
	}
	// WalkDir does not descend into a root that is a symlink; with a
	// trailing separator the root's lstat follows it.
	walkRoot := root
	if info, err := os.Lstat(root); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		walkRoot = root + string(filepath.Separator)
	}
	err = filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			w.errs = append(w.errs, fmt.Errorf("%s: %w", p, unwrapPathError(err)))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		abs, real := absRoot, realRoot
		if rel, err := filepath.Rel(root, p); err == nil {
			abs = filepath.Join(absRoot, rel)
			if realRoot != "" {
				real = filepath.Join(realRoot, rel)
			}
		} else {
			real = ""
		}
		if d.IsDir() {
			if p != walkRoot {
				name := d.Name()
				if strings.HasPrefix(name, ".") || (name == "node_modules" && !w.opts.includeNodeModules) {
					return fs.SkipDir
				}
				if w.gitIgnored(abs, true, top) {
					return fs.SkipDir
				}
			}
			return nil
		}
		if _, ok := staticcheck.Language(p); !ok || isDeclarationFile(p) {
			return nil
		}
		if w.gitIgnored(abs, false, top) {
			return nil
		}
		info, err := os.Stat(p) // follows symlinks to files
		if err != nil {
			w.errs = append(w.errs, fmt.Errorf("%s: %w", p, unwrapPathError(err)))
			return nil
		}
		if info.IsDir() {
			return nil // a symlink to a directory: not followed
		}
		if d.Type()&fs.ModeSymlink != 0 {
			real = "" // resolved by addFile
		}
		w.addFile(p, info, real)
		return nil
	})
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("%s: %w", root, err))
	}
}

// gitTop returns the directory whose .gitignore is the outermost that
// applies to files under dir: the root of the git repository containing
// dir, or dir itself outside a repository.
func gitTop(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// gitIgnored reports whether the .gitignore of any directory from abs's
// parent up to top ignores abs. A negation ("!x") in a deeper .gitignore
// does not re-include what a shallower one ignores.
func (w *walker) gitIgnored(abs string, isDir bool, top string) bool {
	for d := filepath.Dir(abs); ; d = filepath.Dir(d) {
		if w.matches(d, abs, isDir) {
			return true
		}
		if d == top || filepath.Dir(d) == d {
			return false
		}
	}
}

// matches reports whether the .gitignore in dir ignores abs.
func (w *walker) matches(dir, abs string, isDir bool) bool {
	gi, ok := w.ignores[dir]
	if !ok {
		gi = nil
		p := filepath.Join(dir, ".gitignore")
		if _, err := os.Stat(p); err == nil {
			var cerr error
			gi, cerr = gitignore.CompileIgnoreFile(p)
			if cerr != nil {
				w.notes = append(w.notes, fmt.Sprintf("%s: not used: %v", p, cerr))
				gi = nil
			}
		}
		w.ignores[dir] = gi
	}
	if gi == nil {
		return false
	}
	rel, err := filepath.Rel(dir, abs)
	if err != nil {
		return false
	}
	rel = filepath.ToSlash(rel)
	if isDir {
		rel += "/"
	}
	return gi.MatchesPath(rel)
}

// addFile reads one file and selects it unless it is a duplicate, too large,
// binary, or not a regular file. real is its absolute, symlink-free path
// when the caller knows it, else "".
func (w *walker) addFile(p string, info fs.FileInfo, real string) {
	if !info.Mode().IsRegular() {
		w.notes = append(w.notes, fmt.Sprintf("%s: skipped: not a regular file", p))
		return
	}
	if info.Size() > w.opts.maxFileSize {
		w.notes = append(w.notes, fmt.Sprintf("%s: skipped: %s is over the %s limit (see --max-file-size)", p, units.Bytes(uint64(info.Size())), units.Bytes(uint64(w.opts.maxFileSize))))
		return
	}
	abs := real
	if abs == "" {
		var err error
		if abs, err = filepath.Abs(p); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				abs = real
			}
		}
	}
	if w.seen[abs] {
		return
	}
	src, err := os.ReadFile(p)
	if err != nil {
		w.errs = append(w.errs, fmt.Errorf("%s: %w", p, unwrapPathError(err)))
		return
	}
	if int64(len(src)) > w.opts.maxFileSize { // grew since Stat
		w.notes = append(w.notes, fmt.Sprintf("%s: skipped: over the %s limit (see --max-file-size)", p, units.Bytes(uint64(w.opts.maxFileSize))))
		return
	}
	if staticcheck.IsBinary(src) {
		w.notes = append(w.notes, fmt.Sprintf("%s: skipped: binary file (it contains NUL bytes)", p))
		return
	}
	w.seen[abs] = true
	w.files = append(w.files, sourceFile{display: p, abs: abs, src: src})
}

// isDeclarationFile reports TypeScript declaration files, which hold types
// only and no runtime code.
func isDeclarationFile(p string) bool {
	for _, ext := range []string{".d.ts", ".d.mts", ".d.cts"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return false
}

// unwrapPathError drops the operation and path of an *fs.PathError, whose
// path the caller's message already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
