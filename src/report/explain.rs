//! `jifen explain`: for a person — every item with the applicant's facts it used, the arithmetic
//! instantiated, and the article that justifies it; with `--source`, the policy lines behind it.

use crate::data::Applicant;
use crate::eval::decide::{Decision, Outcome};
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
    for w in &eval.warnings {
        let _ = writeln!(out, "⚠ {}  {}", w.message(policy), w.cite);
    }
    if eval.purposes.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "积分  {}", total_formula(eval, &[Category::Base, Category::Bonus, Category::Deduction]));
    }
    write_purposes(&mut out, policy, eval);
    write_routes(&mut out, policy, eval);
    // Item ids take at least 8 columns (and so do none).
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
    // Which exact policy decided, so the page can be checked against it years later.
    let _ = writeln!(out);
    let _ = writeln!(out, "政策：{}", crate::ir::Origin::of(policy));
    out
}

/// `202 = 基础分 188 + 附加分 34 − 扣减分 20`, over the categories a purpose counts.
pub(crate) fn total_formula(eval: &Evaluation, categories: &[Category]) -> String {
    let mut parts = Vec::new();
    for c in categories {
        let (sign, amount) = match c {
            Category::Base => ("+", eval.base),
            Category::Bonus => ("+", eval.bonus),
            Category::Deduction => ("−", eval.deduction),
        };
        let term = format!("{} {}", c.zh(), canonical(amount));
        parts.push(if parts.is_empty() { term } else { format!("{sign} {term}") });
    }
    let floor =
        if eval.signed_sum(categories) < rust_decimal::Decimal::ZERO { "（低于零，按零计）" } else { "" };
    format!("{} = {}{floor}", canonical(eval.total_of(categories)), parts.join(" "))
}

fn write_purposes(out: &mut String, policy: &Policy, eval: &Evaluation) {
    if eval.purposes.is_empty() {
        return;
    }
    // There is a purpose (returned above when none): the default is never used.
    let width = eval.purposes.iter().map(|p| UnicodeWidthStr::width(p.name.as_str())).max().unwrap_or(8);
    let _ = writeln!(out);
    for p in &eval.purposes {
        let def = policy.purposes.iter().find(|d| d.name == p.name);
        let mut total = format!("总分 {}", total_formula(eval, &p.categories));
        let left_out: Vec<&str> = [Category::Base, Category::Bonus, Category::Deduction]
            .into_iter()
            .filter(|c| !p.categories.contains(c))
            .map(|c| c.zh())
            .collect();
        if !left_out.is_empty() {
            // No 计入 citation: the note has none. A purpose the policy lacks (a fault: the
            // evaluation is the policy's own) is marked, never shown as citing nothing.
            let cite = match def {
                Some(d) => d.categories_cite.as_ref().map(|c| format!("，{c}")).unwrap_or_default(),
                None => "，?".into(),
            };
            total.push_str(&format!("（{}不适用{cite}）", left_out.join("、")));
        }
        let _ = writeln!(out, "{}  {}  {}", pad(&p.name, width), pad(p.decision.status.zh(), 8), total);
        write_clauses(out, policy, &p.decision, &" ".repeat(width + 2));
    }
}

fn write_routes(out: &mut String, policy: &Policy, eval: &Evaluation) {
    if eval.routes.is_empty() {
        return;
    }
    // There is a route (returned above when none): the default is never used.
    let width = eval.routes.iter().map(|r| UnicodeWidthStr::width(r.id.as_str())).max().unwrap_or(8);
    let _ = writeln!(out);
    let _ = writeln!(out, "途径");
    for r in &eval.routes {
        // A route with clauses of its own says nothing more here.
        let same = r.same_as.as_ref().map(|p| format!("（与用途「{p}」同一结论）")).unwrap_or_default();
        let _ = writeln!(out, "  {}  {}{same}", pad(&r.id, width), r.decision.status.zh());
        if r.same_as.is_none() {
            write_clauses(out, policy, &r.decision, &" ".repeat(width + 4));
        }
    }
}

/// ✓ for a clause that holds (with the facts it read), ✗ for one that fails and ？ for one that
/// cannot be decided (with the reason and its article).
fn write_clauses(out: &mut String, policy: &Policy, decision: &Decision, indent: &str) {
    for c in &decision.clauses {
        match (&c.outcome, &c.reason) {
            (Outcome::Holds, _) => {
                let trace = c.shown();
                let mut shown: Vec<String> = trace.facts.iter().map(|f| format!("{} {}", f.path, f.value)).collect();
                shown.extend(flatten_steps(&trace.steps));
                let detail = if shown.is_empty() { String::new() } else { format!("（{}）", shown.join("；")) };
                let _ = writeln!(out, "{indent}✓ {}{detail}", trace.test);
            }
            (outcome, Some(reason)) => {
                let mark = if *outcome == Outcome::Undecided { "？" } else { "✗" };
                let _ = writeln!(out, "{indent}{mark} {}  {}", reason.message(policy), reason.cite);
            }
            (_, None) => {}
        }
    }
}

fn flatten_steps(steps: &[Step]) -> Vec<String> {
    steps.iter().flat_map(|s| std::iter::once(s.text.clone()).chain(flatten_steps(&s.children))).collect()
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
    // An item the policy lacks (a fault: the evaluation is the policy's own) is marked "?", never
    // shown as citing nothing.
    let cites: Vec<String> =
        def.map_or_else(|| vec!["?".into()], |d| d.provenance.cites.iter().map(|c| c.to_string()).collect());
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
                // A span outside the policy's files is shown as "?:0", never as some file's line.
                let path = sources.file(span.file).map_or("?", |f| f.path.as_str());
                // A path with no file-name part is shown whole.
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
/// notes of the documents the scoring items cite, in the policy's own words.
pub fn modelled_note(policy: &Policy) -> Option<String> {
    let cited: Vec<&str> =
        policy.items.iter().flat_map(|i| i.provenance.cites.iter().map(|c| c.document.as_str())).collect();
    let mut notes: Vec<String> = policy
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
    if notes.is_empty() && policy.items.iter().any(|i| i.provenance.modelled.is_some()) {
        notes.push("部分分值为模拟取值。".into());
    }
    (!notes.is_empty()).then(|| notes.concat())
}
