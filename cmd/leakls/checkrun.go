package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/checkcache"
	"github.com/leakls/leakls/modgraph"
	"github.com/leakls/leakls/staticcheck"
)

// manifestNames are the project files that change how imports resolve or
// what a fix offers (a dependency on lru-cache): they are inputs of a check
// run wherever they sit above a checked file.
var manifestNames = []string{"package.json", "tsconfig.json", "jsconfig.json"}

// analyse runs the rules over files (with the workspace files they import,
// for cross-file facts) and returns the findings in files, from the cache
// when an identical run was analysed before.
func analyse(ctx context.Context, files []sourceFile, rules []*staticcheck.Rule, noCache bool, stderr io.Writer) ([]finding.Finding, error) {
	var cache *checkcache.Cache
	var key checkcache.Key
	if !noCache {
		dir, err := checkcache.DefaultDir()
		if err == nil {
			cache, err = checkcache.Open(dir)
		}
		if err != nil {
			fmt.Fprintf(stderr, "leakls check: note: running without the cache: %v\n", err)
		} else {
			key = cacheKey(files, rules)
			if fs, ok := cache.Get(key); ok {
				return fs, nil
			}
		}
	}

	// Every file is parsed once, here: the module graph lists imports from
	// the same trees the rules run on.
	files, units, err := parseAll(ctx, files, stderr)
	if err != nil {
		return nil, err
	}
	abs := make([]string, len(files))
	byAbs := make(map[string]string, len(files))             // abs → display path
	toAbs := make(map[string]string, len(files))             // display → abs
	parsed := make(map[string]*staticcheck.Unit, len(files)) // abs → unit
	requested := make(map[string]bool, len(files))
	for i, sf := range files {
		abs[i] = sf.abs
		byAbs[sf.abs] = sf.display
		toAbs[sf.display] = sf.abs
		parsed[sf.abs] = units[i]
		requested[sf.display] = true
	}

	var deps []checkcache.Dep
	var resolve func(importer, specifier string) (string, bool)
	sc := &importScanner{parsed: parsed, reached: make(map[string]*staticcheck.Unit)}
	graph, err := modgraph.Load(ctx, commonDir(abs), modgraph.Options{Files: abs, Scan: sc.scan})
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		fmt.Fprintf(stderr, "leakls check: note: no module graph (%v); only relative imports are followed\n", err)
	} else {
		// Workspace files the checked files import hold facts about them
		// (an eviction, a removal): analyse them too, without reporting.
		for _, p := range graph.Files() {
			u, ok := sc.reached[p]
			if !ok {
				continue // a checked file, or one that could not be parsed
			}
			byAbs[p] = u.Path
			toAbs[u.Path] = p
			units = append(units, u)
			deps = append(deps, checkcache.FileDep(p))
		}
		resolve = func(importer, specifier string) (string, bool) {
			to, ok := graph.Resolve(toAbs[importer], specifier)
			if !ok {
				return "", false
			}
			d, ok := byAbs[to]
			return d, ok
		}
	}

	all, err := staticcheck.CheckUnits(ctx, units, staticcheck.Options{Rules: rules, Resolve: resolve})
	if err != nil {
		return nil, err
	}
	fs := all[:0]
	for _, f := range all {
		if requested[f.File] {
			fs = append(fs, f)
		}
	}
	if cache != nil {
		if err := cache.Put(key, fs, deps); err != nil {
			fmt.Fprintf(stderr, "leakls check: note: %v\n", err)
		}
	}
	return fs, nil
}

// parseAll parses files in parallel and returns the files it could parse
// with their units. A file the parser gives up on (syntax.ErrTooComplex,
// syntax.ErrTooLarge) is left out with a note on stderr, as oversized files
// are by the walk, so that one hostile file does not stop the whole check.
func parseAll(ctx context.Context, files []sourceFile, stderr io.Writer) ([]sourceFile, []*staticcheck.Unit, error) {
	units := make([]*staticcheck.Unit, len(files))
	errs := make([]error, len(files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, sf := range files {
		g.Go(func() error {
			units[i], errs[i] = staticcheck.ParseFile(gctx, staticcheck.File{Path: sf.display, Src: sf.src})
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, nil, err
	}
	kept, keptUnits := files[:0:0], units[:0]
	for i, sf := range files {
		if errs[i] != nil {
			fmt.Fprintf(stderr, "leakls check: skipped %v\n", errs[i])
			continue
		}
		kept = append(kept, sf)
		keptUnits = append(keptUnits, units[i])
	}
	return kept, keptUnits, nil
}

// importScanner lists the imports of the module graph's files
// (modgraph.Options.Scan) from their syntax trees: those of the checked
// files, parsed already, and those of the workspace files the graph
// reaches from them, which it parses and keeps for the analysis.
type importScanner struct {
	parsed map[string]*staticcheck.Unit // abs → checked file; read-only

	mu      sync.Mutex
	reached map[string]*staticcheck.Unit // abs → file reached by an import
}

func (s *importScanner) scan(ctx context.Context, abs string) ([]modgraph.Spec, error) {
	if u, ok := s.parsed[abs]; ok {
		return modgraph.TreeImports(u.Tree), nil
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > defaultMaxFileSize {
		return nil, fmt.Errorf("over the %s limit", formatSize(defaultMaxFileSize))
	}
	u, err := staticcheck.ParseFile(ctx, staticcheck.File{Path: displayPath(abs), Src: src})
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.reached[abs] = u
	s.mu.Unlock()
	return modgraph.TreeImports(u.Tree), nil
}

// cacheKey hashes every input of a run: the build, the rules, and the path
// and content of every checked file and of every manifest above them.
func cacheKey(files []sourceFile, rules []*staticcheck.Rule) checkcache.Key {
	kb := checkcache.NewKey(buildID())
	for _, r := range rules {
		kb.String("rule", r.ID)
	}
	sorted := slices.Clone(files)
	slices.SortFunc(sorted, func(a, b sourceFile) int { return strings.Compare(a.display, b.display) })
	dirs := make(map[string]bool)
	for _, sf := range sorted {
		kb.String("abs", sf.abs)
		kb.File(sf.display, sf.src)
		for d := filepath.Dir(sf.abs); !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	for _, d := range slices.Sorted(mapKeys(dirs)) {
		for _, name := range manifestNames {
			p := filepath.Join(d, name)
			if data, err := os.ReadFile(p); err == nil {
				kb.File(p, data)
			}
		}
	}
	return kb.Sum()
}

func mapKeys(m map[string]bool) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// buildID identifies the running leakls build for the cache: the version,
// and for development builds (whose version does not change with the code)
// the executable's path, size and modification time.
func buildID() string {
	v := version()
	if !strings.HasPrefix(v, "devel") && !strings.HasSuffix(v, "+dirty") {
		return v
	}
	exe, err := os.Executable()
	if err != nil {
		return v
	}
	info, err := os.Stat(exe)
	if err != nil {
		return v + " " + exe
	}
	return fmt.Sprintf("%s %s %d %d", v, exe, info.Size(), info.ModTime().UnixNano())
}

// commonDir returns the deepest directory containing every path.
func commonDir(paths []string) string {
	dir := filepath.Dir(paths[0])
	for _, p := range paths[1:] {
		for !strings.HasPrefix(p, dir+string(filepath.Separator)) && filepath.Dir(dir) != dir {
			dir = filepath.Dir(dir)
		}
	}
	return dir
}

// displayPath returns p relative to the current directory when it lies
// below it, else p.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return p
}
