package modgraph

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// metafile is the part of esbuild's metafile the graph reads: for each
// input file, its import records in source order.
type metafile struct {
	Inputs map[string]struct {
		Imports []metaImport `json:"imports"`
	} `json:"inputs"`
}

type metaImport struct {
	Path     string `json:"path"`
	Kind     string `json:"kind"`
	Original string `json:"original"`
	External bool   `json:"external"`
}

// metaKinds are the metafile's names of the import kinds.
var metaKinds = map[string]ImportKind{
	"import-statement": ESMImport,
	"require-call":     Require,
	"dynamic-import":   DynamicImport,
}

// pendingEdges lists, per importer, the indices into loader.imports of the
// edges still to resolve.
type pendingEdges map[string][]int

// resolve settles the imports that scan recorded for files and returns the
// workspace source files they reach that are not in the graph yet.
//
// esbuild resolves them in a real bundle build over stand-ins: each file is
// replaced by one import statement, require call or import() per recorded
// edge, at the file's own path (so its tsconfig and package scope apply).
// The stand-ins cannot have syntax or link errors, so the only errors are
// imports that do not resolve; those are marked Unresolved and the build is
// repeated without them, for the metafile that only a clean build yields.
func (l *loader) resolve(ctx context.Context, files []string) ([]string, error) {
	pending, failed := make(pendingEdges), make(pendingEdges)
	why := make(map[string][]api.Message) // parallel to failed
	for _, f := range files {
		for i := range l.imports[f] {
			pending[f] = append(pending[f], i)
		}
	}
	var reached []string
	for len(pending) > 0 {
		res, err := l.resolveBuild(ctx, pending)
		if err != nil {
			return nil, err
		}
		if len(res.Errors) == 0 {
			if reached, err = l.applyMetafile(res.Metafile, pending); err != nil {
				return nil, err
			}
			break
		}
		if !l.dropFailed(res.Errors, pending, failed, why) {
			// No error pointed at an import: nothing can be learned by
			// trying again.
			for f, idx := range pending {
				for _, i := range idx {
					l.imports[f][i].Unresolved = true
				}
			}
			break
		}
	}
	if len(failed) > 0 {
		if l.scanFunc != nil {
			l.noteFailed(failed, why)
		} else if err := l.locate(ctx, failed, why); err != nil {
			return nil, err
		}
	}
	return reached, nil
}

// noteFailed gives the failed imports notes at the positions Options.Scan
// gave their specifiers.
func (l *loader) noteFailed(failed pendingEdges, why map[string][]api.Message) {
	for f, idx := range failed {
		for j, i := range idx {
			l.notes = append(l.notes, Note{File: f, Pos: l.specPos[f][i], Text: why[f][j].Text})
		}
	}
}

// resolveBuild runs the bundle build over the stand-ins of pending.
func (l *loader) resolveBuild(ctx context.Context, pending pendingEdges) (api.BuildResult, error) {
	standIns := make(map[string]string, len(pending))
	files := make([]string, 0, len(pending))
	for f, idx := range pending {
		var b strings.Builder
		for _, i := range idx {
			imp := l.imports[f][i]
			// A JSON string is a valid JavaScript string literal.
			spec, err := json.Marshal(imp.Specifier)
			if err != nil {
				return api.BuildResult{}, fmt.Errorf("quoting import %q of %s: %w", imp.Specifier, f, err)
			}
			switch imp.Kind {
			case Require:
				fmt.Fprintf(&b, "require(%s);\n", spec)
			case DynamicImport:
				fmt.Fprintf(&b, "import(%s);\n", spec)
			default:
				fmt.Fprintf(&b, "import %s;\n", spec)
			}
		}
		standIns[f] = b.String()
		files = append(files, f)
	}
	// One entry imports every stand-in: a single chunk to link. (With a
	// stand-in per entry point, splitting was needed to keep each entry
	// from being linked with all it reaches, and the linker's work per
	// chunk was most of the cost of resolving.)
	slices.Sort(files)
	var entry strings.Builder
	for _, f := range files {
		q, err := json.Marshal(f)
		if err != nil {
			return api.BuildResult{}, fmt.Errorf("quoting path %s: %w", f, err)
		}
		fmt.Fprintf(&entry, "import %s;\n", q)
	}

	load := func(args api.OnLoadArgs) (api.OnLoadResult, error) {
		if src, ok := standIns[args.Path]; ok {
			return api.OnLoadResult{Contents: &src, Loader: api.LoaderJS, ResolveDir: filepath.Dir(args.Path)}, nil
		}
		// Files whose imports are settled already, installed packages,
		// JSON, assets: only their paths matter.
		empty := ""
		return api.OnLoadResult{Contents: &empty, Loader: api.LoaderEmpty}, nil
	}
	opts := l.options()
	opts.Stdin = &api.StdinOptions{Contents: entry.String(), ResolveDir: l.root, Sourcefile: "leakls-modgraph-entry.js", Loader: api.LoaderJS}
	opts.Metafile = true
	opts.Plugins = []api.Plugin{{Name: "leakls-modgraph-resolve", Setup: func(build api.PluginBuild) {
		build.OnLoad(api.OnLoadOptions{Filter: `.*`, Namespace: "file"}, load)
	}}}
	return run(ctx, opts)
}

// dropFailed marks the imports that esbuild could not resolve, takes them
// out of pending and adds them to failed, with esbuild's message in why. It
// reports whether any error pointed at an import of a stand-in; other errors
// become notes as they are.
func (l *loader) dropFailed(errs []api.Message, pending, failed pendingEdges, why map[string][]api.Message) bool {
	found := false
	for _, m := range errs {
		loc := m.Location
		if loc == nil || loc.Line < 1 || loc.Line > len(pending[loc.File]) {
			l.notes = append(l.notes, noteOf(m))
			continue
		}
		// Line n of a stand-in is its n-th pending import.
		i := pending[loc.File][loc.Line-1]
		imp := &l.imports[loc.File][i]
		imp.Unresolved = true
		imp.Package = packageOfSpecifier(imp.Specifier)
		failed[loc.File] = append(failed[loc.File], i)
		// Without its stand-in location, esbuild places the message at
		// the import in the real file (see locate).
		why[loc.File] = append(why[loc.File], api.Message{Text: m.Text})
		found = true
	}
	for f, is := range failed {
		if left := slices.DeleteFunc(pending[f], func(i int) bool { return slices.Contains(is, i) }); len(left) > 0 {
			pending[f] = left
		} else {
			delete(pending, f)
		}
	}
	return found
}

// locate gives the failed imports notes at their real positions, which the
// stand-ins cannot give: it scans the importing files again and hands the
// resolution errors back to esbuild at the imports that failed.
func (l *loader) locate(ctx context.Context, failed pendingEdges, why map[string][]api.Message) error {
	type key struct{ importer, specifier string }
	errs := make(map[key][]api.Message)
	files := make([]string, 0, len(failed))
	for f, idx := range failed {
		for j, i := range idx {
			errs[key{f, l.imports[f][i].Specifier}] = why[f][j : j+1]
		}
		files = append(files, f)
	}
	slices.Sort(files)
	return l.scanBuild(ctx, files, func(args api.OnResolveArgs) api.OnResolveResult {
		if ms, ok := errs[key{args.Importer, args.Path}]; ok {
			return api.OnResolveResult{Errors: ms}
		}
		return api.OnResolveResult{Path: args.Path, External: true}
	})
}

// applyMetafile records where each pending import went, from the metafile
// of a clean build, and returns the newly reached workspace source files.
func (l *loader) applyMetafile(data string, pending pendingEdges) ([]string, error) {
	var meta metafile
	if err := json.Unmarshal([]byte(data), &meta); err != nil {
		return nil, fmt.Errorf("reading esbuild's metafile: %w", err)
	}
	type edgeKey struct {
		specifier string
		kind      ImportKind
	}
	reached := make(map[string]bool)
	for f, idx := range pending {
		in, ok := meta.Inputs[f]
		if !ok || len(in.Imports) != len(idx) {
			return nil, fmt.Errorf("esbuild's metafile lists %d imports for %s, want %d", len(in.Imports), f, len(idx))
		}
		// esbuild lists them in its own order (static imports first): the
		// stand-in has one import per specifier and kind.
		answers := make(map[edgeKey]metaImport, len(in.Imports))
		for _, m := range in.Imports {
			answers[edgeKey{cmp.Or(m.Original, m.Path), metaKinds[m.Kind]}] = m
		}
		for _, i := range idx {
			imp := &l.imports[f][i]
			m, ok := answers[edgeKey{imp.Specifier, imp.Kind}]
			if !ok {
				return nil, fmt.Errorf("esbuild's metafile lacks the %s %q of %s", imp.Kind, imp.Specifier, f)
			}
			l.settle(imp, m)
			if imp.Path != "" && isSource(imp.Path) && !l.files[imp.Path] {
				reached[imp.Path] = true
			}
		}
	}
	return slices.Sorted(maps.Keys(reached)), nil
}

// settle fills in imp from esbuild's answer m.
func (l *loader) settle(imp *Import, m metaImport) {
	switch {
	case m.External:
		// Nothing is declared external in this build: esbuild leaves out
		// Node built-ins (for platform "node") and URLs by itself.
		imp.External = true
		if name := packageOfSpecifier(strings.TrimPrefix(imp.Specifier, "node:")); name != "" {
			imp.Builtin = true
			imp.Package = name
		}
	case !filepath.IsAbs(m.Path):
		// A module in another namespace, such as a data: URL.
		imp.External = true
	default:
		if pkg, ok := installedPackage(m.Path); ok {
			imp.External = true
			imp.Package = pkg
			return
		}
		imp.Path = m.Path
		imp.Package = l.workspacePackage(imp.Specifier, m.Path)
	}
}
