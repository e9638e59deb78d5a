package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/leakls/leakls/internal/testenv"
)

// bundledApp bundles the TypeScript fixture app of the holders package with
// esbuild (linked source maps), runs it under real node between three
// snapshots, and returns the workspace root and the snapshot paths.
func bundledApp(t *testing.T) (root string, snaps [3]string) {
	t.Helper()
	node := testenv.Node(t)
	repo := testenv.RepoRoot(t)
	root = t.TempDir()
	pkg := filepath.Join(root, "node_modules", "somepkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"package.json": `{"name": "somepkg", "version": "1.2.3", "main": "index.js"}`,
		"index.js":     "'use strict';\nconst kept = new Set();\nexports.keep = function keep(obj) {\n  kept.add(obj);\n};\n",
	} {
		if err := os.WriteFile(filepath.Join(pkg, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(root, "src")
	if err := os.CopyFS(src, os.DirFS(filepath.Join(repo, "holders", "testdata", "app", "src"))); err != nil {
		t.Fatal(err)
	}
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join(src, "app.ts")}, Bundle: true, Platform: api.PlatformNode,
		Format: api.FormatCommonJS, Outfile: filepath.Join(root, "dist", "app.js"), Sourcemap: api.SourceMapLinked,
		AbsWorkingDir: root, Write: true,
	})
	if len(res.Errors) > 0 {
		t.Fatalf("esbuild: %s", res.Errors[0].Text)
	}
	out := filepath.Join(root, "snapshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--expose-gc", filepath.Join(repo, "holders", "testdata", "harness.cjs"), out, filepath.Join(root, "dist", "app.js"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node: %v\n%s", err, b)
	}
	for i, name := range []string{"baseline", "target", "final"} {
		snaps[i] = filepath.Join(out, name+".heapsnapshot")
	}
	return root, snaps
}

// hop is the part of a retainer-path hop in the JSON that tests read.
type hop struct {
	ID           uint32
	File         string
	Line, Column int
}

func TestSnapshotDiffSources(t *testing.T) {
	root, snaps := bundledApp(t)

	t.Run("text", func(t *testing.T) {
		code, out, errOut := run("snapshot", "diff", "--quiet", "--root", root, snaps[0], snaps[1], snaps[2])
		if code != exitFindings {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFindings, errOut)
		}
		for _, want := range []string{
			"7 leaks in the source",
			"src/cache.ts:9:3: LK101 the module variable requestCache retains 20 CacheEntry objects",
			"src/listener.ts:13:3: LK102",
			"src/interval.ts:8:3: LK103",
			"src/store.ts:10:5: LK104",
			"src/closure.ts:11:3: LK105",
			"node_modules/somepkg/index.js:4:3: LK101 the module variable kept",
			// A hop of a retainer path, at its original line (the hops
			// before the holder's owner are folded: see "json hops as
			// the full text" for them).
			"CacheEntry (object) @", "src/cache.ts:3:3",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "dist/app.js:") {
			t.Errorf("a position is still in the bundle, not in the original source:\n%s", out)
		}
	})

	t.Run("sarif", func(t *testing.T) {
		code, out, errOut := run("snapshot", "diff", "--quiet", "--format", "sarif", "--root", root, snaps[0], snaps[1], snaps[2])
		if code != exitFindings {
			t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFindings, errOut)
		}
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct{ ID string }
					}
				}
				Results []struct {
					RuleID                      string
					Message                     struct{ Text string }
					Locations, RelatedLocations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine, StartColumn int }
						}
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil {
			t.Fatalf("not SARIF JSON: %v\n%s", err, out)
		}
		if len(log.Runs) != 1 {
			t.Fatalf("%d runs", len(log.Runs))
		}
		results := map[string]string{} // ruleId file:line → message
		for _, r := range log.Runs[0].Results {
			if len(r.Locations) != 1 || r.Message.Text == "" {
				t.Fatalf("result %s has %d locations, message %q", r.RuleID, len(r.Locations), r.Message.Text)
			}
			loc := r.Locations[0].PhysicalLocation
			key := r.RuleID + " " + filepath.Base(loc.ArtifactLocation.URI) + ":" + strconv.Itoa(loc.Region.StartLine)
			results[key] = r.Message.Text
			if r.RuleID == "LK103" && len(r.RelatedLocations) == 0 {
				t.Errorf("LK103 has no related locations")
			}
			for _, rel := range r.RelatedLocations {
				if strings.HasSuffix(rel.PhysicalLocation.ArtifactLocation.URI, "dist/app.js") {
					t.Errorf("related location in the bundle: %+v", rel)
				}
			}
		}
		for _, want := range []string{"LK101 cache.ts:9", "LK101 history.ts:9", "LK102 listener.ts:13", "LK103 interval.ts:8", "LK104 store.ts:10", "LK105 closure.ts:11", "LK101 index.js:4"} {
			if _, ok := results[want]; !ok {
				t.Errorf("no SARIF result %s in %v", want, results)
			}
		}
		if n := len(log.Runs[0].Tool.Driver.Rules); n == 0 {
			t.Error("no rule metadata in tool.driver.rules")
		}
	})

	t.Run("json hops as the full text", func(t *testing.T) {
		_, text, _ := run("snapshot", "diff", "--quiet", "--top", "0", "--full-path", "--root", root, snaps[0], snaps[1], snaps[2])
		code, out, errOut := run("snapshot", "diff", "--quiet", "--top", "0", "--format", "json", "--root", root, snaps[0], snaps[1], snaps[2])
		var rep struct {
			Version  int                    `json:"version"`
			Clusters []struct{ Path []hop } `json:"clusters"`
			Growing  []struct{ Path []hop } `json:"growing"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil || code != exitFindings || rep.Version != 1 {
			t.Fatalf("exit %d, version %d, %v; stderr:\n%s", code, rep.Version, err, errOut)
		}
		var paths [][]hop
		for _, c := range rep.Clusters {
			paths = append(paths, c.Path)
		}
		for _, g := range rep.Growing {
			paths = append(paths, g.Path)
		}
		placed := 0
		for _, path := range paths {
			for _, h := range path {
				if h.Line == 0 {
					continue
				}
				pos := fmt.Sprintf("@%d  %s:%d:%d", h.ID, h.File, h.Line, h.Column)
				if !strings.Contains(text, pos) {
					t.Errorf("the JSON hop %s is not in the text", pos)
				}
				if strings.HasSuffix(h.File, ".ts") {
					placed++
				}
			}
		}
		if placed == 0 {
			t.Errorf("no JSON hop in the TypeScript sources:\n%s", out)
		}
	})

	t.Run("json left out as the text", func(t *testing.T) {
		_, text, _ := run("snapshot", "diff", "--quiet", "--root", root, snaps[0], snaps[1], snaps[2])
		_, out, _ := run("snapshot", "diff", "--quiet", "--format", "json", "--root", root, snaps[0], snaps[1], snaps[2])
		var rep struct {
			Clusters []struct {
				Node      bool   `json:"node"`
				Signature string `json:"signature"`
			} `json:"clusters"`
			Findings []struct {
				Signature string `json:"signature"`
			} `json:"findings"`
			LeftOut struct {
				Node struct{ Clusters, Objects int } `json:"node"`
			} `json:"leftOut"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		placed := map[string]bool{}
		for _, f := range rep.Findings {
			placed[f.Signature] = true
		}
		node := 0
		for _, c := range rep.Clusters {
			if c.Signature == "" {
				t.Errorf("a cluster without a signature: %+v", c)
			}
			if c.Node && !placed[c.Signature] {
				node++
			}
		}
		line := regexp.MustCompile(fmt.Sprintf(`Created by Node during the run: %d clusters? of %d objects? `, rep.LeftOut.Node.Clusters, rep.LeftOut.Node.Objects))
		if node == 0 || rep.LeftOut.Node.Clusters != node || !line.MatchString(text) {
			t.Errorf("leftOut.node %+v, %d clusters only Node holds, the text lacks %s:\n%s", rep.LeftOut.Node, node, line, text)
		}
	})

	t.Run("sarif needs three snapshots", func(t *testing.T) {
		code, _, errOut := run("snapshot", "diff", "--quiet", "--format", "sarif", snaps[0], snaps[1])
		if code != exitError || !strings.Contains(errOut, "three snapshots") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
