package srcloc_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/leakls/leakls/analysis"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/sourcemap/sourcemaptest"
	"github.com/leakls/leakls/srcloc"
)

// leaky registers a named listener and a named interval callback, then
// writes a heap snapshot: the closures' positions in the snapshot are what
// srcloc must map back to the TypeScript source.
var leaky = map[string]string{
	"src/bus.ts": `import { EventEmitter } from "node:events";
export const bus = new EventEmitter();
`,
	"src/server.ts": `import { bus } from "./bus";
import { writeHeapSnapshot } from "node:v8";

const seen: string[] = [];

export function handle(id: string): void {
  bus.on("tick", function onTick(n: number) { seen.push(id + n); });
  setInterval(function heartbeatTick() { bus.emit("tick", 1); }, 60_000).unref();
}

handle("a");
writeHeapSnapshot(process.argv[2]);
`,
}

// wantFunction returns the 0-based line and byte column of "function name"
// in src/server.ts, and of the "(" of its parameter list.
func wantFunction(name string) (line, fn, paren int) {
	text := leaky["src/server.ts"]
	off := strings.Index(text, "function "+name)
	line = strings.Count(text[:off], "\n")
	start := strings.LastIndex(text[:off], "\n") + 1
	return line, off - start, off - start + len("function "+name)
}

// TestSnapshotClosures runs bundled and compiled TypeScript with real
// node, reads the closures' positions from the heap snapshot it writes,
// and requires each to land on its function in src/server.ts.
func TestSnapshotClosures(t *testing.T) {
	node := testenv.Node(t)
	dir := testenv.WriteTree(t, leaky)
	// tsc needs no Node type declarations for this: declare what is used.
	testenv.WriteFiles(t, dir, map[string]string{"src/node.d.ts": `declare module "node:events" { export class EventEmitter { on(e: string, f: (...a: any[]) => void): this; emit(e: string, ...a: any[]): boolean } }
declare module "node:v8" { export function writeHeapSnapshot(path?: string): string }
declare const process: { argv: string[] };
declare function setInterval(f: () => void, ms: number): { unref(): void };
`})
	sourcemaptest.Esbuild(t, dir, api.BuildOptions{
		EntryPoints: []string{"src/server.ts"}, Bundle: true, Platform: api.PlatformNode,
		Format: api.FormatESModule, Outfile: "bundle/app.mjs", Sourcemap: api.SourceMapLinked,
	})
	sourcemaptest.Tsc(t, dir, "--sourceMap", "--outDir", "tsc", "--module", "commonjs", "--target", "es2020", "--lib", "es2020", "--strict", "src/server.ts", "src/node.d.ts")
	for _, entry := range []string{"bundle/app.mjs", "tsc/server.js"} {
		t.Run(entry, func(t *testing.T) {
			snap := filepath.Join(t.TempDir(), "app.heapsnapshot")
			if out, err := exec.Command(node, filepath.Join(dir, entry), snap).CombinedOutput(); err != nil {
				t.Fatalf("node %s: %v\n%s", entry, err, out)
			}
			s, err := analysis.Load(snap, analysis.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			src := analysis.NewSources(s)
			r := srcloc.NewResolver(dir)
			found := map[string]bool{}
			for n := range s.NodeCount() {
				name := s.NodeName(n)
				if s.NodeType(n) != analysis.NodeClosure || name != "onTick" && name != "heartbeatTick" {
					continue
				}
				h, ok := src.Hint(n)
				if !ok || !h.HasPosition() {
					t.Fatalf("%s: no position in the snapshot", name)
				}
				text, _ := src.ScriptSource(h.ScriptName)
				pl, err := r.Locate(h.ScriptName, text, h.Line, h.Column)
				if err != nil {
					t.Fatal(err)
				}
				line, fn, paren := wantFunction(name)
				st := pl.Location.Range.Start
				// V8 puts a closure at the "(" of its parameters; the maps
				// of esbuild and tsc have no segment there, so the position
				// lands on the nearest mapped token before it, which must
				// be within "function name(".
				if pl.Rel != "src/server.ts" || st.Line != line || st.Col < fn || st.Col > paren {
					t.Errorf("%s at %s %d:%d maps to %s %d:%d, want src/server.ts line %d, columns %d–%d (note %q)",
						name, h.ScriptName, h.Line, h.Column, pl.Rel, st.Line, st.Col, line, fn, paren, pl.Note)
				}
				if pl.Kind != srcloc.KindUser || pl.Generated == nil {
					t.Errorf("%s: kind %v, generated %v", name, pl.Kind, pl.Generated)
				}
				found[name] = true
			}
			if !found["onTick"] || !found["heartbeatTick"] {
				t.Errorf("closures found in the snapshot: %v, want onTick and heartbeatTick", found)
			}
		})
	}
}
