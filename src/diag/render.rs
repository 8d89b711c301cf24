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

/// Render one diagnostic.
pub fn render(d: &Diagnostic, sources: &SourceMap, opts: RenderOptions) -> String {
    let mut files = Files::new(sources);
    render_in(d, sources, opts, &mut files)
}

/// The files as ariadne reads them, and where each character starts: built once for a whole
/// report, since building them per diagnostic made rendering quadratic (500 diagnostics in a
/// 64 KB file took seconds; the fuzzer found it).
struct Files<'s, C> {
    cache: C,
    char_starts: Vec<Vec<u32>>,
    _sources: std::marker::PhantomData<&'s SourceMap>,
}

impl<'s> Files<'s, ()> {
    fn new(sources: &'s SourceMap) -> Files<'s, impl ariadne::Cache<String> + 's> {
        Files {
            cache: ariadne::sources(sources.files().map(|(_, f)| (f.path.clone(), f.text.as_str()))),
            char_starts: sources
                .files()
                // Byte offsets are u32 like spans' (see span::clamp_u32): past 4 GiB, in a file
                // refused for its size, they saturate as spans do and stay in order.
                .map(|(_, f)| f.text.char_indices().map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX)).collect())
                .collect(),
            _sources: std::marker::PhantomData,
        }
    }
}

fn render_in(
    d: &Diagnostic,
    sources: &SourceMap,
    opts: RenderOptions,
    files: &mut Files<'_, impl ariadne::Cache<String>>,
) -> String {
    let lang = opts.lang;
    let header = header(d, opts);
    let path_of = |span: crate::syntax::span::Span| {
        // A span in no file of the policy is marked as such, never given some file's name.
        sources.file(span.file).map(|f| f.path.clone()).unwrap_or_else(|| "<policy>".to_string())
    };
    // ariadne's byte indexing breaks on a label in a second file with CJK text before it (it
    // slices one file's text with another's offsets); character indices are exact in every file.
    let starts = &files.char_starts;
    let chars_of = |span: crate::syntax::span::Span| {
        // A file not in the map is shown as <policy> (above), at its start. (u32 → usize widens
        // losslessly: lib.rs.)
        let none = Vec::new();
        let starts = starts.get(span.file.0 as usize).unwrap_or(&none);
        let char_at = |byte: u32| starts.partition_point(|&b| b < byte);
        char_at(span.start)..char_at(span.end)
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
            let mut body = Vec::new();
            if report.finish().write(&mut files.cache, &mut body).is_ok() {
                // ariadne's own header line is English and fixed; ours replaces it.
                let body = String::from_utf8_lossy(&body);
                out.push_str(&header);
                out.push('\n');
                // A body that is its header line alone has nothing more to show.
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
    let mut files = Files::new(sources);
    for d in ds {
        out.push_str(&render_in(d, sources, opts, &mut files));
    }
    let errors = ds.iter().filter(|d| d.is_error()).count();
    let warnings = ds.len() - errors;
    out.push_str(&match opts.lang {
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告\n"),
        Lang::En => format!("{errors} error(s), {warnings} warning(s)\n"),
    });
    out
}
