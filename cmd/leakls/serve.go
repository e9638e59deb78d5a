package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/leakls/leakls/lsp"
	"github.com/leakls/leakls/staticcheck"
)

var serveCommand = &command{
	name:    "serve",
	usage:   "[--stdio] [--max-file-size BYTES]",
	summary: "run the language server (LSP on stdin/stdout)",
	help: `Runs the leakls language server. It speaks the Language Server Protocol on
standard input and output, so an editor starts it as its server command;
logs go to standard error. Leak findings appear as diagnostics while you
type, with quick fixes, hover documentation, go-to-holder for heap-snapshot
evidence, and background analysis of the whole workspace.

Documents and files larger than --max-file-size (default 2 MiB, as for
'leakls check') are not analysed, and the log says so: larger JavaScript is
almost always generated, and its analysis grows with its size. Raise the
limit to have bundles analysed; documents of 256 KiB and more are analysed
one at a time, beside the others, so edits elsewhere stay fast.

The process exits with code 0 after the client's shutdown and exit, and
with code 1 when the client exits without shutdown or the stream ends, as
the protocol specifies. See docs/lsp.md for capabilities and settings.`,
	run: func(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) int {
		fs.Bool("stdio", true, "speak LSP on stdin/stdout (the only transport; accepted because editors pass it)")
		maxFileSize := fs.Int64("max-file-size", staticcheck.MaxFileSize, "do not analyse files larger than this many `bytes`")
		if code, ok := parseFlags(fs, args); !ok {
			return code
		}
		switch {
		case fs.NArg() > 0:
			fmt.Fprintf(stderr, "leakls serve: unexpected argument %q\n", fs.Arg(0))
			return exitError
		case *maxFileSize <= 0:
			fmt.Fprintf(stderr, "leakls serve: --max-file-size must be positive, got %d\n", *maxFileSize)
			return exitError
		}
		stream, err := lsp.Stdio()
		if err != nil {
			fmt.Fprintf(stderr, "leakls serve: %v\n", err)
			return exitError
		}
		srv := lsp.New(lsp.Options{Log: stderr, Version: version(), MaxFileSize: *maxFileSize})
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
