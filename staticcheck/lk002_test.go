package staticcheck_test

import (
	"testing"

	"github.com/leakls/leakls/staticcheck"
	"github.com/leakls/leakls/staticcheck/analysistest"
)

func TestListenerLeak(t *testing.T) {
	analysistest.RunWithFixes(t, "testdata/LK002", staticcheck.ListenerLeak)
}
