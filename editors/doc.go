// Package editors holds the leakls editor clients — the VS Code extension in
// vscode/ and the Neovim plugin in nvim/ — and the Go tests that drive them
// with real clients against the real server binary: headless Neovim, batch
// Emacs with eglot (configured as editors/README.md says), and node running
// the bundled extension and a vscode-languageserver-protocol client. It has
// no Go API.
package editors
