package sourcemap

import (
	"encoding/base64"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
)

func TestURLComment(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"modern", "f();\n//# sourceMappingURL=a.js.map\n", "a.js.map"},
		{"legacy", "f();\n//@ sourceMappingURL=a.js.map", "a.js.map"},
		{"block", "f();\n/*# sourceMappingURL=b.map */\n", "b.map"},
		{"block after code on the line", "f(); /*# sourceMappingURL=b.map */", "b.map"},
		{"last wins", "//# sourceMappingURL=first.map\nf();\n//# sourceMappingURL=second.map\n", "second.map"},
		{"code after the comment cancels it", "//# sourceMappingURL=a.map\nf();\n", ""},
		{"comments after it keep it", "//# sourceMappingURL=a.map\n// trailing note\n\n  \n", "a.map"},
		{"string literal then real comment", "var s = \"//# sourceMappingURL=fake.map\";\n//# sourceMappingURL=real.map\n", "real.map"},
		{"CRLF", "f();\r\n//# sourceMappingURL=crlf.map\r\n", "crlf.map"},
		{"U+2028 line separator", "f();\u2028//# sourceMappingURL=ls.map", "ls.map"},
		{"trailing whitespace", "//# sourceMappingURL=ws.map  \t\n", "ws.map"},
		{"space before the name", "//#  sourceMappingURL=sp.map", "sp.map"},
		{"no sharp", "// sourceMappingURL=a.map", ""},
		{"space before the sharp", "// # sourceMappingURL=a.map", ""},
		{"empty URL", "//# sourceMappingURL=", ""},
		{"URL with a space", "//# sourceMappingURL=a b.map", ""},
		{"data URL", "x\n//# sourceMappingURL=data:application/json;base64,eyJ9\n", "data:application/json;base64,eyJ9"},
		{"unterminated block", "/*# sourceMappingURL=a.map", ""},
		{"nothing", "f();\n", ""},
	}
	for _, tt := range tests {
		got, ok := URLComment([]byte(tt.src))
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: URLComment = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

// TestDataURLs embeds a real esbuild map in the data: URL spellings found
// in the wild and requires the same decoded map from each.
func TestDataURLs(t *testing.T) {
	dir := sourcemaptest.EsbuildProject(t, project, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Outfile: "dist/bundle.js",
		Sourcemap: api.SourceMapExternal,
	})
	js := sourcemaptest.Read(t, dir, "dist/bundle.js")
	raw := sourcemaptest.Read(t, dir, "dist/bundle.js.map")
	want, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString([]byte(raw))
	urls := []string{
		"data:application/json;base64," + b64,
		"data:application/json;charset=utf-8;base64," + b64,
		"data:application/json;charset=UTF-8;base64," + strings.TrimRight(b64, "="),
		"data:;base64," + url.PathEscape(b64),
		"data:application/json," + url.PathEscape(raw),
		"data:application/json;charset=utf-8," + url.PathEscape(raw),
	}
	gen := filepath.Join(dir, "dist", "bundle.js")
	for _, u := range urls {
		m, err := Find(gen, []byte(js+"//# sourceMappingURL="+u+"\n"))
		if err != nil {
			t.Errorf("%.50s…: %v", u, err)
			continue
		}
		if !slices.Equal(m.segs, want.segs) || !slices.Equal(m.Sources, want.Sources) {
			t.Errorf("%.50s…: decoded map differs from the file", u)
		}
		if got := m.SourcePath(0); got != filepath.Join(dir, "src", "cache.ts") {
			t.Errorf("%.50s…: inline sources resolve to %q, want them relative to the generated file", u, got)
		}
	}
	bad := map[string]string{
		"data:application/json;charset=latin1;base64," + b64:      `charset "latin1"`,
		"data:application/json;base64," + b64[:len(b64)-3] + "!!": "bad base64",
		"data:application/json;base64":                            "without a comma",
		"data:application/json,%zz":                               "invalid URL escape",
		"data:application/json;base64,e30=":                       `source map: no "version"`,
	}
	for u, want := range bad {
		_, err := Find(gen, []byte("f();\n//# sourceMappingURL="+u))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "inline") {
			t.Errorf("%.50s: error %v, want one about an inline map containing %q", u, err, want)
		}
	}
}

func TestFindFailures(t *testing.T) {
	dir := t.TempDir()
	testenv.WriteFiles(t, dir, map[string]string{
		"plain.js":               "f();\n",
		"missing.js":             "f();\n//# sourceMappingURL=gone.js.map\n",
		"remote.js":              "f();\n//# sourceMappingURL=https://cdn.example.com/x.map\n",
		"broken.js":              "f();\n//# sourceMappingURL=broken.js.map\n",
		"broken.js.map":          `{"version":3,"sources":["a.ts"],"mappings":"AAAA;;AA"}`,
		"fileurl.js":             "f();\n//# sourceMappingURL=file://" + filepath.ToSlash(dir) + "/sub%20dir/fileurl.js.map\n",
		"sub dir/fileurl.js.map": `{"version":3,"sources":["x.ts"],"mappings":"AAAA"}`,
	})
	_, err := Find(filepath.Join(dir, "plain.js"), nil)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("no comment and no .map: error %v, want ErrNotFound", err)
	}
	_, err = Find(filepath.Join(dir, "missing.js"), nil)
	if !errors.Is(err, os.ErrNotExist) || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "sourceMappingURL") {
		t.Errorf("named map missing: error %v, want a not-exist error that mentions the comment", err)
	}
	_, err = Find(filepath.Join(dir, "remote.js"), nil)
	if err == nil || !strings.Contains(err.Error(), "not a file path") {
		t.Errorf("remote map: error %v", err)
	}
	_, err = Find(filepath.Join(dir, "broken.js"), nil)
	if err == nil || !strings.Contains(err.Error(), "generated line 2, segment 0") || !strings.Contains(err.Error(), "broken.js.map") {
		t.Errorf("broken map: error %v, want the file and the bad segment", err)
	}
	m, err := Find(filepath.Join(dir, "fileurl.js"), nil)
	if err != nil {
		t.Fatalf("file: URL with an escaped space: %v", err)
	}
	if got, want := m.SourcePath(0), filepath.Join(dir, "sub dir", "x.ts"); got != want {
		t.Errorf("SourcePath = %q, want %q (relative to the map file)", got, want)
	}
	if _, err := Find(filepath.Join(dir, "nonexistent.js"), nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing generated file: error %v", err)
	}
}
