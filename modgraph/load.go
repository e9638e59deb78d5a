package modgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/finding"
)

// Options tunes Load. The zero value loads every source file under the root.
type Options struct {
	// Files, when not empty, lists the files to start from (absolute, or
	// relative to the root) instead of every source file under the root.
	// The workspace files they import are loaded too.
	Files []string
	// Tsconfig, when set, names a tsconfig.json (absolute, or relative to
	// the root) that applies to every file. By default each file uses the
	// nearest tsconfig.json above it, as TypeScript does.
	Tsconfig string
	// Scan, when set, lists the imports of a source file (see TreeImports)
	// in place of esbuild's parse of it: a caller that parses the files
	// anyway (leakls check does, with tree-sitter) saves a second parse.
	// Load calls it concurrently, once for each file of the graph; an
	// error becomes a note on the file, which then has no edges. Only the
	// resolution is then esbuild's.
	Scan func(ctx context.Context, file string) ([]Spec, error)
}

// Load builds the module graph of the workspace at root.
//
// Every JavaScript and TypeScript file under root is an entry point
// (.js .mjs .cjs .jsx .ts .mts .cts .tsx; declaration files, node_modules and
// hidden directories are skipped), unless opts.Files lists the entry points.
// Imports are resolved for platform "node" with esbuild; imports into
// node_modules and of Node built-ins are recorded but not followed.
//
// Load fails only when root cannot be read, an explicit file is missing or
// not a regular file, the tsconfig option is bad, or ctx ends; problems
// inside the workspace (syntax errors, unresolved imports, files over
// 512 KB, which esbuild does not parse) become notes. Its cost is about
// that of one esbuild parse of every file (BenchmarkLoad: 3.4 to 5.7
// CPU-seconds for 3,400 files and 11 MB on a busy shared machine), so a
// language server calls it again when files are added, removed or change
// their imports, debounced and off the request path. With opts.Scan only
// the resolution is left (BenchmarkLoad/given).
func Load(ctx context.Context, root string, opts Options) (*Graph, error) {
	root, err := realAbs("", root)
	if err != nil {
		return nil, fmt.Errorf("workspace root: %w", err)
	}
	var entries []string
	var notes []Note
	if len(opts.Files) > 0 {
		for _, f := range opts.Files {
			p, err := realAbs(root, f)
			if err != nil {
				return nil, fmt.Errorf("entry file: %w", err)
			}
			if info, err := os.Stat(p); err != nil || !info.Mode().IsRegular() {
				return nil, fmt.Errorf("entry file %s is not a regular file; list source files, or leave Files empty to walk the root", f)
			}
			entries = append(entries, p)
		}
		slices.Sort(entries)
		entries = slices.Compact(entries)
	} else if entries, notes, err = walk(ctx, root); err != nil {
		return nil, fmt.Errorf("listing %s: %w", root, err)
	}
	tsconfig := ""
	if opts.Tsconfig != "" {
		if tsconfig, err = realAbs(root, opts.Tsconfig); err != nil {
			return nil, fmt.Errorf("tsconfig option: %w", err)
		}
	}

	l := &loader{
		root:     root,
		tsconfig: tsconfig,
		scanFunc: opts.Scan,
		specPos:  make(map[string][]finding.Pos),
		files:    make(map[string]bool, len(entries)),
		imports:  make(map[string][]Import, len(entries)),
		notes:    notes,
		pkgNames: make(map[string]string),
	}
	// Each round scans the files found so far and resolves their imports;
	// workspace files reached only through an import (outside the root, or
	// not among opts.Files) are scanned in the next round.
	for pending := entries; len(pending) > 0; {
		for _, f := range pending {
			l.files[f] = true
		}
		if err := l.scan(ctx, pending); err != nil {
			return nil, err
		}
		if pending, err = l.resolve(ctx, pending); err != nil {
			return nil, err
		}
	}
	return l.graph(), nil
}

// realAbs makes path absolute (relative to base when base is set) and
// resolves symlinks, because esbuild reports files by their real paths.
func realAbs(base, path string) (string, error) {
	if base != "" && !filepath.IsAbs(path) {
		path = filepath.Join(base, path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// loader builds one Graph. It runs esbuild twice per round, because neither
// of esbuild's outputs alone gives a complete graph for a workspace with
// errors in it:
//
//   - the scan (scan.go) parses every file and lists its import records;
//     a file with a syntax error only loses its own imports;
//   - the resolution (resolve.go) asks esbuild's resolver where each import
//     goes and reads the answers from the build's metafile, which esbuild
//     writes only for a build without errors: it runs over stand-in files
//     holding nothing but the imports, so no syntax or link error can occur,
//     and retries without the imports that failed to resolve.
type loader struct {
	root, tsconfig string

	files    map[string]bool     // source files of the graph
	imports  map[string][]Import // importer → edges, in source order
	notes    []Note
	pkgNames map[string]string // package.json path → its "name"

	// scanFunc is Options.Scan; specPos then holds, parallel to imports,
	// where each specifier is, for the notes of those that fail.
	scanFunc func(ctx context.Context, file string) ([]Spec, error)
	specPos  map[string][]finding.Pos
}

// options returns the esbuild options both passes share.
func (l *loader) options() api.BuildOptions {
	return api.BuildOptions{
		AbsWorkingDir: l.root,
		Bundle:        true,
		Write:         false,
		// Never written: esbuild wants an output directory for several
		// entry points.
		Outdir:   filepath.Join(l.root, ".leakls-modgraph-out"),
		Platform: api.PlatformNode,
		// ESM output accepts top-level await in any module (and is what
		// code splitting needs).
		Format:   api.FormatESModule,
		Tsconfig: l.tsconfig,
		LogLevel: api.LogLevelSilent,
		AbsPaths: api.LogAbsPath | api.MetafileAbsPath,
	}
}

// run runs one esbuild build, canceled when ctx ends.
func run(ctx context.Context, opts api.BuildOptions) (api.BuildResult, error) {
	bctx, cerr := api.Context(opts)
	if cerr != nil {
		return api.BuildResult{}, fmt.Errorf("configuring esbuild: %s", messagesText(cerr.Errors))
	}
	defer bctx.Dispose()
	stop := context.AfterFunc(ctx, bctx.Cancel)
	defer stop()
	res := bctx.Rebuild()
	return res, ctx.Err()
}

func messagesText(ms []api.Message) string {
	texts := make([]string, len(ms))
	for i, m := range ms {
		texts[i] = m.Text
	}
	return strings.Join(texts, "; ")
}

// noteOf turns an esbuild error into a note on the file it points at.
func noteOf(m api.Message) Note {
	n := Note{Pos: finding.Pos{Offset: -1}, Text: m.Text}
	if l := m.Location; l != nil {
		n.File = l.File
		n.Pos.Line = max(l.Line-1, 0)
		n.Pos.Col = l.Column
	}
	return n
}

// packageOfSpecifier returns the package a bare specifier names ("lodash"
// for "lodash/fp", "@scope/pkg" for "@scope/pkg/sub"), or "" for relative,
// absolute, URL and subpath-import ("#x") specifiers.
func packageOfSpecifier(s string) string {
	if s == "" || s[0] == '.' || s[0] == '/' || s[0] == '#' || filepath.IsAbs(s) || strings.Contains(s, ":") {
		return ""
	}
	parts := strings.SplitN(s, "/", 3)
	if s[0] == '@' {
		if len(parts) < 2 || parts[1] == "" {
			return ""
		}
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// installedPackage reports whether path lies inside a node_modules
// directory, and the name of the package it belongs to.
func installedPackage(path string) (string, bool) {
	const nm = string(filepath.Separator) + "node_modules" + string(filepath.Separator)
	i := strings.LastIndex(path, nm)
	if i < 0 {
		return "", false
	}
	return packageOfSpecifier(filepath.ToSlash(path[i+len(nm):])), true
}

// workspacePackage returns the name of the workspace package that a bare
// specifier reached: the specifier's package name when the package.json
// nearest to the resolved file declares that name. Path aliases that merely
// look like package names ("@/lib", "~utils") get "".
func (l *loader) workspacePackage(specifier, resolved string) string {
	name := packageOfSpecifier(specifier)
	if name == "" {
		return ""
	}
	for dir := filepath.Dir(resolved); ; dir = filepath.Dir(dir) {
		if l.packageName(filepath.Join(dir, "package.json")) == name {
			return name
		}
		if parent := filepath.Dir(dir); parent == dir {
			return ""
		}
	}
}

// packageName returns the "name" field of the package.json at path, or ""
// when the file is missing or malformed; results are cached.
func (l *loader) packageName(path string) string {
	if name, ok := l.pkgNames[path]; ok {
		return name
	}
	var pkg struct {
		Name string `json:"name"`
	}
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &pkg) != nil {
		pkg.Name = ""
	}
	l.pkgNames[path] = pkg.Name
	return pkg.Name
}

// graph freezes what was recorded into a Graph.
func (l *loader) graph() *Graph {
	g := &Graph{
		root:      l.root,
		files:     make([]string, 0, len(l.files)),
		imports:   l.imports,
		importers: make(map[string][]string),
		notes:     make(map[string][]Note),
	}
	for f := range l.files {
		g.files = append(g.files, f)
	}
	slices.Sort(g.files)
	for importer, imps := range l.imports {
		for _, imp := range imps {
			if imp.Path != "" {
				g.importers[imp.Path] = append(g.importers[imp.Path], importer)
			}
		}
	}
	for target, from := range g.importers {
		slices.Sort(from)
		g.importers[target] = slices.Compact(from)
	}
	for _, n := range l.notes {
		g.notes[n.File] = append(g.notes[n.File], n)
	}
	return g
}
