//! The one place that talks to ariadne. Byte spans, CJK-aware column widths (ariadne measures
//! characters with unicode-width, so 全角 characters take two columns under the source line).

use super::{Diagnostic, Lang, Severity};
use crate::syntax::span::SourceMap;
use ariadne::{Config, Label, Report, ReportKind};

#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub lang: Lang,
    pub color: bool,
}

pub fn render(d: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let lang = opts.lang;
    let header = header(d, opts);
    let path_of = |span: crate::syntax::span::Span| {
        sources.file(span.file).map(|f| f.path.clone()).unwrap_or_else(|| "<policy>".to_string())
    };
    // ariadne's byte indexing breaks on a label in a second file with CJK text before it (it
    // slices one file's text with another's offsets); character indices are exact in every file.
    let chars_of = |span: crate::syntax::span::Span| {
        let text = sources.file(span.file).map(|f| f.text.as_str()).unwrap_or("");
        let char_at = |byte: usize| text.char_indices().take_while(|(i, _)| *i < byte).count();
        char_at(span.start as usize)..char_at(span.end as usize)
    };
    let mut out = String::new();
    match d.primary_span() {
        Some(primary) => {
            let mut report = Report::build(ReportKind::Error, (path_of(primary), chars_of(primary)))
                .with_config(Config::default().with_color(opts.color));
            for label in &d.labels {
                let mut l = Label::new((path_of(label.span), chars_of(label.span)));
                let text = label.message.get(lang);
                if !text.is_empty() {
                    l = l.with_message(text);
                }
                if opts.color {
                    l = l.with_color(if label.primary { ariadne::Color::Red } else { ariadne::Color::Blue });
                }
                report = report.with_label(l);
            }
            let cache = ariadne::sources(sources.files().map(|(_, f)| (f.path.clone(), f.text.clone())));
            let mut body = Vec::new();
            if report.finish().write(cache, &mut body).is_ok() {
                // ariadne's own header line is English and fixed; ours replaces it.
                let body = String::from_utf8_lossy(&body);
                out.push_str(&header);
                out.push('\n');
                out.push_str(body.split_once('\n').map(|(_, rest)| rest).unwrap_or(""));
            } else {
                out.push_str(&header);
                out.push('\n');
            }
        }
        None => {
            out.push_str(&header);
            out.push('\n');
        }
    }
    let (note_word, help_word) = match lang {
        Lang::Zh => ("注", "帮助"),
        Lang::En => ("note", "help"),
    };
    let colon = if lang == Lang::Zh { "：" } else { ": " };
    for note in &d.notes {
        out.push_str(&format!("  = {note_word}{colon}{}\n", note.get(lang)));
    }
    if let Some(help) = &d.help {
        out.push_str(&format!("  = {help_word}{colon}{}\n", help.get(lang)));
    }
    out
}

/// `错误[E0204]：单位不一致：…` — the severity in the user's language, the stable code, the message.
fn header(d: &Diagnostic, opts: RenderOptions) -> String {
    let word = kind_word(d.severity, opts.lang);
    let colon = if opts.lang == Lang::Zh { "：" } else { ": " };
    let tag = format!("{word}[{}]", d.code);
    let tag = if opts.color {
        let code = if d.severity == Severity::Error { "31" } else { "33" };
        format!("\u{1b}[1;{code}m{tag}\u{1b}[0m")
    } else {
        tag
    };
    format!("{tag}{colon}{}", d.message.get(opts.lang))
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
