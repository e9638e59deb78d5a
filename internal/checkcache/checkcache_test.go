package checkcache

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leakls/leakls/finding"
)

func key(build string, files ...string) Key {
	b := NewKey(build)
	b.String("rules", "LK001,LK002")
	for i := 0; i+1 < len(files); i += 2 {
		b.File(files[i], []byte(files[i+1]))
	}
	return b.Sum()
}

func TestKeyCoversEveryInput(t *testing.T) {
	base := key("v1", "a.js", "x", "b.js", "y")
	if key("v1", "a.js", "x", "b.js", "y") != base {
		t.Fatal("the same inputs give different keys")
	}
	for name, k := range map[string]Key{
		"build":      key("v2", "a.js", "x", "b.js", "y"),
		"content":    key("v1", "a.js", "x", "b.js", "z"),
		"path":       key("v1", "a.js", "x", "c.js", "y"),
		"file set":   key("v1", "a.js", "x"),
		"path split": key("v1", "a.j", "sx", "b.js", "y"),
	} {
		if k == base {
			t.Errorf("changing the %s does not change the key", name)
		}
	}
}

func TestPutGet(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	k := key("v1", "a.js", "x")
	if _, ok := c.Get(k); ok {
		t.Fatal("hit in an empty cache")
	}
	want := []finding.Finding{{
		Rule: "LK002", File: "a.js", Message: "listener added per call",
		Range:    finding.Range{Start: finding.Pos{Offset: 3, Line: 1, Col: 2}, End: finding.Pos{Offset: 9, Line: 1, Col: 8}},
		Severity: finding.SeverityError,
		Fixes:    []finding.Fix{{Message: "Use once()", Edits: []finding.Edit{{Start: 3, End: 5, NewText: "once"}}}},
	}}
	if err := c.Put(k, want, nil); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || !reflect.DeepEqual(got, want) {
		t.Fatalf("Get = %+v, %v; want %+v", got, ok, want)
	}
	empty := key("v1")
	if err := c.Put(empty, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.Get(empty); !ok || len(got) != 0 {
		t.Fatalf("empty entry: %v, %v", got, ok)
	}
}

func TestCorruptEntriesAreMisses(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	k := key("v1", "a.js", "x")
	fs := []finding.Finding{{Rule: "LK001", File: "a.js", Message: "grows"}}
	for name, corrupt := range map[string]func([]byte) []byte{
		"truncated":       func(b []byte) []byte { return b[:len(b)-3] },
		"flipped byte":    func(b []byte) []byte { b[len(b)-5] ^= 0x20; return b },
		"no header":       func(b []byte) []byte { return b[len(header):] },
		"empty":           func([]byte) []byte { return nil },
		"other version":   func(b []byte) []byte { return []byte(strings.Replace(string(b), "v1", "v0", 1)) },
		"not JSON at all": func([]byte) []byte { return []byte("\x00\x01garbage") },
	} {
		if err := c.Put(k, fs, nil); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(c.path(k))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.path(k), corrupt(data), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.Get(k); ok {
			t.Errorf("%s entry: hit with %+v", name, got)
		}
		if _, err := os.Stat(c.path(k)); !os.IsNotExist(err) {
			t.Errorf("%s entry was not removed", name)
		}
	}
}

func TestTrimKeepsRecentlyUsed(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	keys := make([]Key, MaxEntries)
	for i := range keys {
		keys[i] = key("v1", "f.js", strings.Repeat("x", i))
		if err := c.Put(keys[i], nil, nil); err != nil {
			t.Fatal(err)
		}
		ts := old.Add(time.Duration(i) * time.Second)
		os.Chtimes(c.path(keys[i]), ts, ts)
	}
	c.Get(keys[0]) // the oldest becomes the most recently used
	if err := c.Put(key("v2"), nil, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(keys[0]); !ok {
		t.Error("the recently used entry was trimmed")
	}
	if _, ok := c.Get(keys[1]); ok {
		t.Error("the least recently used entry was kept")
	}
	ents, _ := os.ReadDir(c.dir)
	if len(ents) != MaxEntries {
		t.Errorf("%d entries after trimming, want %d", len(ents), MaxEntries)
	}
}

func TestOpenError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := Open(filepath.Join(file, "sub")); err == nil || !strings.Contains(err.Error(), "check cache") {
		t.Errorf("Open under a file = %v", err)
	}
}

func TestDepsInvalidate(t *testing.T) {
	c, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "lib.js")
	absent := filepath.Join(dir, "tsconfig.json")
	os.WriteFile(lib, []byte("export const m = new Map();"), 0o644)
	k := key("v1", "a.js", "import {m} from './lib.js'")
	if err := c.Put(k, nil, []Dep{FileDep(lib), FileDep(absent)}); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(k); !ok {
		t.Fatal("miss with unchanged dependencies")
	}
	os.WriteFile(lib, []byte("export const m = new Map(); m.clear();"), 0o644)
	if _, ok := c.Get(k); ok {
		t.Error("hit after a dependency changed")
	}
	os.WriteFile(lib, []byte("export const m = new Map();"), 0o644)
	if _, ok := c.Get(k); !ok {
		t.Error("miss after the dependency was restored")
	}
	os.WriteFile(absent, []byte("{}"), 0o644)
	if _, ok := c.Get(k); ok {
		t.Error("hit after a missing dependency appeared")
	}
}
