package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// frameStream is a jsonrpc2 stream that also hands out raw frames, as the
// streams of jsonrpc2.NewHeaderStream do. jsonrpc2's connection reads such a
// stream frame by frame, which is how it tells single messages from batches
// and answers a batch with one frame.
type frameStream interface {
	jsonrpc2.Stream
	ReadFrame(ctx context.Context) ([]byte, int64, error)
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// Answers to messages the server skips. A body that is not JSON is a parse
// error; JSON that is not a JSON-RPC 2.0 message is an invalid request.
var (
	errNotJSON = jsonrpc2.NewError(jsonrpc2.ParseError,
		"the message body is not JSON; the server skipped it")
	errNotJSONRPC = jsonrpc2.NewError(jsonrpc2.InvalidRequest,
		`the message is not JSON-RPC 2.0 ("jsonrpc" must be "2.0", "id" a string or an integer, "method" a string); the server skipped it`)
)

// tolerantStream is the server's stream: LSP base-protocol framing over rwc
// that survives malformed messages. jsonrpc2 ends the connection on a frame
// it cannot decode; tolerantStream checks each frame with jsonrpc2's own
// decoder first, answers a refused one itself as JSON-RPC asks (a parse
// error or an invalid request, for the request's id when it can be read,
// else for id null), reports it to refused and reads the next frame. Only a
// broken frame header, after which the next message cannot be found, ends
// the stream.
type tolerantStream struct {
	frameStream
	refused func(answer *jsonrpc2.Error, body []byte)
}

func newTolerantStream(rwc io.ReadWriteCloser, refused func(answer *jsonrpc2.Error, body []byte)) *tolerantStream {
	return &tolerantStream{frameStream: jsonrpc2.NewHeaderStream(rwc).(frameStream), refused: refused}
}

// ReadFrame returns the body of the next frame that jsonrpc2 can decode,
// answering and skipping the others.
func (s *tolerantStream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		body, n, err := s.frameStream.ReadFrame(ctx)
		if err != nil {
			return nil, 0, err
		}
		answer := refusal(body)
		if answer == nil {
			return body, n, nil
		}
		if _, err := s.frameStream.Write(ctx, jsonrpc2.NewResponse(requestID(body), nil, answer)); err != nil {
			return nil, 0, err
		}
		s.refused(answer, body)
	}
}

// Read returns the next message that jsonrpc2 can decode, answering and
// skipping the others. Like jsonrpc2's own streams it refuses a batch, which
// only ReadFrame delivers.
func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	body, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(body)
	return msg, n, err
}

// refusal returns the answer to a frame body that jsonrpc2 cannot decode, or
// nil when it can. A batch is refused only when it is not JSON: jsonrpc2
// answers its malformed members one by one.
func refusal(body []byte) *jsonrpc2.Error {
	var err error
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '[' {
		_, err = jsonrpc2.ParseRequests(body)
	} else {
		_, err = jsonrpc2.DecodeMessage(body)
	}
	switch {
	case err == nil:
		return nil
	case !json.Valid(body):
		return errNotJSON
	}
	return errNotJSONRPC
}

// requestID returns the id of a refused request, so that the client can
// match the answer to it: the "id" of a JSON object with a "method", when it
// is a string or an integer. Anything else (a response, an object or
// fractional id) is answered with id null, as JSON-RPC asks.
func requestID(body []byte) jsonrpc2.ID {
	var msg struct {
		Method *string          `json:"method"`
		ID     *json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &msg) != nil || msg.Method == nil || msg.ID == nil {
		return jsonrpc2.ID{}
	}
	var n *int64
	if json.Unmarshal(*msg.ID, &n) == nil && n != nil {
		return jsonrpc2.NewNumberID(*n)
	}
	var str *string
	if json.Unmarshal(*msg.ID, &str) == nil && str != nil {
		return jsonrpc2.NewStringID(*str)
	}
	return jsonrpc2.ID{}
}

// logRefused logs a message the stream refused, with the start of its body.
func (s *Server) logRefused(answer *jsonrpc2.Error, body []byte) {
	s.logf(protocol.MessageTypeError, "skipped a malformed message (error %d: %s): %.200q", answer.Code, answer.Message, body)
}
