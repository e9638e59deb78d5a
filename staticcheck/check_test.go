package staticcheck_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// sourceTree reads the JavaScript/TypeScript files under root.
func sourceTree(tb testing.TB, root string) (files []staticcheck.File, size int) {
	tb.Helper()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "node_modules" && p != root {
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := staticcheck.Language(p); !ok {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if len(src) > syntax.MaxFileSize {
			return nil
		}
		files = append(files, staticcheck.File{Path: p, Src: src})
		size += len(src)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files, size
}

// FuzzCheck feeds arbitrary text, as each kind of file, to all rules at
// once: Check must not fail (a rule panic is an error), findings must lie
// inside the text, and every fix must apply cleanly. The seed corpus is
// every rule's testdata.
func FuzzCheck(f *testing.F) {
	files, _ := sourceTree(f, "testdata")
	exts := []string{".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"}
	for _, file := range files {
		for i, ext := range exts {
			if strings.HasSuffix(file.Path, ext) {
				f.Add(uint8(i), file.Src)
			}
		}
	}
	f.Add(uint8(0), []byte("function f(req,res){bus.on('x',()=>res.end(req.id));setInterval(()=>{},1)}"))
	f.Fuzz(func(t *testing.T, ext uint8, src []byte) {
		path := "fuzz" + exts[int(ext)%len(exts)]
		fs, err := staticcheck.Check(context.Background(), []staticcheck.File{{Path: path, Src: src}}, staticcheck.Options{})
		if errors.Is(err, syntax.ErrTooLarge) || errors.Is(err, syntax.ErrTooComplex) {
			return // a clear error, as documented
		}
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		checkFindings(t, src, fs)
	})
}

// fixedText is the text a fix of a finding produces.
type fixedText struct {
	rule string
	fix  finding.Fix
	text []byte
}

// checkFindings fails t for a finding whose range is not inside src and for
// a fix that does not apply to src; it returns the texts of the fixes that
// apply.
func checkFindings(t *testing.T, src []byte, fs []finding.Finding) []fixedText {
	t.Helper()
	var fixed []fixedText
	for _, fd := range fs {
		r := fd.Range
		if r.Start.Offset < 0 || r.Start.Offset > r.End.Offset || r.End.Offset > len(src) {
			t.Errorf("%s: range %+v outside the %d-byte text", fd.Rule, r, len(src))
		}
		for _, fix := range fd.Fixes {
			text, err := analysistest.Apply(src, fix.Edits)
			if err != nil {
				t.Errorf("%s: fix %q: %v", fd.Rule, fix.Message, err)
				continue
			}
			fixed = append(fixed, fixedText{fd.Rule, fix, text})
		}
	}
	return fixed
}

// BenchmarkCheck runs all rules over the rules' testdata, or over the tree
// named by LEAKLS_BENCH_TREE (a large real-world project), parsing included.
// It reports MB/s (SetBytes) and files/s.
func BenchmarkCheck(b *testing.B) {
	root := "testdata"
	if tree := os.Getenv("LEAKLS_BENCH_TREE"); tree != "" {
		root = tree
	}
	files, size := sourceTree(b, root)
	if len(files) == 0 {
		b.Fatalf("no source files under %s", root)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := staticcheck.Check(context.Background(), files, staticcheck.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(files))*float64(b.N)/b.Elapsed().Seconds(), "files/s")
}

// BenchmarkParse measures parsing alone (tree-sitter and flattening) over
// the same files.
func BenchmarkParse(b *testing.B) {
	root := "testdata"
	if tree := os.Getenv("LEAKLS_BENCH_TREE"); tree != "" {
		root = tree
	}
	files, size := sourceTree(b, root)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			lang, _ := staticcheck.Language(f.Path)
			if _, err := syntax.Parse(context.Background(), lang, f.Src); err != nil {
				b.Fatal(err)
			}
		}
	}
}
