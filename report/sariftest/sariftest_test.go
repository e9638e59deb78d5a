package sariftest

import (
	"strings"
	"testing"
)

const valid = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "leakls", "rules": [{"id": "LK001", "helpUri": "https://x.org/LK001",
      "shortDescription": {"text": "grows"}, "help": {"text": "grows", "markdown": "# grows"}}]}},
    "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///src/"}},
    "results": [{
      "ruleId": "LK001", "ruleIndex": 0, "level": "warning", "message": {"text": "grows"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a.js", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 4}}}]
    }]
  }]
}`

func TestValid(t *testing.T) {
	if err := Validate([]byte(valid)); err != nil {
		t.Fatal(err)
	}
}

// Each mutation of the valid log must be reported with the given text.
func TestInvalid(t *testing.T) {
	for _, c := range []struct{ from, to, want string }{
		{`"version": "2.1.0"`, `"version": "2.0.0"`, "version"},
		{`"startColumn": 1`, `"startcolumn": 1`, "unknown object member"},
		{`"ruleIndex": 0`, `"ruleIndex": 3`, "ruleIndex 3"},
		{`"startLine": 1`, `"startLine": 0`, "startLine is 0"},
		{`"level": "warning"`, `"level": "severe"`, "not a SARIF level"},
		{`"uriBaseId": "%SRCROOT%"`, `"uriBaseId": "%OTHER%"`, "not declared"},
		{`"uri": "a.js", "uriBaseId": "%SRCROOT%"`, `"uri": "a.js"`, "relative without a uriBaseId"},
		{`"endLine": 1, "endColumn": 4`, `"endLine": 0, "endColumn": 4`, "endLine is 0"},
		{`"message": {"text": "grows"},`, ``, "message.text is required"},
		{`"file:///src/"`, `"file:///src"`, "ending in /"},
		{`"ruleId": "LK001"`, `"ruleId": "LK002"`, `not ruleId "LK002"`},
		{`{"id": "LK001", "helpUri": "https://x.org/LK001",`, `{"id": "LK001"}, {"id": "LK001",`, "duplicate id"},
		{`"helpUri": "https://x.org/LK001"`, `"helpUri": "LK001.md"`, "not an absolute URI"},
		{`"help": {"text": "grows", "markdown"`, `"help": {"markdown"`, "help needs text"},
		{`"shortDescription": {"text": "grows"}`, `"shortDescription": {"text": ""}`, "shortDescription needs text"},
		{`"markdown": "# grows"`, `"markdown": ""`, "help.markdown is empty"},
		{`"markdown": "# grows"`, `"markdwn": "# grows"`, "unknown object member"},
	} {
		doc := strings.Replace(valid, c.from, c.to, 1)
		if doc == valid {
			t.Fatalf("mutation %q does not apply", c.from)
		}
		err := Validate([]byte(doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q → %q: error %v, want %q", c.from, c.to, err, c.want)
		}
	}
	if err := Validate([]byte("{")); err == nil {
		t.Error("truncated JSON accepted")
	}
}
