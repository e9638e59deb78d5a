// Package srcloc turns the positions V8 reports in heap snapshots (a script
// name, a 0-based line and column) into workspace source locations: the
// script name becomes a file (with its node_modules package, if any), and
// when the file was compiled or bundled, its source map leads to the
// original file, line and column.
//
// Script names come as V8 and Node write them: "file:///abs/x.mjs" with
// percent-escapes for ES modules, "/abs/x.js" for CommonJS, "node:…" for
// Node's own code, "evalmachine.<anonymous>" or "[eval]" for evaluated code,
// and relative names given to vm. Anything that cannot be placed in a file
// is still reported, with its Kind and a Note saying why.
package srcloc

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/relpath"
	"github.com/leakls/leakls/sourcemap"
)

// Kind says who owns the code at a Place.
type Kind int

// Kinds of places.
const (
	// KindUnknown is code with no file: evaluated code, other URLs,
	// relative names that match no file.
	KindUnknown Kind = iota
	// KindUser is a file of the workspace, outside node_modules.
	KindUser
	// KindDependency is a file inside a node_modules directory.
	KindDependency
	// KindInternal is Node's own code ("node:events", "node:internal/…").
	KindInternal
	// KindExternal is a file outside the workspace and outside
	// node_modules.
	KindExternal
)

// String returns the lower-case name of the kind.
func (k Kind) String() string {
	switch k {
	case KindUser:
		return "user"
	case KindDependency:
		return "dependency"
	case KindInternal:
		return "internal"
	case KindExternal:
		return "external"
	default:
		return "unknown"
	}
}

// Place is where a V8 position is in the workspace's sources.
type Place struct {
	// Location is the position to report: in the original source when a
	// source map applied, else in the script that ran. For a file, File is
	// an absolute path; otherwise it is the script name as V8 gave it.
	// Columns are byte columns, and Offset is set, when the text of the
	// file is available (on disk or in the map's sourcesContent);
	// otherwise Col is V8's UTF-16 column and Offset is -1.
	// The range is empty (Start == End): a position, not a span.
	Location finding.Location
	// Rel is Location.File for display: slash-separated and relative to
	// the workspace root for files under it, else as in Location.File.
	Rel string
	// Kind says who owns the code (after source mapping).
	Kind Kind
	// Package and Version identify the npm package of a KindDependency
	// place (Version is "" when its package.json cannot be read).
	Package, Version string
	// Name is the original identifier the source map gives for the
	// position, if any.
	Name string
	// Generated is the position in the code that ran when Location was
	// found through a source map, else nil.
	Generated *finding.Location
	// Note explains a degraded result: why the source map was not used,
	// why no file was found.
	Note string
}

// String formats the place for people as "Rel:line:column", 1-based, the
// form terminals and editors turn into links: "src/store.ts:13:52",
// "node:events:210:7".
func (p Place) String() string {
	st := p.Location.Range.Start
	return fmt.Sprintf("%s:%d:%d", p.Rel, st.Line+1, st.Col+1)
}

// Resolver maps V8 positions to places in one workspace. It caches source
// maps, file texts and package manifests for its whole life, without
// checking the files again: use one Resolver per report (per snapshot
// analysis), not one per server. It is safe for concurrent use.
type Resolver struct {
	// Root is the workspace root (absolute, cleaned).
	Root string
	// realRoot is Root with symbolic links resolved: Node reports real
	// paths for CommonJS modules.
	realRoot string

	mu    sync.Mutex
	maps  map[string]*once[*sourcemap.Map]
	texts map[string]*once[*text]
	pkgs  map[string]*once[pkgInfo]
}

// once is a cache entry computed once, even under concurrent lookups.
type once[T any] struct {
	sync.Once
	v   T
	err error
}

// NewResolver returns a resolver for the workspace at root (a relative root
// is taken from the current directory).
func NewResolver(root string) *Resolver {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = filepath.Clean(root)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = abs
	}
	return &Resolver{
		Root: abs, realRoot: real,
		maps:  map[string]*once[*sourcemap.Map]{},
		texts: map[string]*once[*text]{},
		pkgs:  map[string]*once[pkgInfo]{},
	}
}

// cached returns the entry for key in m, computing it with f the first time.
func cached[T any](r *Resolver, m map[string]*once[T], key string, f func() (T, error)) (T, error) {
	r.mu.Lock()
	e := m[key]
	if e == nil {
		e = &once[T]{}
		m[key] = e
	}
	r.mu.Unlock()
	e.Do(func() { e.v, e.err = f() })
	return e.v, e.err
}

// Locate places the 0-based line and column (UTF-16 code units, as V8
// counts) of the script named script. source is the script's text when
// known (a heap snapshot holds it; it may be truncated) and "" otherwise:
// it serves to find an inline source map when the file is not on disk or
// names no map (code a loader transpiled in memory).
//
// Positions that cannot be placed in a file are still returned, with a
// Kind and a Note; the error is for names that cannot be read at all (empty,
// a Windows path, a malformed file: URL) and negative positions.
func (r *Resolver) Locate(script, source string, line, col int) (Place, error) {
	if line < 0 || col < 0 {
		return Place{}, fmt.Errorf("negative position %d:%d in %q", line, col, script)
	}
	at := finding.Location{File: script, Range: emptyRange(-1, line, col)}
	switch {
	case script == "":
		return Place{}, errors.New("empty script name")
	case strings.HasPrefix(script, "node:"):
		return Place{Location: at, Rel: script, Kind: KindInternal}, nil
	case isWindowsPath(script):
		return Place{}, fmt.Errorf("%q is a Windows path; snapshots taken on Windows cannot be mapped to files here", script)
	case strings.HasPrefix(script, "file:"):
		p, err := fileURLPath(script)
		if err != nil {
			return Place{}, err
		}
		return r.locateFile(p, source, line, col), nil
	case hasScheme(script):
		return Place{Location: at, Rel: script, Kind: KindUnknown,
			Note: fmt.Sprintf("%s is a URL, not a file", script)}, nil
	case filepath.IsAbs(script):
		return r.locateFile(filepath.Clean(script), source, line, col), nil
	}
	// A relative name: vm scripts named by the program, or evaluated code.
	p := filepath.Join(r.Root, filepath.FromSlash(script))
	if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
		return r.locateFile(p, source, line, col), nil
	}
	note := fmt.Sprintf("no file %s under %s", script, r.Root)
	if strings.ContainsAny(script, "<[") {
		note = fmt.Sprintf("%s is code evaluated at run time (vm, eval or node -e), not a file", script)
	}
	return Place{Location: at, Rel: script, Kind: KindUnknown, Note: note}, nil
}

// locateFile places a position in the generated file path, through its
// source map when there is one.
func (r *Resolver) locateFile(path, source string, line, col int) Place {
	gen := r.place(path, line, col, func() (string, bool) { return source, source != "" })
	m, err := cached(r, r.maps, path, func() (*sourcemap.Map, error) { return findMap(path, source) })
	switch {
	case errors.Is(err, sourcemap.ErrNotFound):
		if isTypeScript(path) {
			// V8 ran JavaScript: either Node stripped the types in place
			// (positions hold) or a loader transpiled the file in memory,
			// and its inline map did not survive (a snapshot keeps only
			// the first 1024 characters of a script's text).
			gen.Note = joinNotes(gen.Note, "TypeScript ran without a source map leakls could read; if a loader (tsx, ts-node) transpiled it, the line may be off")
		}
		return gen
	case err != nil:
		gen.Note = joinNotes(gen.Note, "source map not used: "+err.Error())
		return gen
	}
	mp, ok := m.Original(line, col)
	if !ok {
		gen.Note = joinNotes(gen.Note, fmt.Sprintf("the source map %s has no mapping for line %d column %d; showing the generated code", mapName(m), line+1, col+1))
		return gen
	}
	orig := r.placeMapped(m, mp)
	generated := gen.Location
	orig.Generated = &generated
	if mp.Name >= 0 {
		orig.Name = m.Names[mp.Name]
	}
	return orig
}

// isTypeScript reports whether path names a TypeScript file.
func isTypeScript(path string) bool {
	switch filepath.Ext(path) {
	case ".ts", ".mts", ".cts", ".tsx":
		return !strings.HasSuffix(path, ".d.ts")
	}
	return false
}

// findMap finds the source map of the generated file path: by the
// comment in the file on disk, else by the comment in the script text the
// snapshot holds (the file may have been deleted since), else a .map next
// to the file.
func findMap(path, source string) (*sourcemap.Map, error) {
	if _, err := os.Stat(path); err == nil {
		m, err := sourcemap.Find(path, nil)
		if errors.Is(err, sourcemap.ErrNotFound) && source != "" {
			if _, ok := sourcemap.URLComment([]byte(source)); ok {
				return sourcemap.Find(path, []byte(source))
			}
		}
		return m, err
	}
	if source == "" {
		// Only a .map next to the (missing) file can help.
		return sourcemap.Find(path, []byte{})
	}
	return sourcemap.Find(path, []byte(source))
}

// placeMapped places an original position from a source map.
func (r *Resolver) placeMapped(m *sourcemap.Map, mp sourcemap.Mapping) Place {
	p := m.SourcePath(mp.Source)
	if wp, ok := r.webpackPath(p); ok {
		p = wp
	}
	if !filepath.IsAbs(p) {
		// A URL such as webpack://app/src/x.ts: not a file we can open.
		return Place{
			Location: finding.Location{File: p, Range: emptyRange(-1, mp.OrigLine, mp.OrigCol)},
			Rel:      p, Kind: KindUnknown,
			Note: fmt.Sprintf("the source map %s names the source %q, which is not a file path", mapName(m), p),
		}
	}
	embedded := false
	pl := r.place(p, mp.OrigLine, mp.OrigCol, func() (string, bool) {
		text, ok := m.SourceContent(mp.Source)
		embedded = ok
		return text, ok
	})
	if embedded {
		pl.Note += " (the source map embeds its text)"
	}
	return pl
}

// webpackPath resolves a webpack source URL, "webpack://namespace/./src/x.ts"
// (webpack's default naming, relative to its context directory, usually the
// project root) to a file under the workspace root, when that file exists.
func (r *Resolver) webpackPath(source string) (string, bool) {
	rest, ok := strings.CutPrefix(source, "webpack://")
	if !ok {
		return "", false
	}
	_, rel, ok := strings.Cut(rest, "/") // drop the namespace
	if !ok {
		return "", false
	}
	rel, _, _ = strings.Cut(rel, "?") // drop the loaders
	p := filepath.Join(r.Root, filepath.FromSlash(rel))
	if !within(r.Root, p) {
		return "", false
	}
	if st, err := os.Stat(p); err != nil || !st.Mode().IsRegular() {
		return "", false
	}
	return p, true
}

// place builds the Place of a position in the file path, converting the
// UTF-16 column to bytes with the file's text: from disk, else from
// fallback (the text a snapshot or a map holds), called only then.
func (r *Resolver) place(path string, line, col int, fallback func() (string, bool)) Place {
	pl := Place{Rel: r.rel(path), Kind: r.kind(path)}
	pl.Location = finding.Location{File: path, Range: emptyRange(-1, line, col)}
	t, err := cached(r, r.texts, path, func() (*text, error) { return readText(path) })
	if err != nil {
		pl.Note = fmt.Sprintf("%s is not readable: %v", pl.Rel, unwrapPath(err))
		if s, ok := fallback(); ok {
			t = newText(s)
		}
	}
	if t != nil {
		if off, bcol, ok := t.offset(line, col); ok {
			pl.Location.Range = emptyRange(off, line, bcol)
		}
	}
	if pl.Kind == KindDependency {
		info := r.pkg(path)
		pl.Package, pl.Version = info.name, info.version
	}
	return pl
}

// kind classifies a file by where it is.
func (r *Resolver) kind(path string) Kind {
	if inNodeModules(path) {
		return KindDependency
	}
	if within(r.Root, path) || within(r.realRoot, path) {
		return KindUser
	}
	return KindExternal
}

// rel returns path relative to the root, slash-separated, or path itself
// when it is outside the root.
func (r *Resolver) rel(path string) string {
	for _, root := range []string{r.Root, r.realRoot} {
		if rest, ok := relpath.Under(root, path); ok {
			return rest
		}
	}
	return path
}

// within reports whether path is root or inside it.
func within(root, path string) bool {
	_, ok := relpath.Under(root, path)
	return ok
}

func emptyRange(off, line, col int) finding.Range {
	p := finding.Pos{Offset: off, Line: line, Col: col}
	return finding.Range{Start: p, End: p}
}

func mapName(m *sourcemap.Map) string {
	if m.URL == "data:" {
		return "(inline)"
	}
	return m.URL
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// unwrapPath drops the path from a *fs.PathError, which the note already
// names.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileURLPath returns the local path of a file: URL as V8 reports module
// scripts, percent-escapes decoded.
func fileURLPath(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("malformed file URL %q: %v", s, err)
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", fmt.Errorf("file URL %q names host %q; only local files can be mapped", s, u.Host)
	}
	p := filepath.FromSlash(u.Path)
	if isWindowsPath(strings.TrimPrefix(u.Path, "/")) {
		return "", fmt.Errorf("%q is a Windows path; snapshots taken on Windows cannot be mapped to files here", s)
	}
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("file URL %q has no absolute path", s)
	}
	return filepath.Clean(p), nil
}

// isWindowsPath reports whether name is a Windows drive or UNC path
// ("C:\x", "C:/x", `\\server\share`) on a system where it means nothing.
func isWindowsPath(name string) bool {
	if runtime.GOOS == "windows" {
		return false
	}
	if strings.HasPrefix(name, `\\`) {
		return true
	}
	return len(name) >= 3 && name[1] == ':' && (name[2] == '\\' || name[2] == '/') &&
		('a' <= name[0] && name[0] <= 'z' || 'A' <= name[0] && name[0] <= 'Z')
}

// hasScheme reports whether name starts with a URL scheme of two or more
// letters ("https:", "wasm:", "data:").
func hasScheme(name string) bool {
	i := strings.IndexByte(name, ':')
	if i < 2 {
		return false
	}
	for j := 0; j < i; j++ {
		c := name[j]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || j > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return true
}
