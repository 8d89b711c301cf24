//! `jifen explain`: for a person — every item with the applicant's facts it used, the arithmetic
//! instantiated, and the article that justifies it; with `--source`, the policy lines behind it.

use crate::data::Applicant;
use crate::eval::trace::Step;
use crate::eval::value::canonical;
use crate::eval::{Evaluation, ItemResult};
use crate::ir::{Category, Compiled, Policy};
use crate::syntax::span::SourceMap;
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

#[derive(Debug, Clone, Copy, Default)]
pub struct ExplainOptions {
    /// Show the policy line behind each step.
    pub source: bool,
}

fn pad(s: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

pub fn explain(
    compiled: &Compiled,
    sources: &SourceMap,
    applicant: &Applicant,
    eval: &Evaluation,
    opts: ExplainOptions,
) -> String {
    let policy = &compiled.policy;
    let mut out = String::new();
    let who = match &applicant.label {
        Some(name) => format!("{name} ({})", applicant.id),
        None => applicant.id.clone(),
    };
    let _ = writeln!(out, "{who} · {} {} · 评估日 {}", policy.name, policy.version, eval.as_of.format("%Y-%m-%d"));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "积分  {} = 基础分 {} + 附加分 {} − 扣减分 {}{}",
        canonical(eval.total(true)),
        canonical(eval.base),
        canonical(eval.bonus),
        canonical(eval.deduction),
        if eval.base + eval.bonus < eval.deduction { "（低于零，按零计）" } else { "" }
    );
    let name_width = eval.items.iter().map(|r| UnicodeWidthStr::width(r.id.as_str())).max().unwrap_or(8).max(8);
    for (category, total) in
        [(Category::Base, eval.base), (Category::Bonus, eval.bonus), (Category::Deduction, eval.deduction)]
    {
        let items: Vec<&ItemResult> = eval.items.iter().filter(|r| r.category == category).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "{} {}", category.zh(), canonical(total));
        for r in items {
            write_item(&mut out, compiled, sources, r, name_width, opts);
        }
    }
    if let Some(note) = modelled_note(policy) {
        let _ = writeln!(out);
        let _ = writeln!(out, "注：{note}");
    }
    out
}

fn write_item(
    out: &mut String,
    compiled: &Compiled,
    sources: &SourceMap,
    r: &ItemResult,
    name_width: usize,
    opts: ExplainOptions,
) {
    let policy = &compiled.policy;
    let def = policy.items.iter().find(|i| i.id == r.id);
    let cites: Vec<String> =
        def.map(|d| d.provenance.cites.iter().map(|c| c.to_string()).collect()).unwrap_or_default();
    let _ = writeln!(out, "  {} {:>5}分   {}", pad(&r.id, name_width), canonical(r.points), cites.join("；"));
    let indent = " ".repeat(name_width + 4);
    if !r.trace.facts.is_empty() {
        let facts: Vec<String> = r.trace.facts.iter().map(|f| format!("{} {}", f.path, f.value)).collect();
        let _ = writeln!(out, "{indent}事实：{}", facts.join("；"));
    }
    write_steps(out, compiled, sources, &r.trace.steps, &indent, opts);
    if let (Some(raw), Some(cap)) = (r.uncapped, def.and_then(|d| d.cap)) {
        let _ = writeln!(out, "{indent}（{}分 超过本项上限 {}分）", canonical(raw), canonical(cap));
    }
}

fn write_steps(
    out: &mut String,
    compiled: &Compiled,
    sources: &SourceMap,
    steps: &[Step],
    indent: &str,
    opts: ExplainOptions,
) {
    for s in steps {
        let _ = writeln!(out, "{indent}{}", s.text);
        if opts.source {
            if let Some(span) = compiled.spans.get(s.node) {
                let (line, _) = sources.line_col(span);
                let path = sources.file(span.file).map(|f| f.path.as_str()).unwrap_or("");
                let file = std::path::Path::new(path).file_name().and_then(|f| f.to_str()).unwrap_or(path);
                let _ = writeln!(out, "{indent}  └─ {file}:{line}  {}", sources.line_text(span).trim());
            }
        }
        if !s.children.is_empty() {
            write_steps(out, compiled, sources, &s.children, &format!("{indent}  "), opts);
        }
    }
}

/// The provenance note every rendering must carry when the figures it shows are modelled: the
/// notes of the documents the scoring items cite.
pub fn modelled_note(policy: &Policy) -> Option<String> {
    let cited: Vec<&str> =
        policy.items.iter().flat_map(|i| i.provenance.cites.iter().map(|c| c.document.as_str())).collect();
    let notes: Vec<String> = policy
        .documents
        .iter()
        .filter(|d| cited.contains(&d.name.as_str()))
        .filter_map(|d| {
            d.modelled.as_ref().map(|n| {
                if n.is_empty() {
                    format!("《{}》的分值为模拟取值。", d.name)
                } else {
                    n.clone()
                }
            })
        })
        .collect();
    let any_item = policy.items.iter().any(|i| i.provenance.modelled.is_some());
    if notes.is_empty() && !any_item {
        return None;
    }
    let mut text = String::from("分值为参考文本的模拟取值，非官方数字。");
    for n in notes {
        text.push_str(&n);
    }
    Some(text)
}
