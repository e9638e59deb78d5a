package staticcheck

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/modgraph"
)

// A Checker checks files together with their module-graph neighbours,
// parsing through a cache keyed by path and content hash: a file checked
// again unchanged, as the neighbours of an edited document are, is not
// parsed again. `leakls check` and the language server both check through
// it. It is safe for concurrent use.
type Checker struct {
	cache *parseCache
}

// NewChecker returns a Checker whose parse cache keeps the parsed files
// whose sources total at most budget bytes, dropping the least recently
// used beyond (0: no limit, for a one-shot run). A parsed file takes about
// seven times its source in memory.
func NewChecker(budget int64) *Checker {
	return &Checker{cache: newParseCache(budget)}
}

// Stats returns the counters of the parse cache.
func (c *Checker) Stats() ParseStats { return c.cache.snapshot() }

// Request is what Checker.Check checks.
type Request struct {
	// Files are the files to check; findings are reported for them only.
	// Path names a file in findings; its real path (absolute, symlinks
	// resolved) is how the module graph knows it.
	Files []File
	// Graph is the module graph the neighbours of Files are found in (see
	// Neighbors) and their imports resolved with. When it is nil and
	// LoadGraph is not set, relative imports are resolved among Files, as
	// Check does.
	Graph *modgraph.Graph
	// LoadGraph, when Graph is nil, loads the module graph of Files and
	// the workspace files they import (modgraph.Load from their deepest
	// common directory), listing each file's imports from the trees the
	// check parses anyway.
	LoadGraph bool
	// Overlays holds text by real path that replaces the file on disk
	// when it is a neighbour: an editor's unsaved documents. Other
	// neighbours are read with ReadSource.
	Overlays map[string][]byte
	// MaxFileSize is the size in bytes above which a neighbour is not
	// analysed (SkipReason); zero means MaxFileSize.
	MaxFileSize int64
	// Name names a neighbour, given its real path, in findings' related
	// locations; nil keeps the real path.
	Name func(path string) string
	// Rules to run; nil runs all of Rules().
	Rules []*Rule
}

// Result is the outcome of Checker.Check.
type Result struct {
	// Findings are those of Request.Files, sorted by file, position and
	// rule.
	Findings []finding.Finding
	// Skipped holds, for each of Request.Files that could not be parsed
	// (not JavaScript or TypeScript, syntax.ErrTooLarge,
	// syntax.ErrTooComplex), the error naming it; such a file has no
	// findings.
	Skipped []error
	// Neighbors are the real paths of the files analysed with
	// Request.Files for their cross-file facts. A neighbour that cannot be
	// read or parsed is left out.
	Neighbors []string
	// GraphErr says why the module graph Request.LoadGraph asked for
	// could not be loaded; only relative imports were then followed.
	GraphErr error
}

// Check parses req.Files and their neighbours in the module graph (from
// the cache when unchanged), runs the rules on req.Files with the facts of
// every file (an emitter exported by one file and cleaned up in another,
// a Map evicted by an importer), applies `// leakls-ignore` suppressions,
// and returns the findings of req.Files. It fails only for a cancelled ctx
// or an internal error of a rule.
func (c *Checker) Check(ctx context.Context, req Request) (*Result, error) {
	res := &Result{}
	units, errs := parseEach(ctx, req.Files, c.cache.parse)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var files []checkedFile
	var checked []*Unit
	for i, f := range req.Files {
		if errs[i] != nil {
			res.Skipped = append(res.Skipped, errs[i])
			continue
		}
		files = append(files, checkedFile{real: realPath(f.Path), unit: units[i]})
		checked = append(checked, units[i])
	}
	g := req.Graph
	if g == nil && req.LoadGraph && len(files) > 0 {
		g, res.GraphErr = c.loadGraph(ctx, files, req)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	all := checked
	var resolve func(importer, specifier string) (string, bool)
	if g != nil {
		var nb []*Unit
		nb, res.Neighbors = c.neighbors(ctx, g, files, req)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		all = slices.Concat(checked, nb)
		resolve = graphResolver(g, files, nb, res.Neighbors)
	}
	found, err := checkProgram(ctx, newProgram(all, resolve), checked, req.Rules)
	if err != nil {
		return nil, err
	}
	res.Findings = found
	return res, nil
}

// checkedFile is one of Request.Files, parsed.
type checkedFile struct {
	real string // absolute, symlink-free path
	unit *Unit
}

// neighbors parses the neighbours of files in g and returns them with
// their real paths, in the same order.
func (c *Checker) neighbors(ctx context.Context, g *modgraph.Graph, files []checkedFile, req Request) ([]*Unit, []string) {
	reals := make([]string, len(files))
	for i, f := range files {
		reals[i] = f.real
	}
	paths := Neighbors(g, reals...)
	nb := make([]File, 0, len(paths))
	kept := paths[:0]
	for _, p := range paths {
		if src, err := req.neighborSource(p); err == nil {
			nb = append(nb, File{Path: req.name(p), Src: src})
			kept = append(kept, p)
		}
	}
	units, errs := parseEach(ctx, nb, c.cache.parse)
	var outUnits []*Unit
	var outPaths []string
	for i := range nb {
		if errs[i] == nil {
			outUnits = append(outUnits, units[i])
			outPaths = append(outPaths, kept[i])
		}
	}
	return outUnits, outPaths
}

func (req Request) name(path string) string {
	if req.Name == nil {
		return path
	}
	return req.Name(path)
}

// graphResolver resolves imports through g for units named by their
// Path, given the real path of each.
func graphResolver(g *modgraph.Graph, files []checkedFile, nb []*Unit, nbReal []string) func(importer, specifier string) (string, bool) {
	toReal := make(map[string]string, len(files)+len(nb))
	toName := make(map[string]string, len(files)+len(nb))
	add := func(name, real string) {
		toReal[name] = real
		toName[real] = name
	}
	for _, f := range files {
		add(f.unit.Path, f.real)
	}
	for i, u := range nb {
		add(u.Path, nbReal[i])
	}
	return func(importer, specifier string) (string, bool) {
		to, ok := g.Resolve(toReal[importer], specifier)
		if !ok {
			return "", false
		}
		name, ok := toName[to]
		return name, ok
	}
}

// loadGraph loads the module graph of files, listing the imports of each
// file of the graph from its tree, parsed through the cache (so that the
// check finds them parsed).
func (c *Checker) loadGraph(ctx context.Context, files []checkedFile, req Request) (*modgraph.Graph, error) {
	byReal := make(map[string]*Unit, len(files))
	reals := make([]string, len(files))
	for i, f := range files {
		byReal[f.real] = f.unit
		reals[i] = f.real
	}
	scan := func(ctx context.Context, path string) ([]modgraph.Spec, error) {
		u := byReal[path]
		if u == nil {
			src, err := req.neighborSource(path)
			if err != nil {
				return nil, err
			}
			if u, err = c.cache.parse(ctx, File{Path: req.name(path), Src: src}); err != nil {
				return nil, err
			}
		}
		return modgraph.TreeImports(u.Tree), nil
	}
	return modgraph.Load(ctx, commonDir(reals), modgraph.Options{Files: reals, Scan: scan})
}

// neighborSource returns the text of the neighbour at path: its overlay,
// or the file on disk, unless SkipReason refuses it.
func (req Request) neighborSource(path string) ([]byte, error) {
	limit := req.MaxFileSize
	if limit <= 0 {
		limit = MaxFileSize
	}
	src, ok := req.Overlays[path]
	if !ok {
		var err error
		if src, err = ReadSource(path, limit); err != nil {
			return nil, err
		}
	}
	if reason := SkipReason(src, limit); reason != "" {
		return nil, fmt.Errorf("%s: not analysed: %s", path, reason)
	}
	return src, nil
}

// Neighbors returns the workspace source files of g that paths import,
// directly or through other files, and those that import paths, directly
// or through other files (which re-export them), sorted and without paths
// themselves: the files whose facts the findings of paths may depend on,
// and the files whose findings may depend on paths. Paths are real
// (absolute, symlink-free), as g names files.
func Neighbors(g *modgraph.Graph, paths ...string) []string {
	seen := make(map[string]bool, len(paths))
	for _, p := range paths {
		seen[p] = true
	}
	var out []string
	follow := func(next func(string) []string) {
		queue := slices.Clone(paths)
		visited := make(map[string]bool, len(paths))
		for len(queue) > 0 {
			p := queue[0]
			queue = queue[1:]
			for _, q := range next(p) {
				if visited[q] || !g.Has(q) {
					continue
				}
				visited[q] = true
				queue = append(queue, q)
				if !seen[q] {
					seen[q] = true
					out = append(out, q)
				}
			}
		}
	}
	follow(func(p string) []string {
		var to []string
		for _, imp := range g.Imports(p) {
			if imp.Path != "" {
				to = append(to, imp.Path)
			}
		}
		return to
	})
	follow(g.Importers)
	slices.Sort(out)
	return out
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

// checkProgram runs rules on the units of prog listed in run (every unit's
// facts count, but only these are reported on) and returns their findings
// sorted.
func checkProgram(ctx context.Context, prog *Program, run []*Unit, rules []*Rule) ([]finding.Finding, error) {
	if rules == nil {
		rules = registry
	}
	var (
		mu  sync.Mutex
		out []finding.Finding
	)
	err := inParallel(ctx, len(run), func(ctx context.Context, i int) error {
		fs, err := runRules(ctx, prog, run[i], rules)
		if err != nil {
			return err
		}
		mu.Lock()
		out = append(out, fs...)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	finding.Sort(out)
	return out, nil
}
