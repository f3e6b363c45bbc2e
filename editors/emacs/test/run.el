;;; run.el --- Real-editor test of coachlint.el with Eglot -*- lexical-binding: t; -*-

;; COACHLINT_BIN=target/debug/coachlint emacs -Q --batch -l editors/emacs/test/run.el
;;
;; Opens a sample transcript with Eglot running `coachlint lsp', waits for the
;; findings in Flymake, asks for the code actions where the advice is, applies the
;; preferred rephrasing and checks the buffer text; then the session report.  Every
;; wait polls a condition with a timeout.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defconst coachlint-test--here (file-name-directory (or load-file-name buffer-file-name)))
(defconst coachlint-test--fixtures (expand-file-name "../../fixtures/" coachlint-test--here))
;; With -Q, packages from Debian's elpa-eglot are activated by package.el.
(unless (require 'eglot nil t)
  (dolist (dir (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/*"))
    (add-to-list 'load-path dir))
  (require 'eglot))
(add-to-list 'load-path (expand-file-name ".." coachlint-test--here))
(require 'coachlint)
(require 'flymake)

(setq coachlint-program (or (getenv "COACHLINT_BIN") "coachlint"))
(setq eglot-sync-connect 30
      eglot-autoshutdown t
      ;; Flymake reports as soon as diagnostics arrive (github#958 in eglot.el).
      flymake-no-changes-timeout 0.1
      make-backup-files nil
      create-lockfiles nil)

(defconst coachlint-test--timeout
  (/ (string-to-number (or (getenv "COACHLINT_TEST_TIMEOUT_MS") "30000")) 1000.0))

(defun coachlint-test--wait (what pred)
  "Poll PRED, letting processes and timers run, until it is non-nil or time runs out."
  (let ((deadline (+ (float-time) coachlint-test--timeout))
        value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out waiting for %s" what))))

(defun coachlint-test--copy (name)
  (let* ((dir (make-temp-file "coachlint-emacs-" t))
         (dst (expand-file-name name dir)))
    ;; A project root of its own, not the repository around it.
    (write-region "" nil (expand-file-name ".coachlint.toml" dir))
    (copy-file (expand-file-name name coachlint-test--fixtures) dst)
    (set-file-modes dst #o644)
    dst))

(defun coachlint-test--coachlint-diags ()
  (cl-remove-if-not
   (lambda (d) (string-prefix-p "coachlint" (flymake-diagnostic-text d)))
   (flymake-diagnostics)))

(defvar coachlint-test--results nil)

(defmacro coachlint-test (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (push t coachlint-test--results)
              (princ (format "ok - %s\n" ,name)))
     (error
      (push nil coachlint-test--results)
      (princ (format "not ok - %s\n  %s\n" ,name (error-message-string err))))))

(defvar coachlint-test--buffer nil)

(coachlint-test "a .transcript opens in coaching-transcript-mode with the coach label set apart"
  (setq coachlint-test--buffer (find-file-noselect (coachlint-test--copy "advice-heavy.transcript")))
  (with-current-buffer coachlint-test--buffer
    (cl-assert (eq major-mode 'coaching-transcript-mode) nil "mode is %s" major-mode)
    (font-lock-ensure)
    (goto-char (point-min))
    (search-forward "Coach: OK so")
    (cl-assert (eq (get-text-property (match-beginning 0) 'face) 'coachlint-coach-label)
               nil "coach label face %S" (get-text-property (match-beginning 0) 'face))
    (search-forward "Client: Not yet")
    (cl-assert (eq (get-text-property (match-beginning 0) 'face) 'coachlint-speaker-label)
               nil "client label face %S" (get-text-property (match-beginning 0) 'face)))
  ;; A coach with a name, from the front matter.
  (with-current-buffer (find-file-noselect (coachlint-test--copy "good-coaching.transcript"))
    (font-lock-ensure)
    (dolist (case '(("Maya Chen: Hi Jordan" . coachlint-coach-label)
                    ("Jordan Ellis: I think" . coachlint-speaker-label)))
      (goto-char (point-min))
      (search-forward (car case))
      (let ((face (get-text-property (match-beginning 0) 'face)))
        (cl-assert (eq face (cdr case)) nil "%s has face %S" (car case) face)))
    (kill-buffer)))

(coachlint-test "eglot starts coachlint lsp and the findings reach Flymake"
  (with-current-buffer coachlint-test--buffer
    ;; `eglot-ensure' waits for the command loop, which batch mode does not run:
    ;; start the server the way M-x eglot does.
    (apply #'eglot (eglot--guess-contact))
    (coachlint-test--wait "eglot to connect" (lambda () (eglot-current-server)))
    (coachlint-test--wait "flymake diagnostics"
                          (lambda ()
                            (unless (coachlint-test--coachlint-diags) (flymake-start))
                            (coachlint-test--coachlint-diags)))
    (let ((texts (mapcar #'flymake-diagnostic-text (coachlint-test--coachlint-diags))))
      (cl-assert (cl-some (lambda (s) (string-match-p "\\[ADV[0-9]+\\]" s)) texts)
                 nil "no advice finding in %S" texts)
      (princ (format "  %d findings, e.g. %s\n" (length texts) (car texts))))))

(coachlint-test "a rephrasing code action rewrites the advice as a question"
  (with-current-buffer coachlint-test--buffer
    (goto-char (point-min))
    (search-forward "You should definitely go for it.")
    (let* ((beg (match-beginning 0))
           (end (match-end 0))
           (line-start (line-beginning-position))
           (before (buffer-substring-no-properties line-start (line-end-position)))
           (actions (eglot-code-actions beg end "quickfix"))
           (action (or (cl-find-if (lambda (a) (plist-get a :isPreferred)) actions)
                       (car actions))))
      (cl-assert actions nil "no quick fixes at the advice")
      (cl-assert (plist-get action :edit) nil "the action has no edit: %S" action)
      (eglot--apply-workspace-edit (plist-get action :edit))
      (let ((after (buffer-substring-no-properties line-start
                                                   (save-excursion (goto-char line-start)
                                                                   (line-end-position)))))
        (cl-assert (not (string= before after)) nil "the line did not change")
        (cl-assert (not (string-match-p "You should definitely go for it\\." after)) nil
                   "the advice is still there: %s" after)
        (cl-assert (string-prefix-p "[00:00:16] Coach: " after) nil "label changed: %s" after)
        (cl-assert (string-match-p "\\?" after) nil "no question: %s" after)
        (princ (format "  %s -> %s\n" (plist-get action :title) after))))))

(coachlint-test "hover on a finding explains it"
  (with-current-buffer coachlint-test--buffer
    (goto-char (point-min))
    (search-forward "Why would you listen")
    (goto-char (match-beginning 0))
    (let* ((hover (jsonrpc-request (eglot--current-server-or-lose) :textDocument/hover
                                   (eglot--TextDocumentPositionParams)))
           (contents (format "%S" (plist-get hover :contents))))
      (cl-assert (string-match-p "QST[0-9]+\\|Why" contents) nil "hover: %s" contents))))

(coachlint-test "M-x coachlint-report writes the session report"
  (with-current-buffer coachlint-test--buffer
    (let* ((report nil)
           (proc (coachlint-report (lambda (path) (setq report path)))))
      ;; Batch Emacs may hold back process sentinels while other descriptors (stdin at
      ;; EOF, the server's pipes) are readable; once the process has exited, run its
      ;; sentinel as the command loop of an interactive Emacs would.
      (coachlint-test--wait "the report"
                            (lambda ()
                              (accept-process-output proc 0.05)
                              (when (and (not report) (memq (process-status proc) '(exit signal)))
                                (funcall (process-sentinel proc) proc "finished\n"))
                              report))
      (with-temp-buffer
        (insert-file-contents report)
        (cl-assert (search-forward "<html" nil t) nil "not HTML")
        (goto-char (point-min))
        (cl-assert (search-forward "career move" nil t) nil "the report does not name the topic")))))

(when-let ((server (ignore-errors (with-current-buffer coachlint-test--buffer (eglot-current-server)))))
  (ignore-errors (eglot-shutdown server)))
(let* ((passed (cl-count t coachlint-test--results))
       (failed (- (length coachlint-test--results) passed)))
  (princ (format "\nemacs: %d passed, %d failed\n" passed failed))
  (kill-emacs (if (zerop failed) 0 1)))

;;; run.el ends here
