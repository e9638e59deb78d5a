;;; e2e.el --- End-to-end test of leakls in Emacs with eglot  -*- lexical-binding: t -*-
;; Run by editors/emacs_test.go in batch Emacs against the real server, with
;; the configuration editors/README.md gives. Inputs come from the
;; environment: LEAKLS_BIN (the server binary), LEAKLS_WS (a copy of
;; testdata/workspace and testdata/snapshots), LEAKLS_NODE (node),
;; LEAKLS_LOG (where each step is reported). A failing
;; step writes "FAIL ..." and exits with status 1.

;; Eglot is Debian's elpa-eglot (Emacs 28 has no built-in eglot): -Q
;; skips Debian's start-up files, which activate the installed packages.
(require 'package)
(add-to-list 'package-directory-list "/usr/share/emacs/site-lisp/elpa")
(package-initialize)
(require 'eglot)
(require 'flymake)
(require 'cl-lib)

(defvar e2e-log (getenv "LEAKLS_LOG"))

(defun e2e-write (line)
  (write-region (concat line "\n") nil e2e-log 'append 'silent))

(defun e2e-step (msg) (e2e-write (concat "ok " msg)))

(defun e2e-wait (what cond &optional seconds)
  "Wait until COND returns non-nil, serving the server's messages."
  (let ((deadline (+ (float-time) (or seconds 20))))
    (while (not (funcall cond))
      (when (> (float-time) deadline)
        (error "timed out waiting for %s" what))
      (accept-process-output nil 0.05))))

(defun e2e-diagnostics (code)
  "The Flymake diagnostics of rule CODE in the current buffer.
Eglot shows them as \"leakls [CODE]: message\"."
  (flymake-start)
  (cl-remove-if-not (lambda (d) (string-match-p (regexp-quote (format "[%s]" code)) (flymake-diagnostic-text d)))
                    (flymake-diagnostics)))

(defun e2e-main ()
  ;; The configuration of editors/README.md, with the binary under test.
  (add-to-list 'eglot-server-programs
               `((js-mode typescript-mode) . (,(getenv "LEAKLS_BIN") "serve")))
  (setq-default eglot-workspace-configuration '(:leakls (:rules (:LK002 "error"))))

  (find-file (expand-file-name "leaky.js" (getenv "LEAKLS_WS")))
  (js-mode)
  (apply #'eglot (eglot--guess-contact))
  (e2e-wait "eglot to connect" (lambda () (eglot-current-server)))
  (e2e-step (format "eglot connected to %s" (eglot--server-info (eglot-current-server))))

  (e2e-wait "an LK002 diagnostic" (lambda () (e2e-diagnostics "LK002")))
  (let* ((d (car (e2e-diagnostics "LK002")))
         (line (line-number-at-pos (flymake-diagnostic-beg d))))
    (unless (= line 9) (error "LK002 on line %d, want 9" line))
    (unless (eq (flymake-diagnostic-type d) 'eglot-error)
      (error "LK002 of type %s, want eglot-error (the workspace configuration)" (flymake-diagnostic-type d)))
    (e2e-step (format "LK002 on line 9: %s" (flymake-diagnostic-text d)))

    ;; Hover on the finding explains the rule.
    (goto-char (flymake-diagnostic-beg d))
    (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
           (contents (plist-get hover :contents))
           (text (if (stringp contents) contents (plist-get contents :value))))
      (unless (and text (string-match-p "listener" text))
        (error "hover: %S" hover))
      (e2e-step (format "hover: %s" (car (split-string text "\n")))))

    ;; The code action "Use once()…", asked with M-x eglot-code-actions
    ;; on the diagnostic and applied as that command applies it.
    (let* ((actions (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
           (once (cl-find-if (lambda (a) (string-match-p "once()" (plist-get a :title))) actions)))
      (unless once (error "no once() code action in %S" actions))
      (eglot--apply-workspace-edit (plist-get once :edit))
      (goto-char (point-min))
      (forward-line 8)
      (unless (looking-at ".*bus.once('tick'")
        (error "line 9 after the fix: %s" (buffer-substring (line-beginning-position) (line-end-position))))
      (e2e-step (format "applied \"%s\"" (plist-get once :title)))))
  ;; Eglot sends the edit from an idle timer, and batch Emacs is never
  ;; idle: send it as that timer would.
  (eglot--signal-textDocument/didChange)
  (e2e-wait "the LK002 diagnostic to go" (lambda () (null (e2e-diagnostics "LK002"))))
  (e2e-step "LK002 gone after the fix")

  ;; Snapshot evidence: real node writes baseline, target and final into
  ;; the workspace; the server finds them and publishes LK101 on the line
  ;; that holds the memory, and xref (M-.) goes to the holder.
  (let ((default-directory (file-name-as-directory (getenv "LEAKLS_WS"))))
    (unless (zerop (call-process (getenv "LEAKLS_NODE") nil nil nil "server.js"))
      (error "node server.js failed")))
  (e2e-step "node wrote the snapshots")
  (find-file (expand-file-name "server.js" (getenv "LEAKLS_WS")))
  (js-mode)
  (e2e-wait "eglot to manage server.js" (lambda () (eglot-managed-p)))
  (e2e-wait "the LK101 evidence" (lambda () (e2e-diagnostics "LK101")) 60)
  (let* ((e (car (e2e-diagnostics "LK101")))
         (line (line-number-at-pos (flymake-diagnostic-beg e))))
    (unless (= line 10) (error "LK101 on line %d, want 10 (sessions.set)" line))
    (e2e-step (format "LK101 on line 10: %s" (car (split-string (flymake-diagnostic-text e) "\n"))))
    (goto-char (flymake-diagnostic-beg e))
    (let* ((defs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot)))
           (loc (and defs (xref-item-location (car defs)))))
      (unless (and loc (equal (file-name-nondirectory (xref-location-group loc)) "server.js")
                   (= (xref-location-line loc) 7))
        (error "definition: %S" (mapcar #'xref-item-location defs)))
      (e2e-step "definition landed on line 7")))

  (let ((proc (jsonrpc--process (eglot-current-server))))
    (eglot-shutdown (eglot-current-server))
    (e2e-wait "the server to exit" (lambda () (not (process-live-p proc)))))
  (e2e-step "server shut down")
  (e2e-write "PASS"))

(condition-case err
    (progn (e2e-main) (kill-emacs 0))
  (error (e2e-write (format "FAIL %s" (error-message-string err)))
         (kill-emacs 1)))
