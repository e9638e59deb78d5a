package holders

import (
	"testing"

	"github.com/leakls/leakls/finding"
)

// TestUnconfirm takes back what link says of a growth site that a static
// rule flags, whatever else the message says around it.
func TestUnconfirm(t *testing.T) {
	base := "the listener registered here retains 10 ServerResponse objects"
	f := finding.Finding{Rule: "LK102", Message: base + confirmedNote + "LK002 listener-leak" + confirmedNoteEnd + "; 2 more clusters",
		Severity: finding.SeverityError, Confirmed: []string{"LK002"}}
	Unconfirm(&f)
	if want := base + "; 2 more clusters"; f.Message != want || f.Confirmed != nil || f.Severity != RetainedByListener.Severity {
		t.Errorf("got %q %v %v, want %q, no confirmation, severity %v", f.Message, f.Confirmed, f.Severity, want, RetainedByListener.Severity)
	}
}
