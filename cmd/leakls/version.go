package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

var versionCommand = &command{
	name:    "version",
	usage:   "",
	summary: "print the leakls version",
	help:    "Prints the leakls module version, the VCS revision it was built from (when known) and the Go version.",
	run: func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
		if code, ok := parseFlags(fs, args); !ok {
			return code
		}
		fmt.Fprintf(stdout, "leakls %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return exitClean
	},
}

// version describes the build: the module version when installed with
// "go install", else the VCS revision, else "devel".
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "devel"
	}
	return "devel-" + rev + dirty
}
