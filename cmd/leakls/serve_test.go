package main

import (
	"strings"
	"testing"
)

// TestServeUsageErrors checks that serve refuses bad arguments before it
// speaks the protocol: the server itself is tested in lsp (TestServeExitCodes,
// TestServeMaxFileSize run this binary).
func TestServeUsageErrors(t *testing.T) {
	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"--max-file-size", "0"}, "--max-file-size must be positive, got 0"},
		{[]string{"--max-file-size", "-1"}, "--max-file-size must be positive, got -1"},
		{[]string{"--max-file-size", "4MiB"}, `invalid value "4MiB" for flag -max-file-size`},
		{[]string{"file.js"}, `unexpected argument "file.js"`},
	} {
		code, out, errOut := run(append([]string{"serve"}, c.args...)...)
		if code != exitError || out != "" || !strings.Contains(errOut, c.stderr) {
			t.Errorf("serve %q: exit %d, stdout %q, stderr %q; want exit %d, stderr containing %q", c.args, code, out, errOut, exitError, c.stderr)
		}
	}
}
