package relpath

import (
	"path/filepath"
	"testing"
)

func TestUnder(t *testing.T) {
	root := filepath.FromSlash("/work/app")
	for _, tc := range []struct {
		path, rel string
		ok        bool
	}{
		{"/work/app", ".", true},
		{"/work/app/src/a.js", "src/a.js", true},
		{"/work/app/..x.js", "..x.js", true},
		{"/work/app/src/../b.js", "b.js", true},
		{"/work/apple/a.js", "", false},
		{"/work/a.js", "", false},
		{"/work", "", false},
		{"/other/x.js", "", false},
	} {
		rel, ok := Under(root, filepath.FromSlash(tc.path))
		if rel != tc.rel || ok != tc.ok {
			t.Errorf("Under(%q, %q) = %q, %v, want %q, %v", root, tc.path, rel, ok, tc.rel, tc.ok)
		}
	}
	if rel, ok := Under("src", filepath.FromSlash("src/lib/x.ts")); rel != "lib/x.ts" || !ok {
		t.Errorf("relative paths: %q, %v", rel, ok)
	}
}

func TestDisplay(t *testing.T) {
	root := filepath.FromSlash("/work/app")
	if got := Display(root, filepath.FromSlash("/work/app/src/a.js")); got != "src/a.js" {
		t.Errorf("inside: %q", got)
	}
	outside := filepath.FromSlash("/work/lib/b.js")
	if got := Display(root, outside); got != outside {
		t.Errorf("outside: %q, want the path unchanged", got)
	}
}
