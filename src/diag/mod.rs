//! Diagnostics as data: a stable code, a severity, a message, labelled spans, notes and a fix hint.
//! Every stage produces these values; only `render.rs` talks to the rendering library.

mod codes;
pub mod json;
pub mod pages;
mod render;

pub use codes::Code;
pub use render::{render, render_all, RenderOptions};

use crate::syntax::span::Span;
use serde::Serialize;

/// The language diagnostics and explanations are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

/// A text in both languages the tool speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub zh: String,
    pub en: String,
}

impl Msg {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Msg { zh: zh.into(), en: en.into() }
    }

    /// A text that reads the same in both languages (a name, a number).
    pub fn same(text: impl Into<String>) -> Self {
        let t = text.into();
        Msg { zh: t.clone(), en: t }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: Msg,
    pub primary: bool,
}

impl Label {
    pub fn primary(span: Span, message: Msg) -> Self {
        Label { span, message, primary: true }
    }

    pub fn secondary(span: Span, message: Msg) -> Self {
        Label { span, message, primary: false }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: Msg,
    /// The first label is the primary location.
    pub labels: Vec<Label>,
    pub notes: Vec<Msg>,
    pub help: Option<Msg>,
}

impl Diagnostic {
    pub fn error(code: Code, message: Msg, primary: Label) -> Self {
        Diagnostic { code, severity: Severity::Error, message, labels: vec![primary], notes: Vec::new(), help: None }
    }

    pub fn warning(code: Code, message: Msg, primary: Label) -> Self {
        Diagnostic { code, severity: Severity::Warning, message, labels: vec![primary], notes: Vec::new(), help: None }
    }

    /// A fault of jifen itself, with no place in the policy to point at.
    pub fn internal(message: Msg) -> Self {
        Diagnostic {
            code: Code::Internal,
            severity: Severity::Error,
            message,
            labels: Vec::new(),
            notes: Vec::new(),
            help: Some(Msg::new(
                "这是 jifen 的缺陷，不是政策的错误：请报告此问题",
                "this is a fault of jifen, not of the policy: please report it",
            )),
        }
    }

    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    pub fn with_note(mut self, note: Msg) -> Self {
        self.notes.push(note);
        self
    }

    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.first().map(|l| l.span)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// All diagnostics of one compilation, in source order.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sort by file and position so output follows the source.
    pub fn sort(&mut self) {
        self.0.sort_by_key(|d| d.primary_span().map(|s| (s.file, s.start, s.end)));
    }
}
