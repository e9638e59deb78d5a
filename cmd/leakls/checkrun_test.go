package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakls/leakls/internal/testenv"
)

// TestCheckFollowsImportsIntoTheWorkspace checks one file whose Map is
// evicted by a module it imports through a tsconfig path alias: the module
// graph must resolve the alias, parse the imported file and analyse it for
// the eviction, without reporting on it. Without the eviction the same
// file is reported.
func TestCheckFollowsImportsIntoTheWorkspace(t *testing.T) {
	for _, c := range []struct {
		name, janitor string
		want          []string
	}{
		{"evicted", "import { sessions } from '../app';\nsetInterval(() => sessions.clear(), 60_000).unref();\n", nil},
		{"not evicted", "import { sessions } from '../app';\nexport const count = () => sessions.size;\n", []string{"app.ts:4:3: LK001"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			isolate(t)
			dir := testenv.WriteTree(t, map[string]string{
				"tsconfig.json":   `{"compilerOptions": {"baseUrl": ".", "paths": {"@jobs/*": ["jobs/*"]}}}`,
				"app.ts":          "import '@jobs/janitor';\nexport const sessions = new Map<string, string>();\nexport function login(id: string, user: string) {\n  sessions.set(id, user);\n}\n",
				"jobs/janitor.ts": c.janitor + "// leakls-ignore\n",
			})
			code, out, errOut := run("check", "--no-cache", filepath.Join(dir, "app.ts"))
			got := lines(out)
			if len(got) != len(c.want) {
				t.Fatalf("exit %d, findings:\n%s\nstderr:\n%s\nwant %q", code, out, errOut, c.want)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], filepath.Join(dir, w)) {
					t.Errorf("finding %d = %q, want %s", i, got[i], w)
				}
			}
		})
	}
}

// TestCheckWalkSymlinks walks a directory that holds a symlink to one of
// its files, directly and through a symlink to the directory: the file is
// checked once, under the walked path.
func TestCheckWalkSymlinks(t *testing.T) {
	isolate(t)
	dir := testenv.WriteTree(t, map[string]string{"real/a.js": badIgnore})
	if err := os.Symlink(filepath.Join(dir, "real", "a.js"), filepath.Join(dir, "real", "link.js")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "root")); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{"real", "root"} {
		_, out, errOut := run("check", "--no-cache", filepath.Join(dir, root))
		got := lines(out)
		if len(got) != 1 || !strings.HasPrefix(got[0], filepath.Join(dir, root, "a.js")+":1:1: LK000") {
			t.Errorf("check %s: findings:\n%s\nstderr:\n%s\nwant one LK000 in %s/a.js", root, out, errOut, root)
		}
	}
}
