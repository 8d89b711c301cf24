//! `jifen explain` as a counter hands it over: the verdict first (one line per purpose and route:
//! status, the reason in the law's words, the article), the total's composition, each purpose's
//! and route's conditions (✓ met, ✗ not met, with the gap and the article down to the paragraph),
//! then the items that scored with their arithmetic and the ones that did not, gathered with why.
//! Every line a person reads comes from the law's wording the policy declares (说明, 不符合, titles)
//! and the applicant's facts; no expression of the policy language is shown unless `--source`
//! asks for the policy lines. `explain.rs` keeps the full step-by-step trace (`--full`).
//!
//! This module builds the page ([`Page`]); `text`, `markdown` and `html` lay it out.

pub mod html;
mod items;
pub mod markdown;
mod modelled;
mod text;

pub use modelled::Modelled;
pub use text::counter;

use super::explain::total_formula;
use super::reasons::fill;
use crate::data::Applicant;
use crate::eval::dates;
use crate::eval::decide::{ClauseResult, Decision, Outcome, Status};
use crate::eval::trace::Rule;
use crate::eval::value::{canonical, Value};
use crate::eval::Evaluation;
use crate::ir::{Category, ClauseDef, ClauseKind, CmpOp, Compiled, Expr, ExprKind, Literal, Policy, RouteBody};
use chrono::{Datelike, NaiveDate};
use items::item_groups;
use modelled::{clause_modelled, items_modelled, note};

/// How much of the explanation to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// The verdict block and the total's composition.
    Brief,
    /// Verdict, conditions, items.
    #[default]
    Counter,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CounterOptions {
    pub detail: Detail,
    /// Show the policy lines behind each condition and item.
    pub source: bool,
    /// Print the text of every article the page cites, from the articles the policy declares.
    pub articles: bool,
}

/// An article as the page cites it.
pub struct CitedArticle<'p> {
    /// `积分管理办法 第七条`, `计分标准 [社会保险]`.
    pub heading: String,
    pub article: Option<&'p crate::ir::Article>,
}

/// The cited articles, each once, in the policy's order, with the paragraphs cited of each.
pub fn articles_cited<'p>(policy: &'p Policy, cited: &[crate::ir::Cite]) -> Vec<(CitedArticle<'p>, Vec<String>)> {
    let mut found: Vec<((usize, usize), CitedArticle<'p>, Vec<String>)> = Vec::new();
    for c in cited {
        let heading = c.text();
        let paragraph = c.paragraph.clone();
        if let Some((_, _, ps)) = found.iter_mut().find(|(_, a, _)| a.heading == heading) {
            ps.extend(paragraph.filter(|p| !ps.contains(p)));
            continue;
        }
        let doc = policy.documents.iter().position(|d| d.name == c.document);
        let article = doc.and_then(|d| policy.documents.get(d)).and_then(|d| {
            d.articles.iter().enumerate().find(|(_, a)| match &c.target {
                crate::ir::CiteTarget::Article(n) => a.number.as_deref() == Some(n.as_str()),
                crate::ir::CiteTarget::Id(id) => a.id.as_deref() == Some(id.as_str()),
            })
        });
        // Articles the policy does not transcribe go after the ones it does, in citing order.
        let order = (doc.unwrap_or(usize::MAX), article.map_or(usize::MAX, |(i, _)| i));
        found.push((
            order,
            CitedArticle { heading, article: article.map(|(_, a)| a) },
            paragraph.into_iter().collect(),
        ));
    }
    found.sort_by_key(|(order, _, _)| *order);
    found.into_iter().map(|(_, a, ps)| (a, ps)).collect()
}

/// Every citation the page shows: each purpose's and route's, each condition's, the ranking's
/// and each scored item's.
fn cited_on_page(policy: &Policy, eval: &Evaluation) -> Vec<crate::ir::Cite> {
    let mut out: Vec<crate::ir::Cite> = Vec::new();
    let mut add = |c: &crate::ir::Cite| {
        if !out.contains(c) {
            out.push(c.clone());
        }
    };
    for (i, p) in eval.purposes.iter().enumerate() {
        let Some(def) = policy.purposes.get(i) else { continue };
        def.provenance.cites.first().into_iter().for_each(&mut add);
        def.categories_cite.iter().for_each(&mut add);
        for c in &p.decision.clauses {
            def.clauses.get(c.index).map(|d| &d.cite).into_iter().for_each(&mut add);
        }
        if p.decision.status == Status::Eligible {
            for r in policy.rankings.iter().filter(|r| r.purposes.iter().any(|x| *x as usize == i)) {
                r.provenance.cites.first().into_iter().for_each(&mut add);
            }
        }
    }
    for (i, r) in eval.routes.iter().enumerate() {
        let Some(def) = policy.routes.get(i) else { continue };
        def.provenance.cites.first().into_iter().for_each(&mut add);
        if let RouteBody::Clauses { clauses, .. } = &def.body {
            for c in &r.decision.clauses {
                clauses.get(c.index).map(|d| &d.cite).into_iter().for_each(&mut add);
            }
        }
    }
    for r in eval.items.iter().filter(|r| !r.points.is_zero()) {
        if let Some(def) = policy.items.iter().find(|i| i.id == r.id) {
            def.provenance.cites.iter().for_each(&mut add);
        }
    }
    out
}

/// What the counter page says, before it is laid out (text now; Markdown and HTML pages later
/// read the same).
#[derive(serde::Serialize)]
pub struct Page {
    /// `张三（A0001）`.
    pub who: String,
    /// `苏州市流动人口积分与户籍准入 2020 · 评估日 2021-05-10`.
    pub subtitle: String,
    /// The two together, as the text page opens.
    pub heading: String,
    pub warnings: Vec<String>,
    pub verdicts: Vec<Verdict>,
    pub composition: String,
    pub conditions: Vec<Section>,
    pub items: Vec<ItemGroup>,
    /// Every modelled value a marked (※) line rests on, in the order the page first uses them.
    pub modelled: Vec<Modelled>,
    /// Every citation the page shows, for `--articles`.
    pub cited: Vec<crate::ir::Cite>,
    /// The policy that decided: name, version, hash, jifen's version.
    pub origin: String,
}

/// One line of the verdict block.
#[derive(serde::Serialize)]
pub struct Verdict {
    /// An admission route (else a purpose).
    pub route: bool,
    pub name: String,
    pub status: Status,
    pub summary: String,
    pub cites: String,
    /// Rests on a modelled value (marked ※).
    pub modelled: bool,
}

/// A purpose's or route's conditions.
#[derive(serde::Serialize)]
pub struct Section {
    pub title: String,
    pub lines: Vec<ConditionLine>,
}

#[derive(serde::Serialize)]
pub struct ConditionLine {
    /// ✓ met, ✗ not met, ？ cannot be decided.
    pub mark: &'static str,
    pub text: String,
    pub cite: String,
    /// Rests on a modelled value (marked ※).
    pub modelled: bool,
    #[serde(skip)]
    rests_on: Vec<Modelled>,
    #[serde(skip)]
    node: Option<crate::ir::NodeId>,
}

#[derive(serde::Serialize)]
pub struct ItemGroup {
    pub category: Category,
    pub total: rust_decimal::Decimal,
    pub scored: Vec<ItemLine>,
    /// `紧缺人才（未列入本市紧缺人才需求目录）`: items that gave nothing, with why.
    pub nothing: Vec<String>,
}

#[derive(serde::Serialize)]
pub struct ItemLine {
    pub name: String,
    pub points: rust_decimal::Decimal,
    pub text: String,
    pub cite: String,
    /// Rests on a modelled value (marked ※).
    pub modelled: bool,
    #[serde(skip)]
    node: Option<crate::ir::NodeId>,
}

impl Page {
    pub fn of(compiled: &Compiled, applicant: &Applicant, eval: &Evaluation) -> Page {
        let policy = &compiled.policy;
        let who = match &applicant.label {
            Some(name) => format!("{name}（{}）", applicant.id),
            None => applicant.id.clone(),
        };
        let subtitle = format!("{} {} · 评估日 {}", policy.name, policy.version, eval.as_of.format("%Y-%m-%d"));
        let heading = format!("{who} · {subtitle}");
        let warnings = eval.warnings.iter().map(|w| format!("{}  {}", w.message(policy), w.cite)).collect();
        let mut verdicts = Vec::new();
        let mut conditions = Vec::new();
        let mut modelled: Vec<Modelled> = Vec::new();
        for (i, p) in eval.purposes.iter().enumerate() {
            let def = policy.purposes.get(i).filter(|d| d.name == p.name);
            let clauses = def.map_or(&[][..], |d| d.clauses.as_slice());
            let purpose_cite = def.and_then(|d| d.provenance.cites.first()).map(|c| c.precise());
            let mut summary = Summary::of(policy, eval, &p.decision, clauses);
            if p.decision.status == Status::Eligible {
                summary.text = format!("总分{}", canonical(p.total));
                summary.cites = purpose_cite.iter().cloned().collect();
                summary.modelled = items_modelled(policy, eval);
                if let Some(rank) = policy.rankings.iter().find(|r| r.purposes.iter().any(|x| *x as usize == i)) {
                    summary.text.push_str("；能否准入取决于年度指标数内的积分排序");
                    summary.cites.extend(rank.provenance.cites.first().map(|c| c.precise()));
                }
            }
            let title = def.and_then(|d| d.title.clone()).unwrap_or_else(|| p.name.clone());
            note(&mut modelled, &summary.modelled);
            verdicts.push(Verdict {
                route: false,
                name: p.name.clone(),
                status: p.decision.status,
                summary: summary.text,
                cites: cites(&summary.cites),
                modelled: !summary.modelled.is_empty(),
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
                let (left, window) = window_left(eval, &r.decision);
                summary.modelled =
                    window.and_then(|i| clauses.get(i)).map(|d| clause_modelled(policy, d)).unwrap_or_default();
                summary.text = if left.is_empty() {
                    "各项条件均符合".into()
                } else {
                    format!("各项条件均符合；{left}")
                };
                summary.cites = route_cite.iter().cloned().collect();
            }
            let title = def.and_then(|d| d.title.clone()).unwrap_or_else(|| r.id.clone());
            note(&mut modelled, &summary.modelled);
            verdicts.push(Verdict {
                route: true,
                name: title.clone(),
                status: r.decision.status,
                summary: summary.text,
                cites: cites(&summary.cites),
                modelled: !summary.modelled.is_empty(),
            });
            if r.same_as.is_none() && r.decision.status != Status::NotApplicable {
                conditions.push(Section {
                    title: format!("{title}的条件（{}）", route_cite.unwrap_or_default()),
                    lines: condition_lines(policy, eval, &r.decision, clauses),
                });
            }
        }
        for section in &conditions {
            for line in section.lines.iter().filter(|l| l.modelled) {
                note(&mut modelled, &line.rests_on);
            }
        }
        let mut composition = composition(policy, eval);
        let items = item_groups(policy, eval);
        let scored_on = items_modelled(policy, eval);
        if !scored_on.is_empty() {
            let end = composition.find('\n').unwrap_or(composition.len());
            composition.insert_str(end, " ※");
        }
        note(&mut modelled, &scored_on);
        let cited = cited_on_page(policy, eval);
        let origin = crate::ir::Origin::of(policy).to_string();
        Page { who, subtitle, heading, warnings, verdicts, composition, conditions, items, modelled, cited, origin }
    }
}

/// A verdict's words and the articles they rest on.
struct Summary {
    text: String,
    cites: Vec<String>,
    modelled: Vec<Modelled>,
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
            let defs = || failing.iter().filter_map(|c| clauses.get(c.index));
            let cites = defs().map(|d| d.cite.precise()).collect();
            let modelled = defs().flat_map(|d| clause_modelled(policy, d)).collect();
            return Summary { text, cites, modelled };
        }
        let mut parts: Vec<String> = Vec::new();
        let mut cites = Vec::new();
        let mut modelled = Vec::new();
        for c in &failing {
            if let Some(d) = clauses.get(c.index) {
                modelled.extend(clause_modelled(policy, d));
            }
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
        Summary { text: parts.join("；"), cites, modelled }
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

/// A route inside its window: `受理截止日2023-12-31（含），自评估日起尚余245日`, and the clause
/// that says so.
fn window_left(eval: &Evaluation, decision: &Decision) -> (String, Option<usize>) {
    for c in decision.clauses.iter().filter(|c| c.kind == ClauseKind::Window && c.outcome == Outcome::Holds) {
        if let Some((Value::Date(at), Value::Date(end), _)) = c.shown().sides.as_ref() {
            if *at == eval.as_of && *end >= eval.as_of {
                let days = dates::days_inclusive(eval.as_of, *end);
                let text = format!("受理截止日{}（含），自评估日起尚余{days}日", end.format("%Y-%m-%d"));
                return (text, Some(c.index));
            }
        }
    }
    (String::new(), None)
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
        let rests_on = def.map(|d| clause_modelled(policy, d)).unwrap_or_default();
        lines.push(ConditionLine {
            mark,
            text,
            cite,
            modelled: !rests_on.is_empty(),
            rests_on,
            node: def.map(|d| d.test.node),
        });
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
    let mut out = format!("总分 {}", total_formula(eval, &all));
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
            "\n      {}：{}不适用{cite}，总分 {}",
            names.join("、"),
            left_out.join("、"),
            total_formula(eval, &cs)
        ));
    }
    out
}

/// A line's words, with ※ when they rest on a modelled value.
fn marked(text: &str, modelled: bool) -> String {
    if modelled {
        format!("{text} ※")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::next_window;
    use chrono::NaiveDate;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_next_window_opens_after_the_evaluation_date() {
        // Before this year's window, and the day after it closed.
        assert_eq!(next_window(day(2021, 2, 10), (3, 1), (3, 31)), (day(2021, 3, 1), day(2021, 3, 31)));
        assert_eq!(next_window(day(2021, 6, 1), (5, 1), (5, 31)), (day(2022, 5, 1), day(2022, 5, 31)));
        // 2月29日 opens on 28 February in a common year, on the 29th in a leap year.
        assert_eq!(next_window(day(2021, 2, 27), (2, 29), (3, 31)), (day(2021, 2, 28), day(2021, 3, 31)));
        assert_eq!(next_window(day(2023, 4, 1), (2, 29), (3, 31)), (day(2024, 2, 29), day(2024, 3, 31)));
        // A window across the new year ends in the year after it opens.
        assert_eq!(next_window(day(2021, 11, 30), (12, 1), (1, 31)), (day(2021, 12, 1), day(2022, 1, 31)));
        assert_eq!(next_window(day(2022, 2, 1), (12, 1), (1, 31)), (day(2022, 12, 1), day(2023, 1, 31)));
    }
}
