//! Code actions, all computed here so they work in any editor: the rephrasings
//! of a finding, its other fixes (ask permission first), a suppression comment
//! for the turn, and ignoring the rule in the project's `.coachlint.toml`.

use crate::config::{IgnoreEdit, ignore_edit};
use crate::diagnostics;
use crate::document::Snapshot;
use crate::position::{self, Encoding};
use coachlint_core::{Edit, Finding, Format};
use ropey::Rope;
use std::collections::HashMap;
use std::ops::Range as Span;
use std::path::PathBuf;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CreateFile, CreateFileOptions,
    DocumentChangeOperation, DocumentChanges, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, Range, ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

/// What the client can apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EditCaps {
    /// Versioned `documentChanges`.
    pub document_changes: bool,
    /// `CreateFile` among them.
    pub create_files: bool,
}

/// The `.coachlint.toml` a "disable in this project" action edits.
#[derive(Clone, Debug)]
pub struct ConfigTarget {
    pub path: PathBuf,
    pub uri: Uri,
    /// Its text (the editor's if it is open there); `None` if it does not exist.
    pub text: Option<String>,
    /// Its version when open in the editor.
    pub version: Option<i32>,
}

pub struct Ctx<'a> {
    pub uri: &'a Uri,
    pub snapshot: &'a Snapshot,
    pub enc: Encoding,
    pub caps: EditCaps,
    pub config: Option<&'a ConfigTarget>,
}

/// Actions for the findings that touch `range` (byte offsets in the snapshot).
pub fn code_actions(ctx: &Ctx, range: Span<usize>) -> Vec<CodeActionOrCommand> {
    let Some(a) = ctx.snapshot.analysis() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for f in a.findings.iter().filter(|f| touches(&f.span, &range)) {
        let diag = diagnostics::finding(&ctx.snapshot.rope, ctx.enc, f);
        let mut push = |title: String, edit: WorkspaceEdit, preferred: bool| {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(edit),
                is_preferred: preferred.then_some(true),
                ..Default::default()
            }));
        };
        for (i, r) in f.rephrasings.iter().enumerate() {
            push(
                format!("Ask instead: \"{}\"", r.text),
                ctx.document_edit(&r.edits()),
                i == 0,
            );
        }
        for fix in &f.fixes {
            push(fix.title.to_string(), ctx.document_edit(&fix.edits), false);
        }
        if let Some(edit) = suppress_edit(ctx.snapshot, f) {
            push(
                format!("Suppress {} for this turn", f.code()),
                ctx.document_edit(&[edit]),
                false,
            );
        }
        if let Some(edit) = ctx.config.and_then(|c| disable_edit(ctx, c, f.code())) {
            push(
                format!("Disable {} ({}) in this project", f.code(), f.rule.name),
                edit,
                false,
            );
        }
    }
    out
}

/// Whether a finding's span meets a requested range (an empty range is a cursor).
fn touches(span: &Span<usize>, range: &Span<usize>) -> bool {
    span.start <= range.end && range.start <= span.end
}

impl Ctx<'_> {
    fn text_edits(&self, edits: &[Edit]) -> Vec<TextEdit> {
        edits
            .iter()
            .map(|e| TextEdit {
                range: position::range(&self.snapshot.rope, self.enc, &e.span),
                new_text: e.replacement.to_string(),
            })
            .collect()
    }

    /// Edits to this document, pinned to the analysed version where the client
    /// allows it, so a stale action cannot land on newer text.
    fn document_edit(&self, edits: &[Edit]) -> WorkspaceEdit {
        let edits = self.text_edits(edits);
        if self.caps.document_changes {
            WorkspaceEdit {
                document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: self.uri.clone(),
                        version: Some(self.snapshot.version),
                    },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                }])),
                ..Default::default()
            }
        } else {
            WorkspaceEdit {
                changes: Some(HashMap::from([(self.uri.clone(), edits)])),
                ..Default::default()
            }
        }
    }
}

/// The suppression comment, on its own line before the finding's turn. In cue
/// formats it goes before the whole cue (its number and timing lines).
fn suppress_edit(s: &Snapshot, f: &Finding) -> Option<Edit> {
    let a = s.analysis()?;
    let turn = a.transcript.turns.get(f.turn?)?;
    let format = a.transcript.format;
    let rope = &s.rope;
    let mut line = rope.byte_to_line(turn.start().min(rope.len_bytes()));
    if matches!(format, Format::ZoomVtt | Format::TeamsVtt | Format::Srt) {
        while line > 0 && !rope.line(line - 1).chars().all(char::is_whitespace) {
            line -= 1;
        }
    }
    let mut comment = coachlint_core::suppress::next_turn_comment(format, f.code());
    if line_ends_crlf(rope, line) {
        comment = comment.replace('\n', "\r\n");
    }
    let at = rope.line_to_byte(line);
    Some(Edit {
        span: at..at,
        replacement: comment.into(),
    })
}

fn line_ends_crlf(rope: &Rope, line: usize) -> bool {
    let l = rope.line(line);
    let n = l.len_chars();
    n >= 2 && l.char(n - 2) == '\r' && l.char(n - 1) == '\n'
}

/// Adds the code to `ignore` in the project's config, creating the file if the
/// client can create files.
fn disable_edit(ctx: &Ctx, target: &ConfigTarget, code: &str) -> Option<WorkspaceEdit> {
    match ignore_edit(target.text.as_deref(), code)? {
        IgnoreEdit::Insert { at, text } => {
            let rope = Rope::from_str(target.text.as_deref().unwrap_or_default());
            let p = position::position(&rope, ctx.enc, at);
            let edit = TextEdit {
                range: Range::new(p, p),
                new_text: text,
            };
            Some(if ctx.caps.document_changes {
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: target.uri.clone(),
                            version: target.version,
                        },
                        edits: vec![OneOf::Left(edit)],
                    }])),
                    ..Default::default()
                }
            } else {
                WorkspaceEdit {
                    changes: Some(HashMap::from([(target.uri.clone(), vec![edit])])),
                    ..Default::default()
                }
            })
        }
        IgnoreEdit::Create { text } => {
            if !(ctx.caps.document_changes && ctx.caps.create_files) {
                return None;
            }
            let start = Position::new(0, 0);
            Some(WorkspaceEdit {
                document_changes: Some(DocumentChanges::Operations(vec![
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: target.uri.clone(),
                        options: Some(CreateFileOptions {
                            overwrite: Some(false),
                            ignore_if_exists: Some(true),
                        }),
                        annotation_id: None,
                    })),
                    DocumentChangeOperation::Edit(TextDocumentEdit {
                        text_document: OptionalVersionedTextDocumentIdentifier {
                            uri: target.uri.clone(),
                            version: None,
                        },
                        edits: vec![OneOf::Left(TextEdit {
                            range: Range::new(start, start),
                            new_text: text,
                        })],
                    }),
                ])),
                ..Default::default()
            })
        }
    }
}
