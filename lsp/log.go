package lsp

import (
	"fmt"
	"strings"

	"go.lsp.dev/protocol"
)

// logf writes a log line to the server's log (stderr for leakls serve) and,
// once the connection is up, to the client as window/logMessage.
func (s *Server) logf(typ protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.writeLog(msg)
	if s.conn != nil && s.ctx.Err() == nil {
		_ = s.conn.Notify(s.ctx, protocol.MethodWindowLogMessage, &protocol.LogMessageParams{Type: typ, Message: msg})
	}
}

// writeLog writes msg to the server's log only.
func (s *Server) writeLog(msg string) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.log, "leakls: %s\n", strings.TrimRight(msg, "\n"))
}
