// Package capture takes heap snapshots of running Node.js processes through
// the inspector (the Chrome DevTools Protocol over a WebSocket), and runs a
// program under a repeated scenario to collect the baseline, target and
// final snapshots a leak report needs, with a trend of process.memoryUsage().
package capture

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// maxMessage bounds one inspector message. Snapshot chunks are small (V8
// sends them in pieces of a few kilobytes to a megabyte); the bound only
// protects against a peer that sends a runaway message.
const maxMessage = 64 << 20

// Client is a connection to one Node.js inspector target. Its methods are
// safe for sequential use; a snapshot in progress must finish before the
// next call.
type Client struct {
	conn *websocket.Conn

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan response
	sink    *snapshotSink // the snapshot being streamed, if any
	err     error         // why the read loop ended

	done chan struct{} // closed when the read loop ends
}

// snapshotSink receives the chunks of one snapshot.
type snapshotSink struct {
	w        *bufio.Writer
	err      error
	progress func(stage string, done, total int64)
}

type response struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// message is any message from the inspector: a response (ID set) or an
// event (Method set). Params holds the fields of the events the client
// uses, decoded in the same pass as the envelope so that a snapshot chunk
// is copied once.
type message struct {
	ID     int64  `json:"id"`
	Method string `json:"method"`
	Params struct {
		Chunk string `json:"chunk"` // addHeapSnapshotChunk
		Done  int64  `json:"done"`  // reportHeapSnapshotProgress
		Total int64  `json:"total"`
	} `json:"params"`
	response
}

// Dial connects to target, either a ws:// URL or HOST:PORT of an inspector
// (node --inspect=HOST:PORT), in which case the first target listed at
// http://HOST:PORT/json/list is used. Hosts that are not loopback addresses
// are refused unless allowRemote is set: the inspector runs arbitrary code
// in the process it debugs.
func Dial(ctx context.Context, target string, allowRemote bool) (*Client, error) {
	wsURL, err := resolve(ctx, target, allowRemote)
	if err != nil {
		return nil, err
	}
	conn, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		return nil, fmt.Errorf("connect to the inspector at %s: %w (is the process running with --inspect?)", wsURL, err)
	}
	conn.SetReadLimit(maxMessage)
	c := &Client{conn: conn, pending: map[int64]chan response{}, done: make(chan struct{})}
	go c.readLoop()
	return c, nil
}

// resolve turns target into a WebSocket URL, checking the host.
func resolve(ctx context.Context, target string, allowRemote bool) (string, error) {
	if strings.HasPrefix(target, "ws://") || strings.HasPrefix(target, "wss://") {
		u, err := url.Parse(target)
		if err != nil {
			return "", fmt.Errorf("inspector URL %q: %w", target, err)
		}
		if err := checkHost(u.Hostname(), allowRemote); err != nil {
			return "", err
		}
		return target, nil
	}
	host, _, err := net.SplitHostPort(target)
	if err != nil {
		return "", fmt.Errorf("inspector address %q: want HOST:PORT or a ws:// URL", target)
	}
	if err := checkHost(host, allowRemote); err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+target+"/json/list", nil)
	if err != nil {
		return "", fmt.Errorf("inspector address %q: %w", target, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("list the inspector targets at %s: %w (is the process running with --inspect=%s?)", target, err, target)
	}
	defer resp.Body.Close()
	var targets []struct {
		URL string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&targets); err != nil {
		return "", fmt.Errorf("read the inspector targets at %s: %w", target, err)
	}
	for _, t := range targets {
		if t.URL != "" {
			return t.URL, nil
		}
	}
	return "", fmt.Errorf("the inspector at %s lists no target (another debugger may be attached)", target)
}

// checkHost refuses hosts that are not loopback unless allowRemote.
func checkHost(host string, allowRemote bool) error {
	if allowRemote || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("inspector host %q is not a loopback address; pass --allow-remote to connect to it anyway", host)
}

// readLoop dispatches responses to their callers and snapshot chunks to
// the current sink, until the connection ends.
func (c *Client) readLoop() {
	ctx := context.Background()
	var err error
	var buf bytes.Buffer // reused: messages are read into it one by one
	for {
		var r io.Reader
		if _, r, err = c.conn.Reader(ctx); err != nil {
			break
		}
		buf.Reset()
		if _, err = buf.ReadFrom(r); err != nil {
			break
		}
		var m message
		if json.Unmarshal(buf.Bytes(), &m) != nil {
			continue // not a protocol message; nothing can be done with it
		}
		c.dispatch(&m)
	}
	c.mu.Lock()
	c.err = fmt.Errorf("the inspector connection ended: %w", err)
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.mu.Unlock()
	close(c.done)
}

func (c *Client) dispatch(m *message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m.Method {
	case "":
		if ch, ok := c.pending[m.ID]; ok {
			ch <- m.response
			delete(c.pending, m.ID)
		}
	case "HeapProfiler.addHeapSnapshotChunk":
		if c.sink == nil || c.sink.err != nil {
			return
		}
		_, c.sink.err = c.sink.w.WriteString(m.Params.Chunk)
	case "HeapProfiler.reportHeapSnapshotProgress":
		if c.sink == nil || c.sink.progress == nil {
			return
		}
		c.sink.progress("snapshot", m.Params.Done, m.Params.Total)
	}
}

// Call sends method with params and decodes its result into result (which
// may be nil). It fails when ctx ends, the peer reports an error, or the
// connection ends.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.nextID++
	id := c.nextID
	ch := make(chan response, 1)
	c.pending[id] = ch
	c.mu.Unlock()

	req := map[string]any{"id": id, "method": method}
	if params != nil {
		req["params"] = params
	}
	data, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	if err := c.conn.Write(ctx, websocket.MessageText, data); err != nil {
		c.forget(id)
		return fmt.Errorf("%s: send: %w", method, err)
	}
	select {
	case r, ok := <-ch:
		if !ok {
			return fmt.Errorf("%s: %w", method, c.readErr())
		}
		if r.Error != nil {
			return fmt.Errorf("%s: %s (code %d)", method, r.Error.Message, r.Error.Code)
		}
		if result != nil {
			if err := json.Unmarshal(r.Result, result); err != nil {
				return fmt.Errorf("%s: decode the result: %w", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		c.forget(id)
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (c *Client) forget(id int64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *Client) readErr() error {
	<-c.done
	return c.err
}

// CollectGarbage runs a full garbage collection in the target.
func (c *Client) CollectGarbage(ctx context.Context) error {
	return c.Call(ctx, "HeapProfiler.collectGarbage", nil, nil)
}

// TrackAllocations starts V8's allocation tracker in the target
// (HeapProfiler.startTrackingHeapObjects with trackAllocations): from then
// on, the heap snapshots it takes carry the allocation stack of every
// object allocated since (trace_function_infos, trace_tree and each
// node's trace_node_id). Tracking lasts until the profiler is disabled or
// the connection closes, and slows allocation down.
func (c *Client) TrackAllocations(ctx context.Context) error {
	if err := c.Call(ctx, "HeapProfiler.enable", nil, nil); err != nil {
		return err
	}
	return c.Call(ctx, "HeapProfiler.startTrackingHeapObjects", map[string]any{"trackAllocations": true}, nil)
}

// TakeHeapSnapshot collects garbage, then writes a heap snapshot of the
// target to path, streaming its chunks to the file as they arrive (memory
// use does not grow with the snapshot). progress, when not nil, receives
// V8's progress in nodes. On failure the incomplete file is removed and the
// error names it.
func (c *Client) TakeHeapSnapshot(ctx context.Context, path string, progress func(stage string, done, total int64)) (err error) {
	if err := c.CollectGarbage(ctx); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create the snapshot file: %w", err)
	}
	sink := &snapshotSink{w: bufio.NewWriterSize(f, 1<<20), progress: progress}
	c.mu.Lock()
	c.sink = sink
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.sink = nil
		c.mu.Unlock()
		if err != nil {
			f.Close()
			os.Remove(path)
			err = fmt.Errorf("snapshot %s left incomplete and removed: %w", path, err)
		}
	}()
	if err := c.Call(ctx, "HeapProfiler.takeHeapSnapshot", map[string]any{"reportProgress": progress != nil}, nil); err != nil {
		return err
	}
	// The response follows the last chunk, so the sink is complete; take
	// the lock to read its state written by the read loop.
	c.mu.Lock()
	serr := sink.err
	c.mu.Unlock()
	if serr != nil {
		return fmt.Errorf("write the snapshot: %w", serr)
	}
	if err := sink.w.Flush(); err != nil {
		return fmt.Errorf("write the snapshot: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write the snapshot: %w", err)
	}
	return nil
}

// MemoryUsage is process.memoryUsage() of the target, in bytes.
type MemoryUsage struct {
	RSS          uint64 `json:"rss"`
	HeapTotal    uint64 `json:"heapTotal"`
	HeapUsed     uint64 `json:"heapUsed"`
	External     uint64 `json:"external"`
	ArrayBuffers uint64 `json:"arrayBuffers"`
}

// MemoryUsage evaluates process.memoryUsage() in the target.
func (c *Client) MemoryUsage(ctx context.Context) (MemoryUsage, error) {
	var r struct {
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := c.Call(ctx, "Runtime.evaluate", map[string]any{
		"expression":    "JSON.stringify(process.memoryUsage())",
		"returnByValue": true,
	}, &r)
	if err != nil {
		return MemoryUsage{}, err
	}
	if r.ExceptionDetails != nil {
		return MemoryUsage{}, fmt.Errorf("process.memoryUsage() failed in the target: %s", r.ExceptionDetails.Text)
	}
	var m MemoryUsage
	if err := json.Unmarshal([]byte(r.Result.Value), &m); err != nil {
		return MemoryUsage{}, fmt.Errorf("process.memoryUsage(): %w", err)
	}
	return m, nil
}

// Close closes the connection, waiting briefly for the peer to agree.
func (c *Client) Close() {
	go c.conn.Close(websocket.StatusNormalClosure, "")
	select {
	case <-c.done:
	case <-time.After(2 * time.Second):
		c.conn.CloseNow()
	}
}
