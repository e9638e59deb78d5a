package staticcheck_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/modgraph"
	"github.com/leakls/leakls/staticcheck"
)

func readFiles(t *testing.T, root string, rels ...string) []staticcheck.File {
	t.Helper()
	var files []staticcheck.File
	for _, rel := range rels {
		p := filepath.Join(root, filepath.FromSlash(rel))
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, staticcheck.File{Path: p, Src: src})
	}
	return files
}

// TestCrossFileThroughModuleGraph: the emitter and the handler come from a
// tsconfig "paths" alias, which only the module graph resolves; the
// removal in the other module then counts and LK002 stays quiet.
func TestCrossFileThroughModuleGraph(t *testing.T) {
	root := testenv.WriteTree(t, map[string]string{
		"tsconfig.json": `{"compilerOptions": {"baseUrl": ".", "paths": {"@lib/*": ["src/lib/*"]}}}`,
		"src/lib/bus.ts": `import { EventEmitter } from 'node:events';
export const bus = new EventEmitter();
export function onTick(): void {}
export function shutdown(): void {
  bus.off('tick', onTick);
}
`,
		"src/app.ts": `import { bus, onTick } from '@lib/bus';
export function handle(req: unknown): void {
  bus.on('tick', onTick);
}
`,
	})
	files := readFiles(t, root, "src/app.ts", "src/lib/bus.ts")
	rules := []*staticcheck.Rule{staticcheck.ListenerLeak}
	without, err := staticcheck.Check(context.Background(), files, staticcheck.Options{Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if len(without) != 1 {
		t.Fatalf("without the graph the alias is unresolved: want 1 finding, got %v", without)
	}
	g, err := modgraph.Load(context.Background(), root, modgraph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	with, err := staticcheck.NewChecker(0).Check(context.Background(), staticcheck.Request{Files: files[:1], Graph: g, Rules: rules})
	if err != nil {
		t.Fatal(err)
	}
	if len(with.Findings) != 0 || len(with.Neighbors) != 1 {
		t.Errorf("with the graph bus.ts is a neighbour and its removal counts: want no finding, got %v with neighbours %v", with.Findings, with.Neighbors)
	}
}

// TestCrossFileRelativeWithoutGraph: relative imports (extensionless, and
// TypeScript's "./x.js" for x.ts) and CommonJS requires resolve among the
// checked files without a module graph.
func TestCrossFileRelativeWithoutGraph(t *testing.T) {
	root := testenv.WriteTree(t, map[string]string{
		"lib/bus.ts": `import { EventEmitter } from 'node:events';
export const bus = new EventEmitter();
export const onTick = (): void => {};
export function stop(): void { bus.removeListener('tick', onTick); }
`,
		"lib/index.js": `const timers = new Set();
module.exports = { timers };
`,
		"app.ts": `import { bus, onTick } from './lib/bus.js';
import * as lib from './lib/bus';
export function a(): void { bus.on('tick', onTick); }
export function b(): void { lib.bus.on('tick', onTick); }
export function c(): void { lib.bus.on('other', onTick); }
`,
		"legacy.js": `const { timers } = require('./lib');
const lib = require('./lib/bus');
function d() { lib.bus.on('tick', lib.onTick); }
function e() { lib.bus.on('x', () => {}); }
module.exports = { d, e, timers };
`,
	})
	files := readFiles(t, root, "app.ts", "legacy.js", "lib/bus.ts", "lib/index.js")
	got, err := staticcheck.Check(context.Background(), files, staticcheck.Options{Rules: []*staticcheck.Rule{staticcheck.ListenerLeak}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, f := range got {
		lines = append(lines, filepath.Base(f.File)+":"+strconv.Itoa(f.Range.Start.Line+1))
	}
	want := []string{"app.ts:5", "legacy.js:4"}
	if len(lines) != len(want) || lines[0] != want[0] || lines[1] != want[1] {
		t.Errorf("findings at %v; want %v", lines, want)
	}
}

// TestSharedListenerLeaks: LK002's verdict on a file's listeners is built
// once per file and shared by LK006 and LK008. Each of the three rules
// finds the same on its fixtures whether it runs alone (and builds the
// verdict itself) or after the others (and reads the one LK002 built).
func TestSharedListenerLeaks(t *testing.T) {
	for _, rule := range []*staticcheck.Rule{staticcheck.ListenerLeak, staticcheck.LK006, staticcheck.LK008} {
		dir := "testdata/" + rule.ID
		files, _ := sourceTree(t, dir)
		alone, err := staticcheck.Check(context.Background(), files, staticcheck.Options{Rules: []*staticcheck.Rule{rule}})
		if err != nil {
			t.Fatal(err)
		}
		all, err := staticcheck.Check(context.Background(), files, staticcheck.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var together []finding.Finding
		for _, f := range all {
			if f.Rule == rule.ID {
				together = append(together, f)
			}
		}
		if len(alone) == 0 || !reflect.DeepEqual(alone, together) {
			t.Errorf("%s: %s alone found %d, with every rule %d (want the same, and some)", dir, rule.ID, len(alone), len(together))
		}
	}
}
