package lsp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/heapprofile"
	"github.com/leakls/leakls/internal/testenv"
	"github.com/leakls/leakls/internal/units"
	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/srcloc"
)

// profLib allocates about 15 MB in buildTable, the profile's top site,
// and little in describe. Line 1 holds, before buildTable, text whose
// UTF-8 and UTF-16 columns differ and an assignment to an undeclared name
// (LK005), so that its hover has a finding as well as the allocation
// figures.
const profLib = `// The allocating module of the profile tests.
const tag = '表🦄'; function buildTable(n) { lastSize = n;
  const rows = [];
  for (let i = 0; i < n; i++) rows.push({ id: i, name: tag + i });
  return rows;
}

function describe(k) {
  return { k, label: 'table ' + k };
}

module.exports = { buildTable, describe };
`

// profMain calls buildTable and describe a few times each, few enough that
// V8 does not inline them into this module.
const profMain = `const { buildTable, describe } = require('./lib.js');
globalThis.keep = [];
for (let k = 0; k < 10; k++) {
  globalThis.keep.push(buildTable(20000));
  globalThis.keep.push(describe(k));
}
`

// buildTableLine is the 0-based line of buildTable in profLib.
const buildTableLine = 1

// writeProgram writes profLib and profMain into dir.
func writeProgram(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "lib.js"), profLib)
	writeFile(t, filepath.Join(dir, "main.js"), profMain)
}

// runProfiled runs main.js in dir under real node --heap-prof, which
// writes its profile into dir, and returns the profile's path.
func runProfiled(t *testing.T, dir string) string {
	t.Helper()
	node := testenv.Node(t)
	cmd := exec.Command(node, "--heap-prof", "--heap-prof-interval=4096", "--heap-prof-dir="+dir, "main.js")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("node --heap-prof main.js: %v\n%s", err, out)
	}
	found, err := filepath.Glob(filepath.Join(dir, "*.heapprofile"))
	if err != nil || len(found) != 1 {
		t.Fatalf("node --heap-prof wrote %v (%v), want one .heapprofile", found, err)
	}
	return found[0]
}

// topSite reads the profile at path with the heapprofile package, placed
// in root, and checks that the fixture worked: buildTable allocated most.
func topSite(t *testing.T, path, root string) (heapprofile.Site, *heapprofile.Report) {
	t.Helper()
	rep, err := heapprofile.ReadFile(path, heapprofile.Options{Resolver: srcloc.NewResolver(root)})
	if err != nil {
		t.Fatal(err)
	}
	top := rep.Sites[0]
	if top.FunctionName != "buildTable" || top.SelfPercent < 50 || top.Place == nil {
		t.Fatalf("the profile's top site is %s with %.1f%% at %v; the fixture wants buildTable with most bytes", top.FunctionName, top.SelfPercent, top.Place)
	}
	return top, rep
}

// codeLenses asks for the code lenses of uri.
func (c *client) codeLenses(uri string) []protocol.CodeLens {
	c.t.Helper()
	var lenses []protocol.CodeLens
	c.mustCall(protocol.MethodTextDocumentCodeLens, &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: uriOf(uri)}}, &lenses)
	return lenses
}

// checkLens checks that lenses hold one lens for buildTable, at column
// char of its line, with site's self figures and the profile's name, and
// none for describe.
func checkLens(t *testing.T, lenses []protocol.CodeLens, site heapprofile.Site, profile string, char uint32) {
	t.Helper()
	var got []protocol.CodeLens
	for _, l := range lenses {
		if strings.HasPrefix(l.Command.Title, "buildTable ") {
			got = append(got, l)
		}
		if strings.HasPrefix(l.Command.Title, "describe ") {
			t.Errorf("lens for describe, which allocated little: %+v", l)
		}
	}
	if len(got) != 1 {
		t.Fatalf("lenses %+v, want one for buildTable", lenses)
	}
	l := got[0]
	if want := (protocol.Position{Line: buildTableLine, Character: char}); l.Range.Start != want {
		t.Errorf("lens at %+v, want %+v", l.Range.Start, want)
	}
	if l.Command.Command != "" {
		t.Errorf("lens command %q: the lenses are information, shown as text; a command id makes clients offer to run it", l.Command.Command)
	}
	wantFigures := fmt.Sprintf("allocated %s (%.1f%%)", units.Bytes(site.Self), site.SelfPercent)
	if !strings.Contains(l.Command.Title, wantFigures) || !strings.HasSuffix(l.Command.Title, " "+profile) {
		t.Errorf("lens title %q, want %q and the profile %s", l.Command.Title, wantFigures, profile)
	}
}

// utf8Column converts the UTF-16 column col of line to bytes.
func utf8Column(line string, col int) uint32 {
	return uint32(len(string(utf16.Decode(utf16.Encode([]rune(line))[:col]))))
}

// TestProfileLensAndHover starts the server on a workspace that already
// holds a profile written by real node: the lens of the top allocating
// function is on its line, at V8's UTF-16 column, and the hover of that
// line shows the finding there and the allocation figures. The client
// offers no code-lens refresh, and gets none.
func TestProfileLensAndHover(t *testing.T) {
	dir := t.TempDir()
	writeProgram(t, dir)
	profile := runProfiled(t, dir)
	site, rep := topSite(t, profile, dir)

	c := newClient(t, lsp.Options{})
	res := c.initializeIn(dir, nil)
	if res.Capabilities.CodeLensProvider == nil {
		t.Fatal("initialize does not advertise codeLensProvider")
	}
	c.waitLog("allocation profile " + profile + ":")
	c.mu.Lock()
	if c.refreshes != 0 {
		t.Errorf("%d workspace/codeLens/refresh requests to a client that does not support them", c.refreshes)
	}
	c.mu.Unlock()

	uri := "file://" + filepath.Join(dir, "lib.js")
	c.open(uri, "javascript", profLib)
	checkLens(t, c.codeLenses(uri), site, filepath.Base(profile), uint32(site.ColumnNumber))

	d := find(t, c.waitDiagnostics(uri, hasRule("LK005")), "LK005")
	if d.Range.Start.Line != buildTableLine {
		t.Fatalf("LK005 at %+v, want it on line %d with buildTable", d.Range, buildTableLine)
	}
	h := c.hoverAt(uri, d.Range.Start)
	for _, want := range []string{
		"**LK005",
		"**Allocation profile** `" + filepath.Base(profile) + "` — `buildTable`",
		fmt.Sprintf("self (allocated by the function itself): %s (%.1f%%)", units.Bytes(site.Self), site.SelfPercent),
		fmt.Sprintf("total (with its callees): %s (%.1f%%)", units.Bytes(site.Total), site.TotalPercent),
		fmt.Sprintf("%s sampled in %d samples", units.Bytes(rep.Total), rep.Samples),
	} {
		if !strings.Contains(h, want) {
			t.Errorf("hover on line %d lacks %q:\n%s", buildTableLine, want, h)
		}
	}
	if strings.Index(h, "**LK005") > strings.Index(h, "**Allocation profile**") {
		t.Errorf("hover has the allocation figures before the finding:\n%s", h)
	}
	if h := c.hoverAt(uri, protocol.Position{Line: buildTableLine + 2}); h != "" {
		t.Errorf("hover inside buildTable, below its first line:\n%s", h)
	}
}

// TestProfileAppears runs the program under real node after the server
// started, in a session that negotiated UTF-8 positions: the profile is
// picked up by the watcher, the client is asked to refresh its lenses, and
// the lens is at the byte column. Deleting the profile removes the lens.
func TestProfileAppears(t *testing.T) {
	dir := t.TempDir()
	writeProgram(t, dir)
	yes := true
	c := newClient(t, lsp.Options{})
	res := c.initializeIn(dir, &protocol.InitializeParams{
		Capabilities: protocol.ClientCapabilities{
			General:   &protocol.GeneralClientCapabilities{PositionEncodings: []protocol.PositionEncodingKind{protocol.PositionEncodingKindUTF8}},
			Workspace: &protocol.WorkspaceClientCapabilities{CodeLens: &protocol.CodeLensWorkspaceClientCapabilities{RefreshSupport: &yes}},
		},
	})
	if res.Capabilities.PositionEncoding != protocol.PositionEncodingKindUTF8 {
		t.Fatalf("positionEncoding %q, want utf-8", res.Capabilities.PositionEncoding)
	}
	uri := "file://" + filepath.Join(dir, "lib.js")
	c.waitLog("watching ")
	c.open(uri, "javascript", profLib)
	if lenses := c.codeLenses(uri); len(lenses) != 0 {
		t.Fatalf("lenses before any profile: %+v", lenses)
	}

	profile := runProfiled(t, dir)
	site, _ := topSite(t, profile, dir)
	c.waitFor("a code lens refresh", func() bool { return c.refreshes > 0 })
	line := strings.Split(profLib, "\n")[buildTableLine]
	checkLens(t, c.codeLenses(uri), site, filepath.Base(profile), utf8Column(line, site.ColumnNumber))

	c.mu.Lock()
	refreshes := c.refreshes
	c.mu.Unlock()
	if err := os.Remove(profile); err != nil {
		t.Fatal(err)
	}
	c.waitFor("a code lens refresh after the profile was deleted", func() bool { return c.refreshes > refreshes })
	if lenses := c.codeLenses(uri); len(lenses) != 0 {
		t.Errorf("lenses after the profile was deleted: %+v", lenses)
	}
}
