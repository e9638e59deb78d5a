package modgraph

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

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
}

// Load builds the module graph of the workspace at root.
//
// Every JavaScript and TypeScript file under root is an entry point
// (.js .mjs .cjs .jsx .ts .mts .cts .tsx; declaration files, node_modules and
// hidden directories are skipped), unless opts.Files lists the entry points.
// Imports are resolved for platform "node" with esbuild; imports into
// node_modules and of Node built-ins are recorded but not followed.
//
// Load fails only when root cannot be read, an explicit file does not exist,
// the tsconfig option is bad, or ctx ends; problems inside the workspace
// become notes. Its cost is esbuild's parse of every file (thousands of files
// per second per core), so a language server may call it again after edits.
func Load(ctx context.Context, root string, opts Options) (*Graph, error) {
	root, err := realAbs("", root)
	if err != nil {
		return nil, fmt.Errorf("modgraph: workspace root: %w", err)
	}
	var entries []string
	var notes []Note
	if len(opts.Files) > 0 {
		for _, f := range opts.Files {
			p, err := realAbs(root, f)
			if err != nil {
				return nil, fmt.Errorf("modgraph: entry file: %w", err)
			}
			entries = append(entries, p)
		}
		slices.Sort(entries)
		entries = slices.Compact(entries)
	} else if entries, notes, err = walk(ctx, root); err != nil {
		return nil, fmt.Errorf("modgraph: listing %s: %w", root, err)
	}
	tsconfig := ""
	if opts.Tsconfig != "" {
		if tsconfig, err = realAbs(root, opts.Tsconfig); err != nil {
			return nil, fmt.Errorf("modgraph: tsconfig option: %w", err)
		}
	}

	rec := newRecorder(entries, notes)
	if len(entries) > 0 {
		if err := rec.build(ctx, root, tsconfig); err != nil {
			return nil, err
		}
	}
	return rec.graph(root), nil
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

// recorder collects the graph from esbuild's resolver callbacks. Callbacks
// run concurrently, one goroutine per file being parsed, so every field
// behind mu is guarded.
//
// The graph is recorded from the callbacks rather than read from the build's
// metafile because esbuild only produces a metafile for a build without
// errors: one syntax error anywhere would lose the whole graph.
type recorder struct {
	entries []string

	mu       sync.Mutex
	files    map[string]bool
	imports  map[string][]Import
	seen     map[edgeKey]bool
	notes    []Note
	pkgNames map[string]string // package.json path → its "name"
}

type edgeKey struct {
	importer, specifier string
	kind                ImportKind
}

// resolving marks the nested resolution the plugin asks esbuild for, so that
// the plugin lets that one through to esbuild's own resolver.
type resolving struct{}

func newRecorder(entries []string, notes []Note) *recorder {
	r := &recorder{
		entries:  entries,
		files:    make(map[string]bool, len(entries)),
		imports:  make(map[string][]Import, len(entries)),
		seen:     make(map[edgeKey]bool),
		notes:    notes,
		pkgNames: make(map[string]string),
	}
	for _, e := range entries {
		r.files[e] = true
	}
	return r
}

// build runs esbuild over the entries and records what it resolves.
func (r *recorder) build(ctx context.Context, root, tsconfig string) error {
	points := make([]api.EntryPoint, len(r.entries))
	for i, e := range r.entries {
		// Numbered output names: two entries such as a.ts and a.js would
		// otherwise claim the same output file and fail the build.
		points[i] = api.EntryPoint{InputPath: e, OutputPath: strconv.Itoa(i)}
	}
	bctx, cerr := api.Context(api.BuildOptions{
		EntryPointsAdvanced: points,
		AbsWorkingDir:       root,
		Bundle:              true,
		Write:               false,
		Outdir:              filepath.Join(root, ".leakls-modgraph-out"),
		Platform:            api.PlatformNode,
		Format:              api.FormatESModule,
		Splitting:           true,
		Tsconfig:            tsconfig,
		LogLevel:            api.LogLevelSilent,
		LogLimit:            0,
		AbsPaths:            api.LogAbsPath,
		Plugins:             []api.Plugin{{Name: "leakls-modgraph", Setup: r.setup}},
	})
	if cerr != nil {
		return fmt.Errorf("modgraph: configuring esbuild: %s", messagesText(cerr.Errors))
	}
	defer bctx.Dispose()
	stop := context.AfterFunc(ctx, bctx.Cancel)
	defer stop()
	res := bctx.Rebuild()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, m := range res.Errors {
		r.notes = append(r.notes, noteOf(m))
	}
	return nil
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

// setup installs the one resolver callback: it asks esbuild's resolver where
// each import goes, records the edge, and keeps esbuild from loading
// anything outside the workspace's own sources.
func (r *recorder) setup(build api.PluginBuild) {
	build.OnResolve(api.OnResolveOptions{Filter: `.*`, Namespace: "file"}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
		kind, ok := importKind(args.Kind)
		if !ok || args.PluginData == (resolving{}) {
			return api.OnResolveResult{}, nil
		}
		res := build.Resolve(args.Path, api.ResolveOptions{
			Importer:   args.Importer,
			Namespace:  args.Namespace,
			ResolveDir: args.ResolveDir,
			Kind:       args.Kind,
			With:       args.With,
			PluginData: resolving{},
		})
		imp, out := r.classify(args.Path, kind, res)
		r.add(args.Importer, imp)
		return out, nil
	})
}

// classify turns esbuild's resolution of specifier into the recorded edge
// and the answer given back to esbuild: only workspace source files are
// loaded; everything else is external to the build.
func (r *recorder) classify(specifier string, kind ImportKind, res api.ResolveResult) (Import, api.OnResolveResult) {
	imp := Import{Specifier: specifier, Kind: kind}
	external := api.OnResolveResult{Path: specifier, External: true}
	switch {
	case len(res.Errors) > 0:
		// Handing the errors back makes esbuild report them at the import's
		// position; the build goes on with the other files.
		imp.Unresolved = true
		imp.Package = packageOfSpecifier(specifier)
		return imp, api.OnResolveResult{Errors: res.Errors}
	case res.External:
		// With no "external" option and platform "node", esbuild leaves
		// out only Node built-ins and URLs.
		imp.External = true
		if name := packageOfSpecifier(strings.TrimPrefix(specifier, "node:")); name != "" {
			imp.Builtin = true
			imp.Package = name
		}
		return imp, external
	case res.Namespace != "file":
		// data: URLs and the like: nothing to follow.
		imp.External = true
		return imp, external
	}
	if pkg, ok := installedPackage(res.Path); ok {
		imp.External = true
		imp.Package = pkg
		return imp, external
	}
	imp.Path = res.Path
	imp.Package = r.workspacePackage(specifier, res.Path)
	if !isSource(res.Path) {
		return imp, external
	}
	r.mu.Lock()
	r.files[res.Path] = true
	r.mu.Unlock()
	return imp, api.OnResolveResult{Path: res.Path, Namespace: "file", Suffix: res.Suffix}
}

// importKind maps esbuild's resolve kinds to ImportKind; entry points and
// CSS imports are not import edges of a JavaScript module. (With ESM output,
// which code splitting requires, esbuild does not report require.resolve.)
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

// add records one edge, once per importer, specifier and kind.
func (r *recorder) add(importer string, imp Import) {
	k := edgeKey{importer, imp.Specifier, imp.Kind}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[k] {
		return
	}
	r.seen[k] = true
	r.imports[importer] = append(r.imports[importer], imp)
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
func (r *recorder) workspacePackage(specifier, resolved string) string {
	name := packageOfSpecifier(specifier)
	if name == "" {
		return ""
	}
	for dir := filepath.Dir(resolved); ; dir = filepath.Dir(dir) {
		if r.packageName(filepath.Join(dir, "package.json")) == name {
			return name
		}
		if parent := filepath.Dir(dir); parent == dir {
			return ""
		}
	}
}

// packageName returns the "name" field of the package.json at path, or ""
// when there is none; results are cached.
func (r *recorder) packageName(path string) string {
	r.mu.Lock()
	name, ok := r.pkgNames[path]
	r.mu.Unlock()
	if ok {
		return name
	}
	name = readPackageName(path)
	r.mu.Lock()
	r.pkgNames[path] = name
	r.mu.Unlock()
	return name
}

// graph freezes what was recorded into a Graph.
func (r *recorder) graph(root string) *Graph {
	g := &Graph{
		root:      root,
		files:     make([]string, 0, len(r.files)),
		imports:   r.imports,
		importers: make(map[string][]string),
		notes:     make(map[string][]Note),
	}
	for f := range r.files {
		g.files = append(g.files, f)
	}
	slices.Sort(g.files)
	for importer, imps := range r.imports {
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
	for _, n := range r.notes {
		g.notes[n.File] = append(g.notes[n.File], n)
	}
	return g
}

// readPackageName returns the "name" field of the package.json at path, or
// "" when the file is missing or malformed.
func readPackageName(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var pkg struct {
		Name string `json:"name"`
	}
	if json.Unmarshal(data, &pkg) != nil {
		return ""
	}
	return pkg.Name
}
