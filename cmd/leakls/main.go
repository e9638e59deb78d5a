// Command leakls finds memory leaks in Node.js programs: leak shapes in
// JavaScript and TypeScript source, and leak evidence in V8 heap snapshots,
// mapped to the line of code that holds the memory.
//
// Usage:
//
//	leakls <command> [flags] [arguments]
//
// Run "leakls help" for the list of commands and "leakls <command> --help"
// for the flags of one.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit codes shared by every command.
const (
	exitClean    = 0 // nothing found / success
	exitFindings = 1 // leaks found
	exitError    = 2 // usage, input or I/O error
)

// command is one subcommand of the leakls binary.
type command struct {
	name    string
	usage   string // argument synopsis after the command name
	summary string // one line for "leakls help"
	help    string // paragraphs shown by "leakls <command> --help"
	// run parses args with fs (already carrying the command's usage) and
	// returns the process exit code.
	run func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int
}

// commands is the table of subcommands, in the order "leakls help" lists them.
var commands = []*command{
	checkCommand,
	serveCommand,
	snapshotCommand,
	captureCommand,
	runCommand,
	profileCommand,
	rulesCommand,
	versionCommand,
}

func main() {
	os.Exit(runMain(os.Args[1:], os.Stdout, os.Stderr))
}

func runMain(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printUsage(stderr)
		return exitError
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if c := lookup(args[1]); c != nil {
				c.flagSet(stdout).Usage()
				return exitClean
			}
		}
		printUsage(stdout)
		return exitClean
	case "-version", "--version":
		name = "version"
	}
	c := lookup(name)
	if c == nil {
		fmt.Fprintf(stderr, "leakls: unknown command %q\nRun 'leakls help' for the list of commands.\n", name)
		return exitError
	}
	return c.run(c.flagSet(usageOutput(args[1:], stdout, stderr)), args[1:], stdout, stderr)
}

// usageOutput returns where the usage text of a command run with args
// goes: stdout when the user asked for it (-h, -help or --help before
// "--"), stderr when it follows a usage error.
func usageOutput(args []string, stdout, stderr io.Writer) io.Writer {
	for _, a := range args {
		switch a {
		case "--":
			return stderr
		case "-h", "-help", "--help":
			return stdout
		}
	}
	return stderr
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// flagSet returns a flag set for c whose usage text goes to w.
func (c *command) flagSet(w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprintf(w, "usage: leakls %s %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.help))
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args and reports whether the command should go on; when
// it should not, code is the exit code (0 after --help, 2 after a bad flag).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitClean, false
		}
		return exitError, false
	}
	return 0, true
}

func printUsage(w io.Writer) {
	fmt.Fprint(w, `leakls finds memory leaks in Node.js programs and shows them on the line
of code that holds the memory.

usage: leakls <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'leakls <command> --help' for the flags and arguments of a command.
Exit codes: 0 nothing found, 1 leaks found, 2 usage or input error.
`)
}
