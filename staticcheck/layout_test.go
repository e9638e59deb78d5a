package staticcheck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/staticcheck"
)

// TestLayoutKeepsFindings checks each rule's testdata twice, printed by
// esbuild as a minified bundle would be (every file on one line) and a
// statement a line, and wants the same findings but for their positions.
func TestLayoutKeepsFindings(t *testing.T) {
	dirs, err := filepath.Glob("testdata/LK00*")
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, dir := range dirs {
		oneLine, lines := printed(t, dir, true), printed(t, dir, false)
		if n, m := lineCount(oneLine), lineCount(lines); n*5 > m {
			t.Fatalf("%s: %d lines minified, %d printed a statement a line: not a minified layout", dir, n, m)
		}
		got, want := layoutFree(t, oneLine), layoutFree(t, lines)
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings on one line:\n%s\nfindings a statement a line:\n%s", dir, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		total += len(want)
	}
	if total < 50 {
		t.Fatalf("only %d findings over the testdata: the fixtures did not survive esbuild", total)
	}
}

func lineCount(files []staticcheck.File) int {
	n := 0
	for _, f := range files {
		n += strings.Count(string(f.Src), "\n")
	}
	return n
}

// printed returns the JavaScript and TypeScript files of dir as esbuild
// prints them, minified to one line or one statement a line.
func printed(t *testing.T, dir string, oneLine bool) []staticcheck.File {
	t.Helper()
	loaders := map[string]api.Loader{
		".js": api.LoaderJS, ".cjs": api.LoaderJS, ".mjs": api.LoaderJS, ".jsx": api.LoaderJSX,
		".ts": api.LoaderTS, ".cts": api.LoaderTS, ".mts": api.LoaderTS, ".tsx": api.LoaderTSX,
	}
	var files []staticcheck.File
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		loader, ok := loaders[filepath.Ext(p)]
		if err != nil || d.IsDir() || !ok {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		res := api.Transform(string(src), api.TransformOptions{
			Loader: loader, MinifyWhitespace: oneLine, JSX: api.JSXPreserve, Sourcefile: p,
		})
		if len(res.Errors) > 0 {
			return nil // the fixtures of syntax errors
		}
		files = append(files, staticcheck.File{Path: p, Src: res.Code})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// layoutFree returns the findings of files without what depends on the
// layout: positions, and the text of fix edits (their indentation).
func layoutFree(t *testing.T, files []staticcheck.File) []string {
	t.Helper()
	fs, err := staticcheck.Check(context.Background(), files, staticcheck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		s := fmt.Sprintf("%s %s %s %q", f.File, f.Rule, f.Severity, f.Message)
		for _, r := range f.Related {
			s += fmt.Sprintf(" related %s %q", r.Location.File, r.Message)
		}
		for _, fix := range f.Fixes {
			s += fmt.Sprintf(" fix %q with %d edits", fix.Message, len(fix.Edits))
		}
		out[i] = s
	}
	return out
}
