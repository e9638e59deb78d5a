package editors

import (
	"encoding/json"
	"os"
	"slices"
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
