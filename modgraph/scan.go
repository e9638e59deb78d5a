package modgraph

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/evanw/esbuild/pkg/api"
	"golang.org/x/sync/errgroup"

	"github.com/leakls/leakls/finding"
)

// stopEntry is an extra entry point of the scan that fails to resolve on
// purpose. esbuild parses every file and collects its import records
// whether or not errors occur, but links and prints the bundle only when
// that scan had no error; the scan needs nothing after it, and one
// deliberate error skips it.
const stopEntry = "leakls-modgraph:stop-after-scan"

// stopAfterScan is the Detail of the deliberate error, to leave it out of
// the notes.
type stopAfterScan struct{}

// maxParseSize is the largest file the scan hands to esbuild. esbuild's
// parser and visitor recurse once per level of nesting, and a Go stack
// overflow kills the process rather than panicking: a 2 MB file of "(((…"
// does. Measured, the worst constructs ("!!!…", "(((…") cost about 0.75 KB
// of stack per byte of source, so 512 KB keeps any file well under Go's
// 1 GB stack limit. Real modules are far smaller; larger files are almost
// always generated bundles.
const maxParseSize = 512 << 10

// scan parses files with esbuild and records their import records, not yet
// resolved, as l.imports[file]. Syntax errors become notes, and files over
// maxParseSize are noted and not parsed.
func (l *loader) scan(ctx context.Context, files []string) error {
	if l.scanFunc != nil {
		return l.scanWith(ctx, files)
	}
	files = l.parseable(files)
	var mu sync.Mutex
	type edgeKey struct {
		importer, specifier string
		kind                ImportKind
	}
	seen := make(map[edgeKey]bool)
	return l.scanBuild(ctx, files, func(args api.OnResolveArgs) api.OnResolveResult {
		// esbuild calls back once per import record (or per distinct
		// specifier, kind and attributes), in source order within a file;
		// files are parsed concurrently.
		if kind, ok := importKind(args.Kind); ok {
			k := edgeKey{args.Importer, args.Path, kind}
			mu.Lock()
			if !seen[k] {
				seen[k] = true
				l.imports[args.Importer] = append(l.imports[args.Importer], Import{Specifier: args.Path, Kind: kind})
			}
			mu.Unlock()
		}
		return api.OnResolveResult{Path: args.Path, External: true}
	})
}

// scanWith records the imports that Options.Scan lists for files, and
// where their specifiers are. Scan runs on GOMAXPROCS files at a time.
func (l *loader) scanWith(ctx context.Context, files []string) error {
	specs := make([][]Spec, len(files))
	errs := make([]error, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			specs[i], errs[i] = l.scanFunc(gctx, f)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	type edgeKey struct {
		specifier string
		kind      ImportKind
	}
	for i, f := range files {
		if errs[i] != nil {
			l.notes = append(l.notes, Note{File: f, Pos: finding.Pos{Offset: -1}, Text: "not scanned: " + errs[i].Error()})
			continue
		}
		seen := make(map[edgeKey]bool, len(specs[i]))
		for _, s := range specs[i] {
			k := edgeKey{s.Specifier, s.Kind}
			if s.Kind < ESMImport || s.Kind > DynamicImport || seen[k] {
				continue
			}
			seen[k] = true
			l.imports[f] = append(l.imports[f], Import{Specifier: s.Specifier, Kind: s.Kind})
			l.specPos[f] = append(l.specPos[f], s.Pos)
		}
	}
	return nil
}

// noResolveDir is the directory the scan tells esbuild to resolve a file's
// imports from, in place of the file's own: a path that does not exist. The
// scan resolves nothing (every import is external), but esbuild expands a
// non-literal import such as require('./' + name) or
// import(`../${x}.js`) by walking the directory tree under the literal
// prefix, before any plugin is asked: from a module at the project root that
// walked all of node_modules (4.7 s for 300 directories). From a directory
// that does not exist there is nothing to walk, unless the pattern climbs
// more levels than noResolveDir plus the file's own directory are deep.
var noResolveDir = filepath.Join(string(filepath.Separator), strings.Repeat("leakls-modgraph-no-such-directory"+string(filepath.Separator), 16))

// scanBuild runs esbuild over files and stops it after the parse (see
// stopEntry). onImport answers for every import of the files; anything it
// does not declare external is resolved by esbuild from noResolveDir.
// Errors, except the deliberate one, become notes.
func (l *loader) scanBuild(ctx context.Context, files []string, onImport func(api.OnResolveArgs) api.OnResolveResult) error {
	if len(files) == 0 {
		return nil
	}
	scanned := make(map[string]bool, len(files))
	for _, f := range files {
		scanned[f] = true
	}
	onResolve := func(args api.OnResolveArgs) (api.OnResolveResult, error) {
		if args.Kind == api.ResolveEntryPoint {
			return api.OnResolveResult{}, nil
		}
		return onImport(args), nil
	}
	onLoad := func(args api.OnLoadArgs) (api.OnLoadResult, error) {
		if !scanned[args.Path] {
			// Nothing else is resolved to a file; never parse it.
			empty := ""
			return api.OnLoadResult{Contents: &empty, Loader: api.LoaderEmpty}, nil
		}
		src, err := os.ReadFile(args.Path)
		if err != nil {
			return api.OnLoadResult{}, err
		}
		text := string(src)
		return api.OnLoadResult{Contents: &text, Loader: api.LoaderDefault, ResolveDir: filepath.Join(noResolveDir, filepath.Dir(args.Path))}, nil
	}
	opts := l.options()
	opts.EntryPoints = append(slices.Clip(files), stopEntry)
	opts.Plugins = []api.Plugin{{Name: "leakls-modgraph-scan", Setup: func(build api.PluginBuild) {
		stopAtEnd(build)
		build.OnResolve(api.OnResolveOptions{Filter: `.*`, Namespace: "file"}, onResolve)
		build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, onLoad)
	}}}
	res, err := run(ctx, opts)
	if err != nil {
		return err
	}
	l.addNotes(res.Errors)
	return nil
}

// importKind maps esbuild's resolve kinds to ImportKind; entry points and
// CSS imports are not import edges of a JavaScript module. (With ESM
// output esbuild does not report require.resolve.)
func importKind(k api.ResolveKind) (ImportKind, bool) {
	switch k {
	case api.ResolveJSImportStatement:
		return ESMImport, true
	case api.ResolveJSRequireCall:
		return Require, true
	case api.ResolveJSDynamicImport:
		return DynamicImport, true
	}
	return 0, false
}

// parseable returns the files esbuild may parse, noting the others.
func (l *loader) parseable(files []string) []string {
	out := files[:0:0]
	for _, f := range files {
		info, err := os.Stat(f)
		switch {
		case err != nil:
			l.notes = append(l.notes, Note{File: f, Pos: finding.Pos{Offset: -1}, Text: "not read: " + err.Error()})
		case info.Size() > maxParseSize:
			l.notes = append(l.notes, Note{File: f, Pos: finding.Pos{Offset: -1}, Text: fmt.Sprintf("not parsed: %d bytes, over the module graph's limit of %d; its imports are not in the graph", info.Size(), maxParseSize)})
		default:
			out = append(out, f)
		}
	}
	return out
}

// stopAtEnd makes stopEntry fail, for builds that list it as their last
// entry point. It must be installed before any catch-all callback.
func stopAtEnd(build api.PluginBuild) {
	build.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(stopEntry) + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
		return api.OnResolveResult{Errors: []api.Message{{Text: "stop after the scan", Detail: stopAfterScan{}}}}, nil
	})
}

// addNotes keeps esbuild's errors, except the deliberate one, as notes.
func (l *loader) addNotes(errs []api.Message) {
	for _, m := range errs {
		if m.Detail != (stopAfterScan{}) {
			l.notes = append(l.notes, noteOf(m))
		}
	}
}
