package holders

import "github.com/leakls/leakls/docs/rules"

// The snapshot-evidence rules, one per kind of holder a leak cluster is
// traced to; their names, severities and documentation are the catalogue's
// (docs/rules/<ID>.md).
var (
	// RetainedByVariable is a module-level variable (a Map cache, an
	// array, a Set) that keeps the leaked objects.
	RetainedByVariable = rules.Must("LK101")
	// RetainedByListener is an event listener, registered and never
	// removed, whose closure keeps the leaked objects.
	RetainedByListener = rules.Must("LK102")
	// RetainedByTimer is a setInterval/setTimeout callback that keeps the
	// leaked objects while the timer is pending.
	RetainedByTimer = rules.Must("LK103")
	// RetainedByProperty is a property of a long-lived object (a class
	// instance or a module-level object literal) that keeps the leaked
	// objects.
	RetainedByProperty = rules.Must("LK104")
	// RetainedByClosure is a closure, kept alive by something outside
	// the user's code or by other leaked closures, whose captured
	// variables keep the leaked objects.
	RetainedByClosure = rules.Must("LK105")
)
