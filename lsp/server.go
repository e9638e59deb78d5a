package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/leakls/leakls/internal/sysmem"
	"github.com/leakls/leakls/modgraph"
	"github.com/leakls/leakls/staticcheck"
)

// ErrNoShutdown is returned by Serve when the session ended without the
// shutdown request that must precede exit: the client sent exit without it,
// or the stream closed. By the protocol the process then exits with code 1.
var ErrNoShutdown = errors.New("session ended without a shutdown request")

// CheckFunc analyses source files with their neighbours in the module
// graph, as staticcheck.Checker.Check does. The server asks for one
// document at a time, with the workspace module graph once it is loaded
// and the open documents as overlays; it applies the configuration (rule
// levels, ignored files) to the findings itself.
type CheckFunc func(ctx context.Context, req staticcheck.Request) (*staticcheck.Result, error)

// Options configure a Server. The zero value is usable: it logs to stderr,
// checks sources with a staticcheck.Checker and analyses no snapshots.
type Options struct {
	// Check analyses source files. Nil means the Check of a
	// staticcheck.Checker whose parse cache keeps up to 16 MiB of sources.
	Check CheckFunc
	// AnalyzeSnapshots turns heap-snapshot sets into findings. Nil means
	// the built-in analyzer (analysis.DiffSeries, holders mapped to source
	// with srcloc).
	AnalyzeSnapshots SnapshotAnalyzer
	// Log receives the server's log lines; nil means os.Stderr. The lines are
	// also sent to the client as window/logMessage.
	Log io.Writer
	// Debounce is how long the server waits before it analyses a document
	// edited again within that time, so that a burst of keystrokes costs one
	// analysis; the first edit after a pause is analysed at once. Zero means
	// 20ms.
	Debounce time.Duration
	// Version is reported to the client in serverInfo.
	Version string
	// MaxFileSize is the size in bytes above which a document, or a file
	// read from disk (a neighbour, a file of the workspace), is not
	// analysed; the log says so. Zero means staticcheck.MaxFileSize.
	MaxFileSize int64
	// AvailableMemory returns the memory a snapshot analysis of the
	// built-in analyzer may take: a set whose analysis needs more is
	// refused before it is loaded (see evidence.PlanMemory). Nil means
	// sysmem.Read.
	AvailableMemory func() (sysmem.Available, bool)
}

// lifecycle is where a session is in the initialize … exit sequence.
type lifecycle int

const (
	stateNew lifecycle = iota
	stateInitialized
	stateShutdown
)

// Server is one language-server session. Create it with New and run it with
// Serve; a Server serves one connection once.
type Server struct {
	opts Options
	log  io.Writer

	// ctx is cancelled when the session ends; background work derives from it.
	ctx    context.Context
	cancel context.CancelFunc
	conn   jsonrpc2.Conn
	exited chan struct{}
	wg     sync.WaitGroup // background analyses and watchers
	sem    chan struct{}  // bounds concurrent analyses of documents smaller than bigDocument
	bigSem chan struct{}  // lets one big document be analysed at a time, beside the others

	logMu sync.Mutex
	pubMu sync.Mutex // serialises publishing so each URI's diagnostics arrive in order
	cfgMu sync.Mutex // serialises configuration changes

	mu       sync.Mutex
	state    lifecycle
	closed   bool
	enc      encoding
	files    map[string]*fileState
	client   clientInfo
	exitSeen bool
	root     string          // workspace root ("" when the client opened no folder)
	editor   *editorSettings // settings last received from the editor
	settings *settings       // effective settings; never nil after initialize
	snap     snapshotState
	prof     profileState
	capture  captureState     // leakls.captureSnapshots in phases; its own lock
	analyzer SnapshotAnalyzer // set at initialize
	graph    *modgraph.Graph  // workspace module graph; nil until loaded
	graphT   *time.Timer      // pending reload of graph
}

// clientInfo is what the server remembers of the client's capabilities.
type clientInfo struct {
	name          string
	configuration bool // supports workspace/configuration
	progress      bool // supports window/workDoneProgress
	createFiles   bool // supports creating files in a WorkspaceEdit
	lensRefresh   bool // supports workspace/codeLens/refresh
}

// New returns a server configured by opts.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = os.Stderr
	}
	if opts.Check == nil {
		opts.Check = staticcheck.NewChecker(parseCacheBudget).Check
	}
	if opts.Debounce <= 0 {
		opts.Debounce = 20 * time.Millisecond
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = staticcheck.MaxFileSize
	}
	return &Server{
		opts:   opts,
		log:    opts.Log,
		exited: make(chan struct{}),
		sem:    make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		bigSem: make(chan struct{}, 1),
		files:  make(map[string]*fileState),
		snap:   snapshotState{timers: make(map[string]*time.Timer)},
		prof:   profileState{known: make(map[string]bool)},
	}
}

// Serve runs the session over rwc (LSP base-protocol framing: Content-Length
// headers) until the client sends exit or the stream ends. It returns nil
// after shutdown followed by exit, ErrNoShutdown when the session ended
// without shutdown, or the connection's error.
func (s *Server) Serve(ctx context.Context, rwc io.ReadWriteCloser) error {
	s.mu.Lock()
	if s.conn != nil {
		s.mu.Unlock()
		return errors.New("Serve called twice on one Server; create a new Server per connection")
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
	// When the client goes away, requests waiting for analyses must end so
	// that the connection can drain.
	stream := &endWatcher{ReadWriteCloser: rwc, end: s.cancel}
	s.conn = jsonrpc2.NewConn(newTolerantStream(stream, s.logRefused), jsonrpc2.WithCodec(Codec{}))
	s.mu.Unlock()

	// The read loop runs on ctx, not s.ctx: shutdown cancels s.ctx to stop
	// background work, and the exit notification must still be read after it.
	s.conn.Go(ctx, s.handler())
	select {
	case <-s.conn.Done():
	case <-s.exited:
	case <-ctx.Done():
	}
	s.mu.Lock()
	s.closed = true
	shutdown := s.state == stateShutdown && s.exitSeen
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	s.mu.Lock()
	for _, fs := range s.files {
		fs.closeParser()
	}
	s.mu.Unlock()
	connErr := s.conn.Err()
	s.closeConn(rwc)
	switch {
	case shutdown:
		return nil
	case connErr != nil:
		return fmt.Errorf("connection failed: %w", connErr)
	}
	return ErrNoShutdown
}

// closeConn closes the stream and then the connection, which waits for its
// read loop. A stream whose Read cannot be interrupted (a blocking stdin the
// client keeps open after exit) would hold that wait forever, so it is
// bounded: the session is over and the process is about to exit.
func (s *Server) closeConn(rwc io.Closer) {
	done := make(chan struct{})
	go func() {
		_ = rwc.Close()
		_ = s.conn.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
		s.writeLog("the client kept the stream open after the session ended; not waiting for it")
	}
}

// notify sends a notification to the client, logging (not returning) a
// failure: a client that went away must not stop the server's work.
func (s *Server) notify(method string, params any) {
	if err := s.conn.Notify(context.WithoutCancel(s.ctx), method, params); err != nil && s.ctx.Err() == nil {
		s.writeLog(fmt.Sprintf("sending %s: %v", method, err))
	}
}

// clientCall sends a request to the client and waits for its answer for at
// most timeout, so that a client that never answers cannot wedge the server.
// It must not be called from a handler that still holds the read loop (see
// jsonrpc2.Async).
func (s *Server) clientCall(ctx context.Context, timeout time.Duration, method string, params, result any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return protocol.Call(ctx, s.conn, method, params, result)
}

// goBackground runs f in a goroutine that Serve waits for before it returns.
// It reports false (and does not run f) once the session is over.
func (s *Server) goBackground(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		// A bug in background work (a command's capture, an analysis) is
		// logged; it must not take the server and the editor's session down.
		defer func() {
			if r := recover(); r != nil {
				s.logf(protocol.MessageTypeError, "internal error in background work: %v\n%s", r, debug.Stack())
			}
		}()
		f()
	}()
	return true
}

// endWatcher calls end when reading the stream fails: the client closed it
// or died.
type endWatcher struct {
	io.ReadWriteCloser
	end func()
}

func (w *endWatcher) Read(p []byte) (int, error) {
	n, err := w.ReadWriteCloser.Read(p)
	if err != nil {
		w.end()
	}
	return n, err
}
