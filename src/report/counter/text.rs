//! The counter page as text, for a terminal or a printer: columns by display width, ✓ ✗ ？ marks,
//! ※ on what rests on a modelled value.

use super::modelled::modelled_footnote;
use super::{articles_cited, marked, CounterOptions, Detail, Modelled, Page};
use crate::data::Applicant;
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::{Category, Compiled, Policy};
use crate::syntax::span::SourceMap;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// The counter explanation of one applicant's evaluation, as text.
pub fn counter(
    compiled: &Compiled,
    sources: &SourceMap,
    applicant: &Applicant,
    eval: &Evaluation,
    opts: CounterOptions,
) -> String {
    let policy = &compiled.policy;
    let page = Page::of(compiled, applicant, eval);
    let mut out = String::new();
    let _ = writeln!(out, "{}", page.heading);
    for w in &page.warnings {
        let _ = writeln!(out, "⚠ {w}");
    }
    let brief = opts.detail == Detail::Brief;
    let name_width = page.verdicts.iter().map(|v| width(&v.name)).max().unwrap_or(0);
    for (heading, of_route) in [("结论", false), ("途径", true)] {
        let mut shown = page.verdicts.iter().filter(|v| v.route == of_route).peekable();
        if shown.peek().is_none() {
            continue;
        }
        // Brief: one block, purposes then routes, without headings.
        if !brief || !of_route {
            let _ = writeln!(out);
        }
        if !brief {
            let _ = writeln!(out, "{heading}");
        }
        for v in shown {
            let cite = if v.cites.is_empty() { String::new() } else { format!("  {}", v.cites) };
            let summary = marked(&v.summary, v.modelled);
            let _ = writeln!(out, "  {}  {}  {summary}{cite}", pad(&v.name, name_width), pad(v.status.zh(), 8));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", page.composition);
    if brief {
        if let Some(note) = modelled_footnote(policy, &page.modelled) {
            let _ = writeln!(out, "注：{note}");
        }
        let _ = writeln!(out, "政策：{}", crate::ir::Origin::of(policy));
        return out;
    }
    for section in &page.conditions {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", section.title);
        let w = section.lines.iter().map(|l| width(&marked(&l.text, l.modelled))).max().unwrap_or(0).min(56);
        for line in &section.lines {
            let _ = writeln!(out, "  {} {}  {}", line.mark, pad(&marked(&line.text, line.modelled), w), line.cite);
            if opts.source {
                source_lines(&mut out, compiled, sources, line.node, "      ");
            }
        }
    }
    // One set of columns for every category, so the points line up down the page.
    let scored = || page.items.iter().flat_map(|g| g.scored.iter());
    let name_w = scored().map(|l| width(&l.name)).max().unwrap_or(0).max(8);
    let text_w = scored().map(|l| width(&marked(&l.text, l.modelled))).max().unwrap_or(0).min(60);
    for group in &page.items {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} {}", group.category.zh(), canonical(group.total));
        for line in &group.scored {
            let _ = writeln!(
                out,
                "  {} {:>5}分  {}  {}",
                pad(&line.name, name_w),
                canonical(line.points),
                pad(&marked(&line.text, line.modelled), text_w),
                line.cite
            );
            if opts.source {
                source_lines(&mut out, compiled, sources, line.node, "      ");
            }
        }
        if !group.nothing.is_empty() {
            let verb = if group.category == Category::Deduction { "未扣分" } else { "未计分" };
            let _ = writeln!(out, "  {verb}：{}", group.nothing.join("；"));
        }
    }
    if opts.articles {
        write_articles(&mut out, policy, &page.cited);
    }
    footer(&mut out, policy, &page.modelled);
    out
}

/// `条文`: each cited article whole, in the order of the documents and their articles, with the
/// cited paragraphs marked; an article the policy does not transcribe is named as not transcribed.
fn write_articles(out: &mut String, policy: &Policy, cited: &[crate::ir::Cite]) {
    if cited.is_empty() {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "条文");
    for (cite, paragraphs) in articles_cited(policy, cited) {
        match cite.article {
            Some(a) => {
                let title = a.title.as_ref().map(|t| format!("【{t}】")).unwrap_or_default();
                let _ = writeln!(out, "  {}{title}", cite.heading);
                for text in &a.paragraphs {
                    let number = crate::ir::paragraph_number(text);
                    let mark = if number.is_some_and(|n| paragraphs.contains(&n)) { "▶ " } else { "  " };
                    let _ = writeln!(out, "    {mark}{text}");
                }
            }
            None => {
                let _ = writeln!(out, "  {}（政策未载条文）", cite.heading);
            }
        }
    }
}

fn footer(out: &mut String, policy: &Policy, modelled: &[Modelled]) {
    if let Some(note) = modelled_footnote(policy, modelled) {
        let _ = writeln!(out);
        let _ = writeln!(out, "注：{note}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "政策：{}", crate::ir::Origin::of(policy));
}

/// The policy lines an expression spans, whole: a rule written over several lines shows them all.
fn source_lines(
    out: &mut String,
    compiled: &Compiled,
    sources: &SourceMap,
    node: Option<crate::ir::NodeId>,
    indent: &str,
) {
    let Some(span) = node.and_then(|n| compiled.spans.get(n)) else { return };
    let Some(file) = sources.file(span.file) else { return };
    let (first, _) = sources.line_col(span);
    let end = crate::syntax::span::Span::new(span.file, span.end as usize, span.end as usize);
    let (last, _) = sources.line_col(end);
    let name = std::path::Path::new(&file.path).file_name().and_then(|f| f.to_str()).unwrap_or(&file.path);
    for (i, text) in file.text.lines().enumerate().skip(first.saturating_sub(1)).take(last + 1 - first.min(last)) {
        let _ = writeln!(out, "{indent}└─ {name}:{}  {}", i + 1, text.trim_end());
    }
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}
