//! The one place that talks to ariadne. Byte spans, CJK-aware column widths (ariadne measures
//! characters with unicode-width, so 全角 characters take two columns under the source line).

use super::{Diagnostic, Lang, Severity};
use crate::syntax::span::SourceMap;
use ariadne::{Config, IndexType, Label, Report, ReportKind};

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub lang: Lang,
    pub color: bool,
}

pub fn render(d: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let lang = opts.lang;
    let kind = match (d.severity, lang) {
        (Severity::Error, Lang::Zh) => ReportKind::Custom("错误", ariadne::Color::Red),
        (Severity::Warning, Lang::Zh) => ReportKind::Custom("警告", ariadne::Color::Yellow),
        (Severity::Error, Lang::En) => ReportKind::Error,
        (Severity::Warning, Lang::En) => ReportKind::Warning,
    };
    let path_of = |span: crate::syntax::span::Span| {
        sources.file(span.file).map(|f| f.path.clone()).unwrap_or_else(|| "<policy>".to_string())
    };
    let Some(primary) = d.primary_span() else {
        return format!("{}[{}]: {}\n", kind_word(d.severity, lang), d.code, d.message.get(lang));
    };
    let mut report = Report::build(kind, (path_of(primary), primary.range()))
        .with_config(Config::default().with_color(opts.color).with_index_type(IndexType::Byte))
        .with_code(d.code)
        .with_message(d.message.get(lang));
    for label in &d.labels {
        let mut l = Label::new((path_of(label.span), label.span.range()));
        let text = label.message.get(lang);
        if !text.is_empty() {
            l = l.with_message(text);
        }
        if opts.color {
            l = l.with_color(if label.primary { ariadne::Color::Red } else { ariadne::Color::Blue });
        }
        report = report.with_label(l);
    }
    for note in &d.notes {
        report = report.with_note(note.get(lang));
    }
    if let Some(help) = &d.help {
        report = report.with_help(help.get(lang));
    }
    let cache = ariadne::sources(sources.files().map(|(_, f)| (f.path.clone(), f.text.clone())));
    let mut out = Vec::new();
    if report.finish().write(cache, &mut out).is_err() {
        return format!("{}[{}]: {}\n", kind_word(d.severity, lang), d.code, d.message.get(lang));
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn kind_word(s: Severity, lang: Lang) -> &'static str {
    match (s, lang) {
        (Severity::Error, Lang::Zh) => "错误",
        (Severity::Warning, Lang::Zh) => "警告",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
    }
}

/// Every diagnostic, then a summary line.
pub fn render_all(ds: &[Diagnostic], sources: &SourceMap, opts: RenderOptions) -> String {
    let mut out = String::new();
    for d in ds {
        out.push_str(&render(d, sources, opts));
    }
    let errors = ds.iter().filter(|d| d.is_error()).count();
    let warnings = ds.len() - errors;
    out.push_str(&match opts.lang {
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告\n"),
        Lang::En => format!("{errors} error(s), {warnings} warning(s)\n"),
    });
    out
}
