;;; coachlint.el --- Coaching transcripts and the coachlint language server -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "28.1") (eglot "1.9"))
;; Keywords: languages, tools
;; SPDX-License-Identifier: MIT

;;; Commentary:

;; A major mode for coachlint's `.transcript' files (front matter, timestamps,
;; speaker labels with the coach set apart, suppression comments) and the wiring
;; for Eglot to run `coachlint lsp' on them.  Findings show through Flymake, the
;; rephrasings are code actions (M-x eglot-code-actions), hover explains a
;; finding.  M-x coachlint-report writes the session report and opens it.
;;
;;   (add-to-list 'load-path "/path/to/coachlint/editors/emacs")
;;   (require 'coachlint)
;;   (add-hook 'coaching-transcript-mode-hook #'eglot-ensure)
;;
;; Zoom/Teams WebVTT, SRT and Otter/Rev .txt exports: M-x coaching-transcript-mode
;; in such a buffer, or add their patterns to `auto-mode-alist' yourself.

;;; Code:

(require 'eglot)

(defgroup coachlint nil
  "Coaching transcripts and the coachlint linter."
  :group 'languages
  :prefix "coachlint-")

(defcustom coachlint-program "coachlint"
  "The coachlint binary: a name on `exec-path' or an absolute path."
  :type 'string)

(defcustom coachlint-initialization-options nil
  "Settings sent to the server, layered over .coachlint.toml.
A plist with the keys of coachlint's Settings, for example
  (:coach [\"Maya Chen\"] :ignore [\"ADV003\"] :thresholds (:max-talk-share 0.4))."
  :type 'plist)

(defcustom coachlint-report-open-function #'browse-url-of-file
  "Function called with the path of the HTML report to open it."
  :type 'function)

(defface coachlint-coach-label '((t :inherit font-lock-function-name-face :weight bold))
  "Face for the coach's speaker label.")

(defface coachlint-speaker-label '((t :inherit font-lock-type-face))
  "Face for other speakers' labels.")

(defconst coachlint--timestamp
  "\\[?[0-9]\\{1,2\\}:[0-9]\\{2\\}\\(?::[0-9]\\{2\\}\\)?\\(?:[.,][0-9]+\\)?\\]?")

(defconst coachlint--font-lock-keywords
  `(;; Suppression comments: # coachlint-disable-next-turn ADV001, judgment
    ("^[ \t]*\\(?:#\\|NOTE\\_>\\|<!--\\)[ \t]*\\(coachlint-disable\\(?:-next-turn\\)?\\)\\_>\\(.*\\)$"
     (0 font-lock-comment-face t)
     (1 font-lock-preprocessor-face t)
     (2 font-lock-constant-face t))
    ;; Front matter keys, the coach's names.
    ("^\\(coach\\(?:es\\)?\\)[ \t]*:[ \t]*\\(.+\\)$"
     (1 font-lock-keyword-face) (2 'coachlint-coach-label))
    ("^\\(client\\|clients\\|date\\|topic\\)[ \t]*:" 1 font-lock-keyword-face)
    ;; [00:01:02] Coach: / Name: / **Name:**
    (,(concat "^[ \t]*\\(" coachlint--timestamp "[ \t]+\\)?"
              "\\(?:\\*\\*\\)?\\([[:alpha:]][[:alnum:] .'’_-]\\{0,59\\}?\\):?\\(?:\\*\\*\\)?:[ \t]")
     (1 font-lock-constant-face nil t)
     (2 (coachlint--label-face (match-string 2)))))
  "Highlighting for `coaching-transcript-mode'.")

(defvar-local coachlint--coach-names nil
  "The coach's names from the front matter, lower-cased.")

(defun coachlint--front-matter-coach ()
  "The names after `coach:' in the buffer's front matter."
  (save-excursion
    (goto-char (point-min))
    (when (looking-at "---[ \t]*$")
      (let ((end (save-excursion (forward-line 1)
                                 (and (re-search-forward "^---[ \t]*$" nil t) (point)))))
        (when (and end (re-search-forward "^coach\\(?:es\\)?[ \t]*:[ \t]*\\(.*\\)$" end t))
          (let ((value (string-trim (match-string-no-properties 1) "[ \t[]+" "[] \t]+")))
            (delq nil (mapcar (lambda (s)
                                (let ((n (string-trim s "[ \t\"']+" "[ \t\"']+")))
                                  (unless (string-empty-p n) (downcase n))))
                              (split-string value ",")))))))))

(defun coachlint--label-face (name)
  "The face of speaker NAME: the coach named in the front matter, else \"Coach\"."
  (if (if coachlint--coach-names
          (member (downcase (string-trim name)) coachlint--coach-names)
        (string-match-p "\\`[Cc]oach\\b" name))
      'coachlint-coach-label
    'coachlint-speaker-label))

;;;###autoload
(define-derived-mode coaching-transcript-mode text-mode "Transcript"
  "Major mode for coaching-session transcripts linted by coachlint."
  (setq-local coachlint--coach-names (coachlint--front-matter-coach))
  (setq-local font-lock-defaults '(coachlint--font-lock-keywords))
  (setq-local word-wrap t)
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+[ \t]*"))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.transcript\\'" . coaching-transcript-mode))

(defun coachlint--server-command (&optional _interactive)
  "The command Eglot runs, with `coachlint-initialization-options'."
  `(,coachlint-program "lsp"
    ,@(when coachlint-initialization-options
        (list :initializationOptions coachlint-initialization-options))))

;;;###autoload
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(coaching-transcript-mode . coachlint--server-command)))

;;;###autoload
(defun coachlint-report (&optional callback)
  "Write the session report of the current transcript and open it.
CALLBACK, when given, is called with the report's path instead of opening it.
Returns the process writing the report."
  (interactive)
  (let ((file (buffer-file-name)))
    (unless file (user-error "coachlint: save the transcript to a file first"))
    (when (buffer-modified-p) (save-buffer))
    (let* ((out (make-temp-file "coachlint-report-" nil ".html"))
           (err (generate-new-buffer " *coachlint-report*"))
           (default-directory (file-name-directory file)))
      (make-process
       :name "coachlint-report"
       :command (list coachlint-program "report" file "-o" out)
       :buffer err
       :noquery t
       :connection-type 'pipe
       :sentinel
       (lambda (proc _event)
         (unless (process-live-p proc)
           (if (zerop (process-exit-status proc))
               (progn
                 (kill-buffer err)
                 (message "coachlint: report written to %s" out)
                 (funcall (or callback coachlint-report-open-function) out))
             (let ((why (with-current-buffer err (string-trim (buffer-string)))))
               (kill-buffer err)
               (message "coachlint report failed: %s" why)))))))))

(provide 'coachlint)
;;; coachlint.el ends here
