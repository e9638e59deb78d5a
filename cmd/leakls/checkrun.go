package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/checkcache"
	"github.com/leakls/leakls/internal/relpath"
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

	req := staticcheck.Request{Rules: rules, LoadGraph: true, Name: displayPath}
	for _, sf := range files {
		req.Files = append(req.Files, staticcheck.File{Path: sf.display, Src: sf.src})
	}
	res, err := staticcheck.NewChecker(0).Check(ctx, req)
	if err != nil {
		return nil, err
	}
	for _, err := range res.Skipped {
		fmt.Fprintf(stderr, "leakls check: skipped %v\n", err)
	}
	if res.GraphErr != nil {
		fmt.Fprintf(stderr, "leakls check: note: no module graph (%v); only relative imports are followed\n", res.GraphErr)
	}
	if cache != nil {
		// Workspace files the checked files import hold facts about them:
		// the result depends on them too.
		deps := make([]checkcache.Dep, len(res.Neighbors))
		for i, p := range res.Neighbors {
			deps[i] = checkcache.FileDep(p)
		}
		if err := cache.Put(key, res.Findings, deps); err != nil {
			fmt.Fprintf(stderr, "leakls check: note: %v\n", err)
		}
	}
	return res.Findings, nil
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

// displayPath returns p relative to the current directory when it lies
// below it, else p.
func displayPath(p string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, ok := relpath.Under(wd, p); ok {
			return filepath.FromSlash(rel)
		}
	}
	return p
}
