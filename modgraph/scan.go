package modgraph

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sync"

	"github.com/evanw/esbuild/pkg/api"

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
// resolved, as l.imports[file]. Every import is declared external to the
// build, so nothing but files is read. Syntax errors become notes, and
// files over maxParseSize are noted and not parsed.
func (l *loader) scan(ctx context.Context, files []string) error {
	files = l.parseable(files)
	if len(files) == 0 {
		return nil
	}
	var mu sync.Mutex
	type edgeKey struct {
		importer, specifier string
		kind                ImportKind
	}
	seen := make(map[edgeKey]bool)
	scanned := make(map[string]bool, len(files))
	for _, f := range files {
		scanned[f] = true
	}
	record := func(args api.OnResolveArgs) (api.OnResolveResult, error) {
		if args.Kind == api.ResolveEntryPoint {
			return api.OnResolveResult{}, nil
		}
		// A file esbuild loaded by itself, such as a match of
		// import(`./locale/${name}.js`), is not scanned here: its imports
		// could not be resolved in this round.
		if !scanned[args.Importer] {
			return api.OnResolveResult{Path: args.Path, External: true}, nil
		}
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
		return api.OnResolveResult{Path: args.Path, External: true}, nil
	}
	opts := l.options()
	opts.EntryPoints = append(slices.Clip(files), stopEntry)
	empty := ""
	opts.Plugins = []api.Plugin{{Name: "leakls-modgraph-scan", Setup: func(build api.PluginBuild) {
		stopAtEnd(build)
		build.OnResolve(api.OnResolveOptions{Filter: `.*`, Namespace: "file"}, record)
		build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
			if scanned[args.Path] {
				return api.OnLoadResult{}, nil // esbuild reads and parses it
			}
			// A match of a template import() that esbuild loads by
			// itself: not parsed, whatever its size.
			return api.OnLoadResult{Contents: &empty, Loader: api.LoaderEmpty}, nil
		})
	}}}
	res, err := run(ctx, opts)
	if err != nil {
		return err
	}
	l.addNotes(res.Errors)
	return nil
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
