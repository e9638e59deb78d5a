package analysis

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestProgramMismatch checks the decision on hand-made fingerprints: no
// program script in common refuses the pair only when the later snapshot
// (the one with the newer objects) holds a script older than the earlier
// snapshot, whichever order the two are given in.
func TestProgramMismatch(t *testing.T) {
	fp := func(maxJS uint32, scripts ...script) *Fingerprint {
		return &Fingerprint{maxJS: maxJS, scripts: scripts}
	}
	appJS, libJS := script{101, "/srv/a/app.js"}, script{103, "/srv/a/lib.js"}
	mainJS := script{101, "/srv/b/main.js"}
	for _, tc := range []struct {
		name   string
		a, b   *Fingerprint
		detail string // "": accepted
	}{
		{"two programs", fp(900, appJS), fp(950, mainJS), "/srv/a/app.js vs /srv/b/main.js"},
		{"two programs, the later first", fp(950, mainJS), fp(900, appJS), "/srv/b/main.js vs /srv/a/app.js"},
		{"several scripts", fp(900, appJS, libJS), fp(950, mainJS, script{105, "/srv/b/db.js"}), "/srv/a/app.js and 1 more vs /srv/b/main.js and 1 more"},
		{"only the old scripts are named", fp(900, appJS), fp(950, mainJS, script{921, "/srv/b/late.js"}), "/srv/a/app.js vs /srv/b/main.js"},
		{"one script in common", fp(900, appJS, libJS), fp(950, mainJS, libJS), ""},
		{"in common by name, not by id", fp(900, appJS), fp(950, mainJS, script{931, "/srv/a/app.js"}), ""},
		{"a module loaded after the earlier snapshot, the first collected", fp(900, appJS), fp(950, script{921, "/srv/a/tasks.js"}), ""},
		{"the later loaded right at the earlier's newest id", fp(921, appJS), fp(950, script{921, "/srv/a/tasks.js"}), "/srv/a/app.js vs /srv/a/tasks.js"},
		{"an even id tells no age", fp(900, appJS), fp(950, script{102, "/srv/b/main.js"}), ""},
		{"no program script in the earlier", fp(900), fp(950, mainJS), ""},
		{"no program script in the later", fp(900, appJS), fp(950), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := programMismatch(tc.a, tc.b); got != tc.detail {
				t.Errorf("programMismatch = %q, want %q", got, tc.detail)
			}
		})
	}
}

// TestProgramScript checks which script names are the program's, and that
// programScripts keeps those, one per name with its oldest id, by id.
func TestProgramScript(t *testing.T) {
	for name, want := range map[string]bool{
		"/srv/app/server.js":                    true,
		"file:///srv/app/server.mjs":            true,
		`C:\app\server.js`:                      true,
		"c:/app/server.js":                      true,
		`\\host\share\server.js`:                true,
		"https://example.com/app.js":            true,
		"webpack://app/./src/index.ts":          true,
		"node:internal/modules/cjs/loader":      false,
		"node:events":                           false,
		"v8/gc":                                 false,
		"":                                      false,
		"[eval]":                                false,
		"[eval]-wrapper":                        false,
		"evalmachine.<anonymous>":               false,
		"REPL1":                                 false,
		"data:text/javascript,export default 1": false,
		"native array.js":                       false,
		"1:/not/a/drive":                        false,
		"internal/deps/cjs-module-lexer/lexer.js": false,
	} {
		if got := programScript(name); got != want {
			t.Errorf("programScript(%q) = %v, want %v", name, got, want)
		}
	}
	got := programScripts([]script{{9, "/b.js"}, {3, "node:events"}, {7, "/a.js"}, {5, "/b.js"}, {1, ""}, {11, "/a.js"}})
	if want := []script{{5, "/b.js"}, {7, "/a.js"}}; !slices.Equal(got, want) {
		t.Errorf("programScripts = %v, want %v", got, want)
	}
}

// TestPickStrs checks that the wanted strings of an array are decoded,
// escapes included, the others skipped, and reading stops after the last
// wanted one.
func TestPickStrs(t *testing.T) {
	const table = `["skip \" me", "caf\u00e9", "", "x\\y", "after"]tail`
	for _, tc := range []struct {
		want    []uint32
		strs    []string
		err     error
		restLen int // bytes left unread
	}{
		{[]uint32{1, 3}, []string{"café", `x\y`}, errDone, len(`, "after"]tail`)},
		{[]uint32{0, 2, 4}, []string{`skip " me`, "", "after"}, errDone, len(`]tail`)},
		{[]uint32{4, 7}, []string{"after", ""}, nil, len(`tail`)},
	} {
		sc := newScanner(strings.NewReader(table), 0, int64(len(table)))
		got := make([]string, len(tc.want))
		err := sc.pickStrs(tc.want, got)
		if !errors.Is(err, tc.err) || !slices.Equal(got, tc.strs) {
			t.Errorf("pickStrs(%v) = %q, %v; want %q, %v", tc.want, got, err, tc.strs, tc.err)
		}
		sc.fill(len(table))
		if rest := sc.end - sc.pos; rest != tc.restLen {
			t.Errorf("pickStrs(%v) left %d bytes unread, want %d", tc.want, rest, tc.restLen)
		}
	}
}

// TestFingerprintScripts checks, on real snapshots, that ReadFingerprint
// (which resolves names at the end of the stream) and the fingerprint of a
// loaded snapshot find the same program scripts, with their ids.
func TestFingerprintScripts(t *testing.T) {
	b, tg, f := lazySeries(t)
	for file, want := range map[string][]string{b: {"main.js"}, tg: {"main.js", "tasks.js"}, f: {"tasks.js"}} {
		read := fingerprint(t, file)
		s := mustRead(t, Load, file)
		loaded := s.Fingerprint()
		if !slices.Equal(read.scripts, loaded.scripts) {
			t.Errorf("%s: ReadFingerprint finds %v, Snapshot.Fingerprint %v", filepath.Base(file), read.scripts, loaded.scripts)
		}
		if got := scriptNames(read); !slices.Equal(got, want) {
			t.Errorf("%s: scripts %q, want %q", filepath.Base(file), got, want)
		}
	}
}

// TestReadFingerprintScripts checks the streaming reader on a hand-made
// snapshot: the Script (a code node with a "source" edge to a string) of
// the program is found, Node's own is not; with the strings before the
// nodes, where V8 never writes them, the scripts are unknown but the
// fingerprint is read.
func TestReadFingerprintScripts(t *testing.T) {
	const (
		header = `{"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],` +
			`"node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number","number"],` +
			`"edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},` +
			`"node_count":4,"edge_count":4}`
		nodes = `"nodes":[9,5,1,0,2,0,0, 4,1,3,144,1,0,0, 4,4,5,144,1,0,0, 2,3,7,24,0,0,0]`
		edges = `"edges":[1,1,7, 1,2,14, 3,2,21, 3,2,21]`
		strs  = `"strings":["","/srv/app.js","source","let x = 1","node:events","root"]`
	)
	want := []script{{3, "/srv/app.js"}}
	for _, tc := range []struct {
		name, text string
		want       []script
	}{
		{"strings last", header + "," + nodes + "," + edges + "," + strs + "}", want},
		{"strings first", header + "," + strs + "," + nodes + "," + edges + "}", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.heapsnapshot")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			if got := fingerprint(t, path).scripts; !slices.Equal(got, tc.want) {
				t.Errorf("ReadFingerprint finds %v, want %v", got, tc.want)
			}
			s := mustRead(t, Load, path)
			if got := s.Fingerprint().scripts; !slices.Equal(got, want) {
				t.Errorf("Snapshot.Fingerprint finds %v, want %v", got, want)
			}
		})
	}
}
