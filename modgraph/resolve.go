package modgraph

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
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
	Original string `json:"original"`
	External bool   `json:"external"`
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
		if err := l.locate(ctx, failed, why); err != nil {
			return nil, err
		}
	}
	return reached, nil
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
				return api.BuildResult{}, fmt.Errorf("modgraph: quoting import %q of %s: %w", imp.Specifier, f, err)
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
	slices.Sort(files)
	entries := make([]api.EntryPoint, len(files))
	for i, f := range files {
		// Numbered output names: a.js and a.cjs would otherwise claim the
		// same output file and fail the build.
		entries[i] = api.EntryPoint{InputPath: f, OutputPath: strconv.Itoa(i)}
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
	opts.EntryPointsAdvanced = entries
	opts.Metafile = true
	// One chunk per module at most: without splitting, every entry point
	// would be linked with all the modules it reaches.
	opts.Splitting = true
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
		return nil, fmt.Errorf("modgraph: reading esbuild's metafile: %w", err)
	}
	reached := make(map[string]bool)
	for f, idx := range pending {
		in, ok := meta.Inputs[f]
		if !ok || len(in.Imports) != len(idx) {
			return nil, fmt.Errorf("modgraph: esbuild's metafile lists %d imports for %s, want %d", len(in.Imports), f, len(idx))
		}
		for j, i := range idx {
			imp := &l.imports[f][i]
			m := in.Imports[j]
			if original := cmp.Or(m.Original, m.Path); original != imp.Specifier {
				return nil, fmt.Errorf("modgraph: esbuild's metafile has import %q of %s where %q was expected", original, f, imp.Specifier)
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
