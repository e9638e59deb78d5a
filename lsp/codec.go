package lsp

import (
	"slices"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Codec is the jsonrpc2.Codec for LSP payloads: it encodes and decodes
// params and results with protocol.Marshal and protocol.Unmarshal, which know
// the protocol's union types, and passes already-encoded raw messages through
// verbatim. Clients of the server (tests, tools) use it on their end of the
// connection as well.
type Codec struct{}

var _ jsonrpc2.Codec = Codec{}

// Marshal encodes v. A raw message is returned as is; nil encodes as null.
func (Codec) Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case jsonrpc2.RawMessage:
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	case *jsonrpc2.RawMessage:
		if m == nil || *m == nil {
			return []byte("null"), nil
		}
		return *m, nil
	}
	return protocol.Marshal(v)
}

// Unmarshal decodes data into v. A *jsonrpc2.RawMessage receives a copy.
// Other values are decoded from a copy too: protocol.Unmarshal leaves the
// strings of some union values ([]CommandOrCodeAction, say) pointing into
// data, which the connection reuses for the next message.
func (Codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(slices.Clone(data), v)
}
