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
	data, err := os.ReadFile("vscode/package.json")
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Contributes struct {
			Configuration struct {
				Properties struct {
					Rules struct {
						Properties map[string]struct{ Description string }
					} `json:"leakls.rules"`
				}
			}
		}
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatal(err)
	}
	settings := pkg.Contributes.Configuration.Properties.Rules.Properties
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
	for _, key := range keys {
		if _, ok := pkg.Contributes.Configuration.Properties["leakls."+key]; !ok {
			t.Errorf("vscode/package.json contributes no leakls.%s, a server setting of docs/lsp.md", key)
		}
	}
}
