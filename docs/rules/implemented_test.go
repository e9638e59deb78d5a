package rules_test

import (
	"testing"

	"github.com/leakls/leakls/docs/rules"
	"github.com/leakls/leakls/holders"
	"github.com/leakls/leakls/staticcheck"
)

// TestEveryPageImplemented checks that every page of the catalogue is a
// rule that runs: a static rule of staticcheck, or snapshot evidence that
// holders reports. (A rule without a page cannot be declared: rules.Must
// panics.)
func TestEveryPageImplemented(t *testing.T) {
	evidence := map[*rules.Rule]bool{
		holders.RetainedByVariable: true,
		holders.RetainedByListener: true,
		holders.RetainedByTimer:    true,
		holders.RetainedByProperty: true,
		holders.RetainedByClosure:  true,
	}
	for _, r := range rules.All() {
		switch r.Kind {
		case rules.Static:
			if sr := staticcheck.Lookup(r.ID); sr == nil || sr.Rule != r {
				t.Errorf("docs/rules/%s.md documents a static rule that staticcheck does not run", r.ID)
			}
		case rules.Snapshot:
			if !evidence[r] {
				t.Errorf("docs/rules/%s.md documents snapshot evidence that holders does not report", r.ID)
			}
			delete(evidence, r)
		}
	}
	for _, r := range staticcheck.Rules() {
		if rules.Lookup(r.ID) != r.Rule {
			t.Errorf("staticcheck runs %s, which is not the catalogue's", r.ID)
		}
	}
	for r := range evidence {
		t.Errorf("holders reports %s as snapshot evidence; its ID makes it a static rule", r.ID)
	}
}
