package staticcheck_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/staticcheck"
)

// writers returns a module in which n functions write one module-level
// Map, one statement after another joined by sep: "" gives the one-line
// layout of a minified bundle, "\n" the same code a statement a line.
func writers(n int, sep string) []byte {
	var b strings.Builder
	b.WriteString("var c=new Map();")
	for i := range n {
		b.WriteString(sep)
		fmt.Fprintf(&b, "function f%d(a){c.set(a,%d)};", i, i)
	}
	b.WriteString(sep)
	return []byte(b.String())
}

// handlers returns a module of n request handlers, each with the shape
// of every rule: a module-level Map and Set filled per call, a listener
// on a module-level emitter, a discarded setInterval, a long timeout
// that pins the request, and an undeclared global; statements are joined
// by sep.
func handlers(n int, sep string) []byte {
	var b strings.Builder
	b.WriteString(`const EventEmitter=require("events");` + sep + `const bus=new EventEmitter();` + sep +
		`bus.setMaxListeners(0);` + sep + `const app=require("express")();` + sep + `function audit(v){return v}`)
	for i := range n {
		b.WriteString(sep)
		fmt.Fprintf(&b, `const m%d=new Map();%sconst w%d=new Set();%s`, i, sep, i, sep)
		fmt.Fprintf(&b, `function g%d(req,res){m%d.set(req.id,req.body);w%d.add(req);bus.on("x%d",()=>{console.log(req.url)});`, i, i, i, i)
		fmt.Fprintf(&b, `setInterval(()=>audit(res),1000);setTimeout(()=>audit(req.headers["u"]),60000);leaked%d=req.id}%s`, i, sep)
		fmt.Fprintf(&b, `app.post("/u%d",g%d);`, i, i)
	}
	b.WriteString(sep)
	return []byte(b.String())
}

// listeners returns a module of n functions that each add a listener and
// start an interval, and n that each remove another listener of the same
// emitter and clear another interval: every add is looked up among all
// the removals.
func listeners(n int, sep string) []byte {
	var b strings.Builder
	b.WriteString(`const EventEmitter=require("events");const bus=new EventEmitter();`)
	for i := range n {
		b.WriteString(sep)
		fmt.Fprintf(&b, `function a%d(){bus.on("e%d",()=>{});setInterval(()=>{},1000)}%s`, i, i, sep)
		fmt.Fprintf(&b, `function r%d(h,t){bus.off("x%d",h);clearInterval(t.h%d)}`, i, i, i)
	}
	b.WriteString(sep)
	return []byte(b.String())
}

// sized returns gen(n, sep) for the n that makes it about size bytes.
func sized(gen func(n int, sep string) []byte, size int, sep string) []byte {
	per := len(gen(100, sep)) / 100
	return gen(size/per, sep)
}

// BenchmarkCheckLayout measures Check over generated files of 1 MB and
// 4 MB, written on one line (a minified bundle) and a statement a line:
// the time must grow with the size of the file, not with the length of
// its lines. "writers" is one Map written by thousands of functions (one
// finding with thousands of fix edits), "handlers" thousands of findings
// of every rule, "listeners" thousands of listeners and removals.
func BenchmarkCheckLayout(b *testing.B) {
	gens := []struct {
		name string
		gen  func(n int, sep string) []byte
	}{{"writers", writers}, {"handlers", handlers}, {"listeners", listeners}}
	for _, g := range gens {
		for _, size := range []int{1 << 20, 4 << 20} {
			for _, layout := range []struct{ name, sep string }{{"oneline", ""}, {"lines", "\n"}} {
				src := sized(g.gen, size, layout.sep)
				b.Run(fmt.Sprintf("%s/%s/%dMB", g.name, layout.name, size>>20), func(b *testing.B) {
					benchmarkCheck(b, []staticcheck.File{{Path: "bundle.js", Src: src}})
				})
			}
		}
	}
}

func benchmarkCheck(b *testing.B, files []staticcheck.File) {
	size := 0
	for _, f := range files {
		size += len(f.Src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := staticcheck.Check(context.Background(), files, staticcheck.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckBundle measures Check over a real bundle: the TypeScript
// compiler (testdata/npm) minified by esbuild, on one line (but for line
// breaks inside template literals) as `esbuild --minify` prints it, and a
// statement a line.
func BenchmarkCheckBundle(b *testing.B) {
	tsc := testenv.NPMBin(b, "tsc")
	path := filepath.Join(filepath.Dir(tsc), "..", "typescript", "lib", "typescript.js")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, layout := range []struct {
		name    string
		oneLine bool
	}{{"minified", true}, {"lines", false}} {
		res := api.Transform(string(src), api.TransformOptions{
			MinifyWhitespace: layout.oneLine, MinifySyntax: true, MinifyIdentifiers: true,
		})
		if len(res.Errors) > 0 {
			b.Fatalf("esbuild: %s", res.Errors[0].Text)
		}
		b.Run(layout.name, func(b *testing.B) {
			benchmarkCheck(b, []staticcheck.File{{Path: "typescript.min.js", Src: res.Code}})
		})
	}
}
