package srcloc_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/srcloc"
)

// A position in an esbuild bundle, as a heap snapshot reports it, placed in
// the TypeScript source it came from.
func ExampleResolver_Locate() {
	root, _ := os.MkdirTemp("", "srcloc-example")
	defer os.RemoveAll(root)
	os.MkdirAll(filepath.Join(root, "src"), 0o755)
	os.WriteFile(filepath.Join(root, "src", "cache.ts"), []byte(
		"const sessions = new Map<string, object>();\n"+
			"export function keep(id: string, s: object) {\n"+
			"  sessions.set(id, s);\n"+
			"}\n"), 0o644)
	api.Build(api.BuildOptions{
		EntryPoints: []string{"src/cache.ts"}, Bundle: true, Outfile: "dist/cache.js",
		Sourcemap: api.SourceMapLinked, AbsWorkingDir: root, Write: true,
	})
	// esbuild wraps the bundle in a function, so dist/cache.js has
	// "    sessions.set(id, s);" on line 4 (0-based): the call starts at
	// column 4.
	r := srcloc.NewResolver(root)
	pl, err := r.Locate(filepath.Join(root, "dist", "cache.js"), "", 4, 4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s)\n", pl, pl.Kind)
	// Output: src/cache.ts:3:3 (user)
}
