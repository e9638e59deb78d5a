package editors

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/leakls/leakls/docs/rules"
)

// TestVSCodeRuleSettings checks that the VS Code extension's "leakls.rules"
// setting offers every rule of the catalogue, described by its name and
// summary, and no other.
func TestVSCodeRuleSettings(t *testing.T) {
	var rulesSetting struct {
		Properties map[string]struct{ Description string }
	}
	if err := json.Unmarshal(vscodeSettings(t)["leakls.rules"], &rulesSetting); err != nil {
		t.Fatal(err)
	}
	settings := rulesSetting.Properties
	var ids []string
	for _, r := range rules.All() {
		ids = append(ids, r.ID)
		if want := r.Name + ": " + r.Summary; settings[r.ID].Description != want {
			t.Errorf("vscode/package.json: leakls.rules.%s is described as %q, want %q", r.ID, settings[r.ID].Description, want)
		}
	}
	for id := range settings {
		if !slices.Contains(ids, id) {
			t.Errorf("vscode/package.json: leakls.rules.%s is not a rule", id)
		}
	}
}

// TestVSCodeServerSettings checks that the VS Code extension contributes a
// setting for every key of the server's settings that docs/lsp.md lists,
// so that none is documented but out of reach from VS Code.
func TestVSCodeServerSettings(t *testing.T) {
	doc, err := os.ReadFile("../docs/lsp.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "## Settings")
	if !ok {
		t.Fatal("docs/lsp.md has no Settings section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	var keys []string
	for _, line := range strings.Split(table, "\n") {
		if rest, ok := strings.CutPrefix(line, "| `"); ok {
			key, _, _ := strings.Cut(rest, "`")
			keys = append(keys, key)
		}
	}
	if len(keys) < 5 {
		t.Fatalf("read %d keys from the settings table of docs/lsp.md: %v", len(keys), keys)
	}
	contributed := vscodeSettings(t)
	for _, key := range keys {
		if _, ok := contributed["leakls."+key]; !ok {
			t.Errorf("vscode/package.json contributes no leakls.%s, a server setting of docs/lsp.md", key)
		}
	}
}

// vscodeSettings returns the settings the VS Code extension contributes
// (contributes.configuration.properties of its package.json), by name.
func vscodeSettings(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile("vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contributes struct {
			Configuration struct {
				Properties map[string]json.RawMessage
			}
		}
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Contributes.Configuration.Properties
}
