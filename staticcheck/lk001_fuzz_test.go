package staticcheck_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/syntax"
)

// fuzzExts are the extensions a fuzz input is checked as; the first fuzz
// argument picks one.
var fuzzExts = []string{".js", ".cjs", ".mjs", ".jsx", ".ts", ".tsx"}

// FuzzLeakRules feeds arbitrary text to LK001, LK005, LK006 and LK007:
// no panic, every finding inside the text, every fix a set of edits that
// applies cleanly and, when the text parses without errors, a fixed text
// that does too. The seed corpus is the rules' testdata.
func FuzzLeakRules(f *testing.F) {
	for _, dir := range []string{"testdata/LK001", "testdata/LK005", "testdata/LK006", "testdata/LK007"} {
		files, _ := sourceTree(f, dir)
		for _, file := range files {
			for i, ext := range fuzzExts {
				if filepath.Ext(file.Path) == ext {
					f.Add(uint8(i), file.Src)
				}
			}
		}
	}
	rules := []*staticcheck.Rule{staticcheck.LK001, staticcheck.LK005, staticcheck.LK006, staticcheck.LK007}
	f.Fuzz(func(t *testing.T, ext uint8, src []byte) {
		path := "fuzz" + fuzzExts[int(ext)%len(fuzzExts)]
		lang, _ := staticcheck.Language(path)
		orig, err := syntax.Parse(context.Background(), lang, src)
		if errors.Is(err, syntax.ErrTooLarge) {
			return
		}
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		fs, err := staticcheck.Check(context.Background(), []staticcheck.File{{Path: path, Src: src}}, staticcheck.Options{Rules: rules})
		if errors.Is(err, syntax.ErrTooLarge) {
			return
		}
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		for _, fx := range checkFindings(t, src, fs) {
			if len(fx.fix.Edits) == 0 {
				t.Errorf("%s fix %q has no edits", fx.rule, fx.fix.Message)
			}
			if orig.HasError {
				continue
			}
			after, err := syntax.Parse(context.Background(), lang, fx.text)
			if err != nil || after.HasError {
				t.Errorf("%s fix %q turns text that parses into text that does not (%v):\n%s", fx.rule, fx.fix.Message, err, fx.text)
			}
		}
	})
}
