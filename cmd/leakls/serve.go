package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/leakls/leakls/lsp"
)

var serveCommand = &command{
	name:    "serve",
	usage:   "[--stdio]",
	summary: "run the language server (LSP on stdin/stdout)",
	help: `Runs the leakls language server. It speaks the Language Server Protocol on
standard input and output, so an editor starts it as its server command;
logs go to standard error. Leak findings appear as diagnostics while you
type, with quick fixes, hover documentation, go-to-holder for heap-snapshot
evidence, and background analysis of the whole workspace.

The process exits with code 0 after the client's shutdown and exit, and
with code 1 when the client exits without shutdown or the stream ends, as
the protocol specifies. See docs/lsp.md for capabilities and settings.`,
	run: func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
		fs.Bool("stdio", true, "speak LSP on stdin/stdout (the only transport; accepted because editors pass it)")
		if code, ok := parseFlags(fs, args); !ok {
			return code
		}
		if fs.NArg() > 0 {
			fmt.Fprintf(stderr, "leakls serve: unexpected argument %q\n", fs.Arg(0))
			return exitError
		}
		stream, err := lsp.Stdio()
		if err != nil {
			fmt.Fprintf(stderr, "leakls serve: %v\n", err)
			return exitError
		}
		srv := lsp.New(lsp.Options{Log: stderr, Version: version()})
		err = srv.Serve(context.Background(), stream)
		switch {
		case err == nil:
			return exitClean
		case errors.Is(err, lsp.ErrNoShutdown):
			return 1 // the protocol's exit code for exit without shutdown
		}
		fmt.Fprintf(stderr, "leakls serve: %v\n", err)
		return 1
	}}
