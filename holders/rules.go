package holders

import (
	"github.com/leakls/leakls/finding"
	"github.com/leakls/leakls/staticcheck"
)

// Rule describes one kind of snapshot evidence: the kind of holder a leak
// cluster was traced to. The IDs are stable; each has a documentation page
// docs/rules/<ID>.md.
type Rule struct {
	// ID is the stable code, "LK101".
	ID string
	// Name is the short kebab-case name, "retained-by-variable".
	Name string
	// Summary is one line for lists and SARIF short descriptions.
	Summary string
	// Severity is the default severity of the rule's findings.
	Severity finding.Severity
}

// The snapshot-evidence rules, one per kind of holder.
var (
	// RetainedByVariable is a module-level variable (a Map cache, an
	// array, a Set) that keeps the leaked objects.
	RetainedByVariable = &Rule{ID: "LK101", Name: "retained-by-variable",
		Summary: "a module-level variable retains objects allocated during the suspect work, a collection that keeps growing, or much of the heap"}
	// RetainedByListener is an event listener, registered and never
	// removed, whose closure keeps the leaked objects.
	RetainedByListener = &Rule{ID: "LK102", Name: "retained-by-listener",
		Summary: "an event listener that is never removed retains objects allocated during the suspect work, or is added again and again"}
	// RetainedByTimer is a setInterval/setTimeout callback that keeps the
	// leaked objects while the timer is pending.
	RetainedByTimer = &Rule{ID: "LK103", Name: "retained-by-timer",
		Summary: "a pending timer's callback retains objects allocated during the suspect work, or much of the heap"}
	// RetainedByProperty is a property of a long-lived object (a class
	// instance or a module-level object literal) that keeps the leaked
	// objects.
	RetainedByProperty = &Rule{ID: "LK104", Name: "retained-by-property",
		Summary: "a property of a long-lived object retains objects allocated during the suspect work, a collection that keeps growing, or much of the heap"}
	// RetainedByClosure is a closure, kept alive by something outside
	// the user's code or by other leaked closures, whose captured
	// variables keep the leaked objects.
	RetainedByClosure = &Rule{ID: "LK105", Name: "retained-by-closure",
		Summary: "a long-lived closure retains objects allocated during the suspect work, or much of the heap"}
)

// registry lists the rules sorted by ID; a test checks that IDs are unique
// and sorted and that each has a documentation page.
var registry = []*Rule{RetainedByVariable, RetainedByListener, RetainedByTimer, RetainedByProperty, RetainedByClosure}

// Rules returns every snapshot-evidence rule, sorted by ID. The caller must
// not modify them.
func Rules() []*Rule { return registry }

// Lookup returns the rule with the given ID or name, or nil.
func Lookup(id string) *Rule {
	for _, r := range registry {
		if r.ID == id || r.Name == id {
			return r
		}
	}
	return nil
}

// DocURL returns the address of the documentation page of rule id.
func DocURL(id string) string { return staticcheck.DocURL(id) }
