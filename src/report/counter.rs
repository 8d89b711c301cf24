//! `jifen explain` as a counter hands it over: the verdict first (one line per purpose and route:
//! status, the reason in the law's words, the article), the total's composition, each purpose's
//! and route's conditions (✓ met, ✗ not met, with the gap and the article down to the paragraph),
//! then the items that scored with their arithmetic and the ones that did not, gathered with why.
//! Every line a person reads comes from the law's wording the policy declares (说明, 不符合, titles)
//! and the applicant's facts; no expression of the policy language is shown unless `--source`
//! asks for the policy lines. `explain.rs` keeps the full step-by-step trace (`--full`).

use super::explain::modelled_note;
use super::reasons::fill;
use crate::data::Applicant;
use crate::eval::dates;
use crate::eval::decide::{ClauseResult, Decision, Outcome, Status};
use crate::eval::trace::{Rule, Step};
use crate::eval::value::{canonical, Value};
use crate::eval::{Evaluation, ItemResult};
use crate::ir::{Category, ClauseDef, ClauseKind, CmpOp, Compiled, Expr, ExprKind, Literal, Policy, RouteBody};
use crate::syntax::span::SourceMap;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

/// How much of the explanation to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// The verdict block and the total's composition.
    Brief,
    /// Verdict, conditions, items.
    #[default]
    Counter,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct CounterOptions {
    pub detail: Detail,
    /// Show the policy lines behind each condition and item.
    pub source: bool,
}

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
            let _ = writeln!(out, "  {}  {}  {}{cite}", pad(&v.name, name_width), pad(v.status.zh(), 8), v.summary);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", page.composition);
    if brief {
        if let Some(note) = modelled_note(policy) {
            let _ = writeln!(out, "注：{note}");
        }
        let _ = writeln!(out, "政策：{}", crate::ir::Origin::of(policy));
        return out;
    }
    for section in &page.conditions {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", section.title);
        let w = section.lines.iter().map(|l| width(&l.text)).max().unwrap_or(0).min(56);
        for line in &section.lines {
            let _ = writeln!(out, "  {} {}  {}", line.mark, pad(&line.text, w), line.cite);
            if opts.source {
                source_lines(&mut out, compiled, sources, line.node, "      ");
            }
        }
    }
    // One set of columns for every category, so the points line up down the page.
    let scored = || page.items.iter().flat_map(|g| g.scored.iter());
    let name_w = scored().map(|l| width(&l.name)).max().unwrap_or(0).max(8);
    let text_w = scored().map(|l| width(&l.text)).max().unwrap_or(0).min(60);
    for group in &page.items {
        let _ = writeln!(out);
        let _ = writeln!(out, "{} {}", group.category.zh(), canonical(group.total));
        for line in &group.scored {
            let _ = writeln!(
                out,
                "  {} {:>5}分  {}  {}",
                pad(&line.name, name_w),
                canonical(line.points),
                pad(&line.text, text_w),
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
    footer(&mut out, policy);
    out
}

fn footer(out: &mut String, policy: &Policy) {
    if let Some(note) = modelled_note(policy) {
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

/// What the counter page says, before it is laid out (text now; Markdown and HTML pages later
/// read the same).
pub struct Page {
    pub heading: String,
    pub warnings: Vec<String>,
    pub verdicts: Vec<Verdict>,
    pub composition: String,
    pub conditions: Vec<Section>,
    pub items: Vec<ItemGroup>,
}

/// One line of the verdict block.
pub struct Verdict {
    /// An admission route (else a purpose).
    pub route: bool,
    pub name: String,
    pub status: Status,
    pub summary: String,
    pub cites: String,
}

/// A purpose's or route's conditions.
pub struct Section {
    pub title: String,
    pub lines: Vec<ConditionLine>,
}

pub struct ConditionLine {
    /// ✓ met, ✗ not met, ？ cannot be decided.
    pub mark: &'static str,
    pub text: String,
    pub cite: String,
    node: Option<crate::ir::NodeId>,
}

pub struct ItemGroup {
    pub category: Category,
    pub total: rust_decimal::Decimal,
    pub scored: Vec<ItemLine>,
    /// `紧缺人才（未列入本市紧缺人才需求目录）`: items that gave nothing, with why.
    pub nothing: Vec<String>,
}

pub struct ItemLine {
    pub name: String,
    pub points: rust_decimal::Decimal,
    pub text: String,
    pub cite: String,
    node: Option<crate::ir::NodeId>,
}

impl Page {
    pub fn of(compiled: &Compiled, applicant: &Applicant, eval: &Evaluation) -> Page {
        let policy = &compiled.policy;
        let who = match &applicant.label {
            Some(name) => format!("{name}（{}）", applicant.id),
            None => applicant.id.clone(),
        };
        let heading = format!("{who} · {} {} · 评估日 {}", policy.name, policy.version, eval.as_of.format("%Y-%m-%d"));
        let warnings = eval.warnings.iter().map(|w| format!("{}  {}", w.message(policy), w.cite)).collect();
        let mut verdicts = Vec::new();
        let mut conditions = Vec::new();
        for (i, p) in eval.purposes.iter().enumerate() {
            let def = policy.purposes.get(i).filter(|d| d.name == p.name);
            let clauses = def.map_or(&[][..], |d| d.clauses.as_slice());
            let purpose_cite = def.and_then(|d| d.provenance.cites.first()).map(|c| c.precise());
            let mut summary = Summary::of(policy, eval, &p.decision, clauses);
            if p.decision.status == Status::Eligible {
                summary.text = format!("总分{}", canonical(p.total));
                summary.cites = purpose_cite.iter().cloned().collect();
                if let Some(rank) = policy.rankings.iter().find(|r| r.purposes.iter().any(|x| *x as usize == i)) {
                    summary.text.push_str("；能否准入取决于年度指标数内的积分排序");
                    summary.cites.extend(rank.provenance.cites.first().map(|c| c.precise()));
                }
            }
            let title = def.and_then(|d| d.title.clone()).unwrap_or_else(|| p.name.clone());
            verdicts.push(Verdict {
                route: false,
                name: p.name.clone(),
                status: p.decision.status,
                summary: summary.text,
                cites: cites(&summary.cites),
            });
            if p.decision.status != Status::NotApplicable {
                conditions.push(Section {
                    title: format!("{title}的条件（{}）", purpose_cite.unwrap_or_default()),
                    lines: condition_lines(policy, eval, &p.decision, clauses),
                });
            }
        }
        for (i, r) in eval.routes.iter().enumerate() {
            let def = policy.routes.get(i).filter(|d| d.id == r.id);
            let clauses = match def.map(|d| &d.body) {
                Some(RouteBody::Clauses { clauses, .. }) => clauses.as_slice(),
                _ => &[],
            };
            let route_cite = def.and_then(|d| d.provenance.cites.first()).map(|c| c.precise());
            let mut summary = Summary::of(policy, eval, &r.decision, clauses);
            if let Some(purpose) = &r.same_as {
                summary.text = format!("与用途「{purpose}」同一结论");
                summary.cites = route_cite.iter().cloned().collect();
            } else if r.decision.status == Status::Eligible {
                let left = window_left(eval, &r.decision);
                summary.text = if left.is_empty() {
                    "各项条件均符合".into()
                } else {
                    format!("各项条件均符合；{left}")
                };
                summary.cites = route_cite.iter().cloned().collect();
            }
            let title = def.and_then(|d| d.title.clone()).unwrap_or_else(|| r.id.clone());
            verdicts.push(Verdict {
                route: true,
                name: title.clone(),
                status: r.decision.status,
                summary: summary.text,
                cites: cites(&summary.cites),
            });
            if r.same_as.is_none() && r.decision.status != Status::NotApplicable {
                conditions.push(Section {
                    title: format!("{title}的条件（{}）", route_cite.unwrap_or_default()),
                    lines: condition_lines(policy, eval, &r.decision, clauses),
                });
            }
        }
        let composition = composition(policy, eval);
        let items = item_groups(policy, eval);
        Page { heading, warnings, verdicts, composition, conditions, items }
    }
}

/// A verdict's words and the articles they rest on.
struct Summary {
    text: String,
    cites: Vec<String>,
}

impl Summary {
    fn of(policy: &Policy, eval: &Evaluation, decision: &Decision, clauses: &[ClauseDef]) -> Summary {
        let failing: Vec<&ClauseResult> =
            decision.clauses.iter().filter(|c| c.outcome != Outcome::Holds && c.reason.is_some()).collect();
        // Refused on the acceptance window alone: say so, and when the next window opens.
        let windows: Vec<((u32, u32), (u32, u32))> =
            failing.iter().filter_map(|c| clauses.get(c.index).and_then(|d| yearly_window(&d.test))).collect();
        if decision.status == Status::Ineligible && !failing.is_empty() && windows.len() == failing.len() {
            let mut text = String::from("其他条件均符合，仅因评估日不在受理期");
            for (from, to) in windows {
                let (start, end) = next_window(eval.as_of, from, to);
                text.push_str(&format!(
                    "（{}月{}日至{}月{}日）；下一受理期{}至{}",
                    from.0,
                    from.1,
                    to.0,
                    to.1,
                    start.format("%Y-%m-%d"),
                    end.format("%Y-%m-%d")
                ));
            }
            let cites = failing.iter().filter_map(|c| clauses.get(c.index)).map(|d| d.cite.precise()).collect();
            return Summary { text, cites };
        }
        let mut parts: Vec<String> = Vec::new();
        let mut cites = Vec::new();
        for c in &failing {
            let Some(reason) = &c.reason else { continue };
            let mut text = reason.message(policy).into_owned();
            if let Some(gap) = gap(policy, c, clauses) {
                text.push_str(&format!("，{gap}"));
            }
            if !parts.contains(&text) {
                parts.push(text);
            }
            cites.push(clauses.get(c.index).map_or_else(|| reason.cite.to_string(), |d| d.cite.precise()));
        }
        Summary { text: parts.join("；"), cites }
    }
}

/// `积分管理办法 第七条（一）、第十条`: the documents in order, each named once.
fn cites(all: &[String]) -> String {
    let mut docs: Vec<(String, Vec<String>)> = Vec::new();
    for c in all {
        let (doc, target) = c.split_once(' ').unwrap_or((c.as_str(), ""));
        match docs.iter_mut().find(|(d, _)| d == doc) {
            Some((_, targets)) => {
                if !targets.iter().any(|t| t == target) {
                    targets.push(target.to_string());
                }
            }
            None => docs.push((doc.to_string(), vec![target.to_string()])),
        }
    }
    docs.iter().map(|(d, ts)| format!("{d} {}", ts.join("、"))).collect::<Vec<_>>().join("；")
}

/// `评估日 介于 5月1日 至 5月31日`: a window that comes back every year, as (month, day) pairs.
fn yearly_window(test: &Expr) -> Option<((u32, u32), (u32, u32))> {
    let ExprKind::Between { value, low, high, below: false } = &test.kind else { return None };
    match (&value.kind, &low.kind, &high.kind) {
        (
            ExprKind::AsOf,
            ExprKind::Literal(Literal::MonthDay(fm, fd)),
            ExprKind::Literal(Literal::MonthDay(tm, td)),
        ) => Some(((*fm, *fd), (*tm, *td))),
        _ => None,
    }
}

/// The day `(month, day)` falls on in `year`; 2月29日 is 28 February in a common year, as the
/// interpreter reads a window.
fn on(year: i32, (month, day): (u32, u32)) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, month, 28))
}

/// The first window opening after `as_of`, and its last day.
pub fn next_window(as_of: NaiveDate, from: (u32, u32), to: (u32, u32)) -> (NaiveDate, NaiveDate) {
    let year = as_of.year();
    let start = match on(year, from) {
        Some(d) if d > as_of => d,
        _ => on(year + 1, from).unwrap_or(as_of),
    };
    let end_year = if to >= from { start.year() } else { start.year() + 1 };
    (start, on(end_year, to).unwrap_or(start))
}

/// How far a failed `a 满 b` / `a >= b` fell short: `差17个月`.
fn gap(policy: &Policy, c: &ClauseResult, clauses: &[ClauseDef]) -> Option<String> {
    let def = clauses.get(c.index)?;
    let Some((CmpOp::Ge, _, _)) = crate::eval::decide::compared(&def.test) else { return None };
    let (Value::Num(have), Value::Num(need), ty) = c.shown().sides.as_ref()? else { return None };
    // Whole years are counted to a day (周岁, 满年数): "差1年" could be a day or a year away, so
    // a gap in years is not stated.
    if matches!(ty, crate::ir::Type::Number(u) if u.as_base() == Some(crate::ir::BaseUnit::Year)) {
        return None;
    }
    let short = need.checked_sub(*have)?;
    (short > rust_decimal::Decimal::ZERO).then(|| format!("差{}", Value::Num(short).show(ty, policy)))
}

/// A route inside its window: `过渡期截止日2023-12-31（含），尚余245日`.
fn window_left(eval: &Evaluation, decision: &Decision) -> String {
    for c in decision.clauses.iter().filter(|c| c.kind == ClauseKind::Window && c.outcome == Outcome::Holds) {
        if let Some((Value::Date(at), Value::Date(end), _)) = c.shown().sides.as_ref() {
            if *at == eval.as_of && *end >= eval.as_of {
                let days = dates::days_inclusive(eval.as_of, *end);
                return format!("受理截止日{}（含），自评估日起尚余{days}日", end.format("%Y-%m-%d"));
            }
        }
    }
    String::new()
}

/// ✓ and ✗ lines of one purpose or route, in the order decided; a condition met only because
/// there was nothing to check is not shown as met, and no line is printed twice.
fn condition_lines(
    policy: &Policy,
    eval: &Evaluation,
    decision: &Decision,
    clauses: &[ClauseDef],
) -> Vec<ConditionLine> {
    let _ = eval;
    let mut lines: Vec<ConditionLine> = Vec::new();
    for c in &decision.clauses {
        let def = clauses.get(c.index);
        let trace = c.shown();
        let (mark, text) = match (&c.outcome, &c.reason) {
            (Outcome::Holds, _) if trace.vacuous => continue,
            (Outcome::Holds, _) => {
                let mut text =
                    described(policy, def.and_then(|d| d.description.as_ref()), trace.description.as_deref())
                        .unwrap_or_else(|| trace.test.clone());
                // 任一 that held names the elements that made it hold: `…的子女：小明（出生日期…）`.
                let named: Vec<&str> = trace
                    .steps
                    .iter()
                    .filter_map(|s| match &s.rule {
                        Some(Rule::Matched { named }) => Some(named.iter().map(String::as_str)),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                if !named.is_empty() {
                    text.push_str(&format!("：{}", named.join("、")));
                }
                ("✓", text)
            }
            (Outcome::Fails, Some(r)) => {
                let mut text = r.message(policy).into_owned();
                if let Some(gap) = gap(policy, c, clauses) {
                    text.push_str(&format!("，{gap}"));
                }
                ("✗", text)
            }
            (Outcome::Undecided, Some(r)) => ("？", r.message(policy).into_owned()),
            (_, None) => continue,
        };
        let cite =
            def.map_or_else(|| c.reason.as_ref().map(|r| r.cite.to_string()).unwrap_or_default(), |d| d.cite.precise());
        if lines.iter().any(|l| l.text == text && l.mark == mark) {
            continue;
        }
        lines.push(ConditionLine { mark, text, cite, node: def.map(|d| d.test.node) });
    }
    lines
}

/// A 说明 in words, when the policy declares one and it could be evaluated.
fn described(policy: &Policy, template: Option<&Expr>, values: Option<&[Value]>) -> Option<String> {
    let (template, values) = (template?, values?);
    let mut out = String::new();
    fill(policy, template, values, &mut out);
    Some(out)
}

/// `总分 202 = 基础分 188 + 附加分 34 − 扣减分 20`, and the purposes that count less.
fn composition(policy: &Policy, eval: &Evaluation) -> String {
    let all = [Category::Base, Category::Bonus, Category::Deduction];
    let terms = |categories: &[Category]| {
        let mut parts: Vec<String> = Vec::new();
        for c in categories {
            let (sign, amount) = match c {
                Category::Base => ("+", eval.base),
                Category::Bonus => ("+", eval.bonus),
                Category::Deduction => ("−", eval.deduction),
            };
            let term = format!("{} {}", c.zh(), canonical(amount));
            parts.push(if parts.is_empty() { term } else { format!("{sign} {term}") });
        }
        parts.join(" ")
    };
    let floor = |cs: &[Category]| {
        if eval.signed_sum(cs) < rust_decimal::Decimal::ZERO {
            "（低于零，按零计）"
        } else {
            ""
        }
    };
    let mut out = format!("总分 {} = {}{}", canonical(eval.total_of(&all)), terms(&all), floor(&all));
    // Purposes that count fewer categories, grouped by what they count.
    let mut others: Vec<(Vec<Category>, Vec<String>, Option<String>)> = Vec::new();
    for (i, p) in eval.purposes.iter().enumerate() {
        if p.categories.len() == all.len() {
            continue;
        }
        let cite = policy.purposes.get(i).and_then(|d| d.categories_cite.as_ref()).map(|c| c.precise());
        match others.iter_mut().find(|(cs, _, _)| *cs == p.categories) {
            Some((_, names, _)) => names.push(p.name.clone()),
            None => others.push((p.categories.clone(), vec![p.name.clone()], cite)),
        }
    }
    for (cs, names, cite) in others {
        let left_out: Vec<&str> = all.iter().filter(|c| !cs.contains(c)).map(|c| c.zh()).collect();
        let cite = cite.map(|c| format!("，{c}")).unwrap_or_default();
        out.push_str(&format!(
            "\n      {}：{}不适用{cite}，总分 {} = {}{}",
            names.join("、"),
            left_out.join("、"),
            canonical(eval.total_of(&cs)),
            terms(&cs),
            floor(&cs)
        ));
    }
    out
}

fn item_groups(policy: &Policy, eval: &Evaluation) -> Vec<ItemGroup> {
    let mut groups = Vec::new();
    for (category, total) in
        [(Category::Base, eval.base), (Category::Bonus, eval.bonus), (Category::Deduction, eval.deduction)]
    {
        let items: Vec<&ItemResult> = eval.items.iter().filter(|r| r.category == category).collect();
        if items.is_empty() {
            continue;
        }
        let mut group = ItemGroup { category, total, scored: Vec::new(), nothing: Vec::new() };
        for r in items {
            let def = policy.items.iter().find(|i| i.id == r.id);
            let why = described(policy, def.and_then(|d| d.description.as_ref()), r.trace.description.as_deref())
                .unwrap_or_else(|| facts_in_words(r));
            if r.points.is_zero() {
                group.nothing.push(if why.is_empty() { r.id.clone() } else { format!("{}（{why}）", r.id) });
                continue;
            }
            let mut text = why;
            let arithmetic = arithmetic(&r.trace.steps);
            if !arithmetic.is_empty() {
                if !text.is_empty() {
                    text.push('，');
                }
                text.push_str(&arithmetic);
            }
            text.push_str(&format!(" → {}分", canonical(r.points)));
            if let (Some(raw), Some(cap)) = (r.uncapped, def.and_then(|d| d.cap)) {
                text.push_str(&format!("（{}分超过本项上限，按{}分计）", canonical(raw), canonical(cap)));
            }
            let cite = def.map_or_else(
                || "?".into(),
                |d| d.provenance.cites.iter().map(|c| c.precise()).collect::<Vec<_>>().join("；"),
            );
            group.scored.push(ItemLine {
                name: r.id.clone(),
                points: r.points,
                text,
                cite,
                node: def.map(|d| d.body.node),
            });
        }
        groups.push(group);
    }
    groups
}

/// An item without a 说明: its facts by field name, without paths or positions.
fn facts_in_words(r: &ItemResult) -> String {
    let shown: Vec<String> = r
        .trace
        .facts
        .iter()
        .filter(|f| !f.path.contains('['))
        .map(|f| format!("{}{}", f.path.rsplit('.').next().unwrap_or(&f.path), f.value))
        .collect();
    shown.join("、")
}

/// The arithmetic of the steps that count, in the law's words: `每满1个月计0.5分，共86个 = 43分`.
fn arithmetic(steps: &[Step]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in steps {
        let Some(rule) = &s.rule else { continue };
        let part = match rule {
            Rule::Every { every, every_is_one, gives, times, raw, cap, capped } => {
                let mut t = if *every_is_one {
                    format!("每满{every}计{gives}")
                } else {
                    format!("满{times}个{every}，每满{every}计{gives}")
                };
                if let (Some(cap), true) = (cap, capped) {
                    t.push_str(&format!("，共{raw}，超过上限，按最高{cap}计"));
                }
                t
            }
            Rule::Bracket { from, below, .. } => match (from, below) {
                (Some(f), Some(b)) => format!("满{f}、未满{b}"),
                (Some(f), None) => format!("满{f}"),
                (None, Some(b)) => format!("未满{b}"),
                (None, None) => "不在所列区间".into(),
            },
            Rule::Times { left, right, .. } => format!("{left} × {right}"),
            Rule::Matched { .. } => continue,
            Rule::Union { kept, merged, days } => {
                let ranges: Vec<String> =
                    merged.iter().map(|(a, b)| format!("{}至{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d"))).collect();
                if *kept > 1 {
                    format!("{kept}段合并为{}，共{days}日（重叠只计一次）", ranges.join("、"))
                } else {
                    format!("{}，共{days}日", ranges.join("、"))
                }
            }
        };
        parts.push(part);
    }
    parts.join("，")
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}
