//! The impact of a diff on a population: every applicant evaluated under both versions (on its own
//! 评估日, or one date for all), the status transitions and total movements per purpose and route,
//! the applicants who moved and the clause that decided each side, and the attribution of every
//! movement to the change of the diff that caused it.
//!
//! Attribution works on the units the interpreter decides: an item's points and a clause's
//! outcome. A unit that moved is credited to its own change when the diff changed it, and
//! otherwise to the change of a constant or table it reads (through other constants). Each item's
//! movement goes to exactly one change, so the points credited to the changes, with the effect of
//! the floor at zero, add up to the change of every purpose's total (the reconciliation).

use super::clauses::{identities, match_clauses};
use super::{Diff, Subject};
use crate::batch::spill::{Spilled, IN_MEMORY};
use crate::data::{Applicant, Read};
use crate::eval::decide::{Decision, Outcome, Status};
use crate::eval::trace::Step;
use crate::eval::{evaluate_item, score, Evaluation, ItemResult};
use crate::ir::visit::visit;
use crate::ir::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The status as the JSON contract writes it; `absent` where a version has no such purpose or route.
pub fn status_key(s: Option<Status>) -> &'static str {
    match s {
        Some(Status::Eligible) => "eligible",
        Some(Status::Ineligible) => "ineligible",
        Some(Status::Error) => "error",
        Some(Status::NotApplicable) => "not_applicable",
        Some(Status::Closed) => "closed",
        None => "absent",
    }
}

/// A side read back from a list kept in a file: its status key becomes the same static key.
#[derive(Deserialize)]
struct SideRead {
    status: String,
    total: Option<Decimal>,
    decided: Vec<Decided>,
}

impl<'de> Deserialize<'de> for Side {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Side, D::Error> {
        let r = SideRead::deserialize(d)?;
        let statuses = [Status::Eligible, Status::Ineligible, Status::Error, Status::NotApplicable, Status::Closed];
        let status = statuses
            .into_iter()
            .map(Some)
            .chain([None])
            .map(status_key)
            .find(|k| *k == r.status)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown status {}", r.status)))?;
        Ok(Side { status, total: r.total, decided: r.decided })
    }
}

#[derive(Debug)]
pub struct Impact {
    /// Records in the input, read or not.
    pub records: usize,
    /// Records evaluated under both versions.
    pub evaluated: usize,
    pub invalid: Spilled<Invalid>,
    pub purposes: Vec<PurposeImpact>,
    pub routes: Vec<RouteImpact>,
    /// How many applicants' status or total changed.
    pub moved: usize,
    /// Evaluated applicants whose 评估日 lies outside each version's effective period.
    pub outside_old: usize,
    pub outside_new: usize,
    /// Those applicants — all of them, or (for a memo) the largest movements and the first status
    /// change of each purpose and route, as [`Keep`] asks. A list of all of them goes on in a
    /// temporary file past a few thousand.
    pub applicants: Spilled<Moved>,
    /// One per change of the diff, in the diff's order.
    pub changes: Vec<ChangeImpact>,
    /// Movements no change of the diff explains (empty unless the diff misses something).
    pub unattributed: ChangeImpact,
    pub reconciliation: Vec<Reconciliation>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Invalid {
    pub line: usize,
    pub applicant: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PurposeImpact {
    pub name: String,
    /// `eligible->ineligible` → count, every evaluated applicant counted once.
    pub transitions: BTreeMap<String, usize>,
    pub total_changed: usize,
    pub total_delta: DeltaStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct RouteImpact {
    pub id: String,
    pub transitions: BTreeMap<String, usize>,
}

/// Movements of a purpose's total (new − old) over every evaluated applicant.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeltaStats {
    pub min: Decimal,
    pub max: Decimal,
    /// The mean over every evaluated applicant, to two decimals.
    pub mean: Decimal,
    pub sum: Decimal,
    /// Bins of equal width growing away from zero: `[from, to)` below zero, exactly 0, `(from, to]` above.
    pub histogram: Vec<Bin>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub from: Decimal,
    pub to: Decimal,
    pub count: usize,
}

/// Which moved applicants an impact lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    All,
    /// The n largest movements of a total, and the first status change of each purpose and route:
    /// what a memo shows, in memory that does not grow with the population.
    Largest(usize),
}

/// An applicant whose status or total changed somewhere.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Moved {
    pub applicant: String,
    pub label: Option<String>,
    pub line: usize,
    pub purposes: Vec<MovedOutcome>,
    pub routes: Vec<MovedOutcome>,
    /// The record as each version read it, for the few applicants a memo explains ([`Keep::Largest`]
    /// keeps them; the input need not be read twice).
    #[serde(skip)]
    pub records: Option<Box<(Applicant, Applicant)>>,
}

impl Moved {
    /// The largest movement of a purpose's total.
    pub fn largest_delta(&self) -> Decimal {
        // No purpose with a total on both sides: no total moved, by 0.
        self.purposes.iter().filter_map(|o| Some((o.new.total? - o.old.total?).abs())).max().unwrap_or_default()
    }

    fn status_changes(&self) -> impl Iterator<Item = &str> {
        self.purposes.iter().chain(&self.routes).filter(|o| o.old.status != o.new.status).map(|o| o.name.as_str())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MovedOutcome {
    pub name: String,
    pub old: Side,
    pub new: Side,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<Decimal>,
    /// For a status other than eligible, the clauses that decided it.
    pub decided: Vec<Decided>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decided {
    pub clause: String,
    pub cite: String,
    pub message: String,
}

/// What one change of the diff did to the population.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ChangeImpact {
    /// Whether the change is to a rule that evaluation reads (an article's text is not).
    pub evaluated: bool,
    /// Distinct applicants it moved (points or a clause's decision).
    pub applicants: usize,
    /// Applicants whose clause decision it changed.
    pub decisions: usize,
    /// Of those, the applicants whose status for that purpose or route changed too.
    pub statuses: usize,
    /// Item points it moved (new − old, summed), for changes that move points.
    pub points_moved: Decimal,
    /// Its share of the change of each purpose's total.
    pub totals_moved: BTreeMap<String, Decimal>,
    /// The rules it acted through, when it is not one itself (`分项 [合法稳定住所]`).
    pub via: Vec<String>,
    pub example: Option<Example>,
    #[serde(skip)]
    last_applicant: Option<usize>,
    #[serde(skip)]
    last_decision: Option<usize>,
    #[serde(skip)]
    last_status: Option<usize>,
    #[serde(skip)]
    example_weight: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub applicant: String,
    /// The item or clause computed: `[社会保险]`, `积分落户/第二条·1`.
    pub unit: String,
    pub old: ExampleSide,
    pub new: ExampleSide,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleSide {
    /// `43分`, `不符合`, …
    pub value: String,
    /// The computation or the reason, as the explanation shows it.
    pub steps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reconciliation {
    pub purpose: String,
    /// Σ (new total − old total) over the evaluated applicants.
    pub total_delta: Decimal,
    /// Σ of the changes' shares.
    pub from_changes: Decimal,
    /// What the floor at zero took or gave back.
    pub from_floor: Decimal,
    /// Applicants whose total the floor changed in either version.
    pub floor_applicants: usize,
    pub unattributed: Decimal,
}

/// The rules each change may act through, and which change a moved unit is credited to.
struct Attribution<'a> {
    diff: &'a Diff,
}

impl Attribution<'_> {
    fn change(&self, subject: Subject, id: &str) -> Option<usize> {
        self.diff.changes.iter().position(|c| c.subject == subject && c.id == id)
    }

    /// Changes of the constants and tables an expression reads, directly or through constants.
    fn dependencies(&self, exprs: &[(&Policy, &Expr)]) -> Vec<usize> {
        let mut out = Vec::new();
        for (policy, e) in exprs {
            let (consts, tables) = reads(policy, e);
            // u32 ids → usize here and below: lossless (usize has at least 32 bits: lib.rs).
            for c in consts {
                if let Some(def) = policy.constants.get(c as usize) {
                    out.extend(self.change(Subject::Constant, &def.name));
                }
            }
            for t in tables {
                if let Some(def) = policy.tables.get(t as usize) {
                    out.extend(self.change(Subject::Table, &def.name));
                    let prefix = format!("{}/", def.name);
                    out.extend(
                        self.diff
                            .changes
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| c.subject == Subject::TableRow && c.id.starts_with(&prefix))
                            .map(|(i, _)| i),
                    );
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Constants and tables an expression reads, following constants to what they read.
fn reads(policy: &Policy, e: &Expr) -> (Vec<u32>, Vec<u32>) {
    let mut consts: Vec<u32> = Vec::new();
    let mut tables: Vec<u32> = Vec::new();
    let mut pending: Vec<&Expr> = vec![e];
    while let Some(x) = pending.pop() {
        let mut found: Vec<u32> = Vec::new();
        visit(x, &mut |y| match &y.kind {
            ExprKind::Const(c) if !consts.contains(&c.0) && !found.contains(&c.0) => found.push(c.0),
            ExprKind::Lookup { table, .. } if !tables.contains(&table.0) => tables.push(table.0),
            _ => {}
        });
        for c in found {
            consts.push(c);
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            if let Some(def) = policy.constants.get(c as usize) {
                pending.push(&def.value);
            }
        }
    }
    (consts, tables)
}

fn mentions_total(e: &Expr) -> bool {
    let mut found = false;
    visit(e, &mut |x| found |= matches!(x.kind, ExprKind::Total));
    found
}

/// Which change a moved unit is credited to, and how the unit is named.
struct Unit {
    label: String,
    credits: Vec<usize>,
    /// A clause whose test reads the purpose's total: it moves with the points.
    reads_total: bool,
}

struct ClauseUnits {
    owner: String,
    /// (matched clause, its unit), in the new version's order.
    clauses: Vec<(super::clauses::Matched, Unit)>,
    ids_old: Vec<String>,
    ids_new: Vec<String>,
}

fn clauses_of(r: &RouteDef) -> &[ClauseDef] {
    match &r.body {
        RouteBody::Clauses { clauses, .. } => clauses,
        RouteBody::SameAs(_) => &[],
    }
}

fn home(p: &Provenance) -> Option<&str> {
    p.cites.first().map(|c| c.document.as_str())
}

/// The identities of the clauses of a purpose (or, `route`, of a route) in one version, for an
/// owner only that version has (the matched units cover those both have). A version without the
/// owner decides nothing by it, and names no clause.
fn own_identities(policy: &Policy, owner: &str, route: bool) -> Vec<String> {
    if route {
        policy.routes.iter().find(|r| r.id == owner).map(|r| identities(clauses_of(r), home(&r.provenance)))
    } else {
        policy.purposes.iter().find(|p| p.name == owner).map(|p| identities(&p.clauses, home(&p.provenance)))
    }
    .unwrap_or_default()
}

fn flatten(steps: &[Step], out: &mut Vec<String>) {
    for s in steps {
        out.push(s.text.clone());
        flatten(&s.children, out);
    }
}

fn item_side(r: Option<&ItemResult>) -> ExampleSide {
    match r {
        Some(r) => {
            let mut steps = Vec::new();
            flatten(&r.trace.steps, &mut steps);
            ExampleSide { value: format!("{}分", crate::ir::words::decimal(r.points)), steps }
        }
        None => ExampleSide { value: "无此分项".into(), steps: Vec::new() },
    }
}

fn outcome_word(present: bool, o: Option<Outcome>) -> &'static str {
    if !present {
        return "无此条款";
    }
    match o {
        Some(Outcome::Holds) => "符合",
        Some(Outcome::Fails) => "不符合",
        Some(Outcome::Undecided) => "无法判定",
        None => "未判定",
    }
}

fn outcome_of(d: Option<&Decision>, index: Option<usize>) -> Option<Outcome> {
    let i = index?;
    d?.clauses.iter().find(|c| c.index == i).map(|c| c.outcome)
}

fn reason_of(policy: &Policy, d: Option<&Decision>, index: Option<usize>) -> Vec<String> {
    let (Some(d), Some(i)) = (d, index) else { return Vec::new() };
    d.clauses
        .iter()
        .filter(|c| c.index == i)
        .filter_map(|c| c.reason.as_ref())
        .map(|r| format!("{}（{}）", r.message(policy), r.cite))
        .collect()
}

/// The clauses that decided a status other than eligible.
fn decided(policy: &Policy, d: Option<&Decision>, ids: &[String]) -> Vec<Decided> {
    let Some(d) = d else { return Vec::new() };
    if d.status == Status::Eligible {
        return Vec::new();
    }
    let mut out: Vec<Decided> = Vec::new();
    for c in &d.clauses {
        let Some(r) = &c.reason else { continue };
        if c.outcome == Outcome::Holds || !d.reasons.contains(r) {
            continue;
        }
        let item = Decided {
            // `ids` are the identities of this decision's clauses, one each: "?" would mark a
            // clause without one, never a blank name.
            clause: ids.get(c.index).cloned().unwrap_or_else(|| "?".into()),
            cite: r.cite.to_string(),
            message: r.message(policy).into_owned(),
        };
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

/// A route's own decision (a route that copies a purpose is decided by the purpose's clauses).
fn route_decision<'e>(e: &'e Evaluation, id: &str) -> Option<&'e Decision> {
    e.routes.iter().find(|r| r.id == id && r.same_as.is_none()).map(|r| &*r.decision)
}

fn counted(categories: &[Category], c: Category) -> Decimal {
    if !categories.contains(&c) {
        Decimal::ZERO
    } else if c == Category::Deduction {
        Decimal::NEGATIVE_ONE
    } else {
        Decimal::ONE
    }
}

impl ChangeImpact {
    /// Count the applicant once, however many units of theirs the change moved.
    fn touch(&mut self, applicant: usize) {
        if self.last_applicant != Some(applicant) {
            self.last_applicant = Some(applicant);
            self.applicants += 1;
        }
    }

    fn decided_for(&mut self, applicant: usize) {
        self.touch(applicant);
        if self.last_decision != Some(applicant) {
            self.last_decision = Some(applicant);
            self.decisions += 1;
        }
    }

    fn status_moved_for(&mut self, applicant: usize) {
        if self.last_status != Some(applicant) {
            self.last_status = Some(applicant);
            self.statuses += 1;
        }
    }

    fn via(&mut self, label: &str, own: bool) {
        if !own && !self.via.iter().any(|v| v == label) {
            self.via.push(label.to_string());
        }
    }

    fn offer(&mut self, weight: Decimal, example: impl FnOnce() -> Example) {
        if self.example.is_none() || weight > self.example_weight {
            self.example = Some(example());
            self.example_weight = weight;
        }
    }
}

/// Evaluate every record under both versions and attribute who moved to the diff's changes.
/// `records` gives each input record read against each version's schema; it is consumed one record
/// at a time, so memory grows with the applicants who moved, not with the input.
/// One record read and scored under both versions (no trace), ready to be counted: the work that
/// can run on any thread, in any order, before `impact` takes the records in input order.
pub struct Prepared {
    scored: Result<Box<Scored>, Invalid>,
}

struct Scored {
    line: usize,
    old: Applicant,
    new: Applicant,
    day: NaiveDate,
    eo: Evaluation,
    en: Evaluation,
}

pub fn prepare(old: &Policy, new: &Policy, (line, ro): Read, (_, rn): Read, as_of: Option<NaiveDate>) -> Prepared {
    let (a_old, a_new): (Applicant, Applicant) = match (ro, rn) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            return Prepared { scored: Err(Invalid { line, applicant: e.applicant, message: e.message.zh }) };
        }
    };
    // The date given for the whole run, or else the new version's reading of the record.
    let day = as_of.unwrap_or(a_new.as_of);
    let scored = match (score(old, &a_old.value, day), score(new, &a_new.value, day)) {
        (Ok(eo), Ok(en)) => Ok(Box::new(Scored { line, old: a_old, new: a_new, day, eo, en })),
        (Err(e), _) | (_, Err(e)) => Err(Invalid { line, applicant: Some(a_new.id.clone()), message: e.message.zh }),
    };
    Prepared { scored }
}

/// An item's side of an example, traced: batches score without traces, so the few applicants
/// shown as examples are evaluated again, item alone, with the trace `explain` shows.
fn traced_item(policy: &Policy, id: &str, applicant: &Applicant, day: NaiveDate) -> Option<ItemResult> {
    let def = policy.items.iter().find(|i| i.id == id)?;
    evaluate_item(policy, def, &applicant.value, day).ok()
}

pub fn impact(
    diff: &Diff,
    old: &Policy,
    new: &Policy,
    records: impl IntoIterator<Item = Prepared>,
    keep: Keep,
) -> Impact {
    let att = Attribution { diff };
    let mut changes: Vec<ChangeImpact> = diff
        .changes
        .iter()
        .map(|c| ChangeImpact {
            evaluated: !matches!(c.subject, Subject::Policy | Subject::Document | Subject::Article),
            ..ChangeImpact::default()
        })
        .collect();
    let mut unattributed = ChangeImpact { evaluated: true, ..ChangeImpact::default() };

    // Items: credited to their own change, else to the first change of what they read.
    let mut item_ids: Vec<&str> = new.items.iter().map(|i| i.id.as_str()).collect();
    item_ids.extend(old.items.iter().map(|i| i.id.as_str()).filter(|id| !new.items.iter().any(|n| n.id == *id)));
    let item_units: Vec<Unit> = item_ids
        .iter()
        .map(|id| {
            let label = format!("分项 [{id}]");
            if let Some(own) = att.change(Subject::Item, id) {
                return Unit { label, credits: vec![own], reads_total: false };
            }
            let mut exprs: Vec<(&Policy, &Expr)> = Vec::new();
            for (p, def) in
                [(old, old.items.iter().find(|i| i.id == *id)), (new, new.items.iter().find(|i| i.id == *id))]
            {
                if let Some(def) = def {
                    exprs.push((p, &def.body));
                    exprs.extend(def.lets.iter().map(|l| (p, &l.value)));
                }
            }
            Unit { label, credits: att.dependencies(&exprs).into_iter().take(1).collect(), reads_total: false }
        })
        .collect();

    let same = super::expr::ExprDiff::new(old, new);
    // Clauses of purposes and routes present in both versions.
    let clause_units = |owner: &str, prov: &Provenance, co: &[ClauseDef], cn: &[ClauseDef]| -> ClauseUnits {
        let h = home(prov);
        let matched = match_clauses(old, co, new, cn, h);
        let clauses = matched
            .into_iter()
            .map(|m| {
                let label = format!("{owner}/{}", m.id);
                let (xo, xn) = (m.old.and_then(|i| co.get(i)), m.new.and_then(|j| cn.get(j)));
                let reads_total =
                    xo.is_some_and(|c| mentions_total(&c.test)) || xn.is_some_and(|c| mentions_total(&c.test));
                // A clause's decision moves with its own test, and with the constants and tables the
                // test reads: both are credited (a clause whose message alone changed passes the
                // credit to what it reads).
                let own = att.change(Subject::Clause, &label);
                let test_changed = match (xo, xn) {
                    (Some(a), Some(b)) => a.kind != b.kind || !same.same(&a.test, &b.test),
                    _ => true,
                };
                // A clause one version lacks reads nothing there.
                let reads_old = xo.map(|c| att.dependencies(&[(old, &c.test)])).unwrap_or_default();
                let reads_new = xn.map(|c| att.dependencies(&[(new, &c.test)])).unwrap_or_default();
                let mut credits: Vec<usize> = own.filter(|_| test_changed).into_iter().collect();
                // A test that itself changed is its own explanation, with what both versions of it
                // read and what it newly reads (or no longer reads) that the diff adds (removes);
                // one that did not change moves with what it reads.
                if test_changed {
                    let kind = |c: &usize| diff.changes.get(*c).map(|x| x.kind);
                    credits.extend(
                        reads_new.iter().filter(|c| reads_old.contains(c) || kind(c) == Some(super::ChangeKind::Added)),
                    );
                    credits.extend(reads_old.iter().filter(|c| kind(c) == Some(super::ChangeKind::Removed)));
                } else {
                    credits.extend(reads_old.iter().chain(&reads_new));
                }
                if credits.is_empty() {
                    credits.extend(own);
                }
                credits.sort_unstable();
                credits.dedup();
                (m, Unit { label, credits, reads_total })
            })
            .collect();
        ClauseUnits { owner: owner.to_string(), clauses, ids_old: identities(co, h), ids_new: identities(cn, h) }
    };
    let purpose_units: Vec<ClauseUnits> = new
        .purposes
        .iter()
        .filter_map(|p| {
            old.purposes
                .iter()
                .find(|o| o.name == p.name)
                .map(|o| clause_units(&p.name, &p.provenance, &o.clauses, &p.clauses))
        })
        .collect();
    let route_units: Vec<ClauseUnits> = new
        .routes
        .iter()
        .filter_map(|r| {
            old.routes
                .iter()
                .find(|o| o.id == r.id)
                .map(|o| clause_units(&r.id, &r.provenance, clauses_of(o), clauses_of(r)))
        })
        .collect();

    let mut purpose_names: Vec<String> = new.purposes.iter().map(|p| p.name.clone()).collect();
    purpose_names
        .extend(old.purposes.iter().map(|p| p.name.clone()).filter(|n| !new.purposes.iter().any(|p| p.name == *n)));
    let mut route_ids: Vec<String> = new.routes.iter().map(|r| r.id.clone()).collect();
    route_ids.extend(old.routes.iter().map(|r| r.id.clone()).filter(|n| !new.routes.iter().any(|r| r.id == *n)));
    let mut purposes: Vec<PurposeImpact> = purpose_names
        .iter()
        .map(|n| PurposeImpact {
            name: n.clone(),
            transitions: BTreeMap::new(),
            total_changed: 0,
            total_delta: DeltaStats::default(),
        })
        .collect();
    let mut routes: Vec<RouteImpact> =
        route_ids.iter().map(|r| RouteImpact { id: r.clone(), transitions: BTreeMap::new() }).collect();
    // Each purpose's movements, counted by value: totals move in steps of the policy's points, so
    // the distinct values are few however large the population.
    let mut deltas: Vec<BTreeMap<Decimal, usize>> = vec![BTreeMap::new(); purposes.len()];
    let mut recon: Vec<Reconciliation> = purpose_names
        .iter()
        .map(|n| Reconciliation {
            purpose: n.clone(),
            total_delta: Decimal::ZERO,
            from_changes: Decimal::ZERO,
            from_floor: Decimal::ZERO,
            floor_applicants: 0,
            unattributed: Decimal::ZERO,
        })
        .collect();
    // Looked up once, not per applicant and item.
    let purpose_changes: Vec<(String, Option<usize>)> =
        purpose_names.iter().map(|n| (n.clone(), att.change(Subject::Purpose, n))).collect();
    let purpose_change = |name: &str| purpose_changes.iter().find(|(n, _)| n == name).and_then(|(_, c)| *c);

    let mut count = 0usize;
    let mut invalid = Spilled::new(IN_MEMORY);
    let mut all_moved = Spilled::new(IN_MEMORY);
    let mut moved: Vec<Moved> = Vec::new();
    let mut moved_count = 0usize;
    let (mut outside_old, mut outside_new) = (0usize, 0usize);
    // With Keep::Largest, the applicants kept as the first status change of some purpose or route.
    let mut pinned: Vec<bool> = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    let mut evaluated = 0usize;
    for (k, prepared) in records.into_iter().enumerate() {
        count += 1;
        let Scored { line, old: a_old, new: a_new, day, eo, en } = match prepared.scored {
            Ok(s) => *s,
            Err(e) => {
                invalid.push(e);
                continue;
            }
        };
        evaluated += 1;
        outside_old += usize::from(!eo.warnings.is_empty());
        outside_new += usize::from(!en.warnings.is_empty());
        let id = a_new.id.clone();

        // Points, item by item.
        let po_of = |name: &str| eo.purposes.iter().find(|p| p.name == name);
        let pn_of = |name: &str| en.purposes.iter().find(|p| p.name == name);
        let mut moved_by: Vec<usize> = Vec::new();
        for (item_id, unit) in item_ids.iter().zip(&item_units) {
            let ro = eo.items.iter().find(|r| r.id == *item_id);
            let rn = en.items.iter().find(|r| r.id == *item_id);
            // An item one version lacks scores 0 points there (see the purposes' shares below).
            let (p_old, p_new) = (ro.map(|r| r.points).unwrap_or_default(), rn.map(|r| r.points).unwrap_or_default());
            let delta = p_new - p_old;
            let credit = unit.credits.first().copied();
            if !delta.is_zero() {
                let target = match credit.and_then(|c| changes.get_mut(c)) {
                    Some(t) => t,
                    None => &mut unattributed,
                };
                target.touch(k);
                target.points_moved += delta;
                target.via(
                    &unit.label,
                    credit.and_then(|c| diff.changes.get(c)).is_some_and(|c| c.subject == Subject::Item),
                );
                target.offer(delta.abs(), || Example {
                    applicant: id.clone(),
                    unit: format!("[{item_id}]"),
                    old: item_side(ro.and_then(|_| traced_item(old, item_id, &a_old, day)).as_ref()),
                    new: item_side(rn.and_then(|_| traced_item(new, item_id, &a_new, day)).as_ref()),
                });
                moved_by.extend(credit);
            }
            for (pi, name) in purpose_names.iter().enumerate() {
                let (Some(po), Some(pn)) = (po_of(name), pn_of(name)) else { continue };
                // An item one version lacks counts as 0 points there, in the category it has in the
                // other: adding an item is the item's change, not a change of what a purpose counts.
                // (Neither version scoring the item, nothing is counted, and nothing moved.)
                let category = rn.or(ro).map(|r| r.category);
                let c_old =
                    category.map(|c| counted(&po.categories, ro.map(|r| r.category).unwrap_or(c))).unwrap_or_default();
                let c_new =
                    category.map(|c| counted(&pn.categories, rn.map(|r| r.category).unwrap_or(c))).unwrap_or_default();
                // Points that moved on an item counted alike by both versions are the item's;
                // counting it differently is the purpose's change (计入).
                let (share, to) = if c_old == c_new {
                    (c_old * delta, credit)
                } else {
                    (c_new * p_new - c_old * p_old, purpose_change(name).or(credit))
                };
                if share.is_zero() {
                    continue;
                }
                let Some(r) = recon.get_mut(pi) else { continue };
                match to.and_then(|c| changes.get_mut(c)) {
                    Some(t) => {
                        t.touch(k);
                        *t.totals_moved.entry(name.clone()).or_default() += share;
                        r.from_changes += share;
                    }
                    None => {
                        unattributed.touch(k);
                        *unattributed.totals_moved.entry(name.clone()).or_default() += share;
                        r.unattributed += share;
                    }
                }
            }
        }

        // Totals and statuses, purpose by purpose.
        let mut moved_purposes = Vec::new();
        for (pi, name) in purpose_names.iter().enumerate() {
            let (po, pn) = (po_of(name), pn_of(name));
            let key =
                format!("{}->{}", status_key(po.map(|p| p.decision.status)), status_key(pn.map(|p| p.decision.status)));
            let Some(imp) = purposes.get_mut(pi) else { continue };
            *imp.transitions.entry(key).or_default() += 1;
            let (t_old, t_new) = (po.map(|p| p.total), pn.map(|p| p.total));
            if let (Some(a), Some(b)) = (t_old, t_new) {
                let delta = b - a;
                if !delta.is_zero() {
                    imp.total_changed += 1;
                }
                if let Some(d) = deltas.get_mut(pi) {
                    *d.entry(delta.normalize()).or_default() += 1;
                }
                if let (Some(r), Some(po), Some(pn)) = (recon.get_mut(pi), po, pn) {
                    r.total_delta += delta;
                    let floor_old = a - eo.signed_sum(&po.categories);
                    let floor_new = b - en.signed_sum(&pn.categories);
                    r.from_floor += floor_new - floor_old;
                    if !floor_old.is_zero() || !floor_new.is_zero() {
                        r.floor_applicants += 1;
                    }
                }
            }
            let status_moved = po.map(|p| p.decision.status) != pn.map(|p| p.decision.status);
            if status_moved || t_old != t_new {
                let units = purpose_units.iter().find(|u| u.owner == *name);
                // A purpose both versions have has its matched identities; one only a version
                // has, that version's own (they were blank before: no unit to take them from).
                let ids = |new_side: bool| match units {
                    Some(u) if new_side => u.ids_new.clone(),
                    Some(u) => u.ids_old.clone(),
                    None => own_identities(if new_side { new } else { old }, name, false),
                };
                moved_purposes.push(MovedOutcome {
                    name: name.clone(),
                    old: Side {
                        status: status_key(po.map(|p| p.decision.status)),
                        total: t_old,
                        decided: decided(old, po.map(|p| &*p.decision), &ids(false)),
                    },
                    new: Side {
                        status: status_key(pn.map(|p| p.decision.status)),
                        total: t_new,
                        decided: decided(new, pn.map(|p| &*p.decision), &ids(true)),
                    },
                });
            }
        }
        let mut moved_routes = Vec::new();
        for (ri, rid) in route_ids.iter().enumerate() {
            let ro = eo.routes.iter().find(|r| r.id == *rid);
            let rn = en.routes.iter().find(|r| r.id == *rid);
            let (so, sn) = (ro.map(|r| r.decision.status), rn.map(|r| r.decision.status));
            if let Some(imp) = routes.get_mut(ri) {
                *imp.transitions.entry(format!("{}->{}", status_key(so), status_key(sn))).or_default() += 1;
            }
            if so != sn {
                // A route that copies a purpose is decided by the purpose's clauses; any other by
                // its own.
                let copies = rn.or(ro).and_then(|r| r.same_as.clone());
                let is_route = copies.is_none();
                let owner = copies.unwrap_or_else(|| rid.clone());
                let units = route_units.iter().chain(&purpose_units).find(|u| u.owner == owner);
                // As for purposes: the matched identities, or the one version's own.
                let ids = |new_side: bool| match units {
                    Some(u) if new_side => u.ids_new.clone(),
                    Some(u) => u.ids_old.clone(),
                    None => own_identities(if new_side { new } else { old }, &owner, is_route),
                };
                moved_routes.push(MovedOutcome {
                    name: rid.clone(),
                    old: Side {
                        status: status_key(so),
                        total: None,
                        decided: decided(old, ro.map(|r| &*r.decision), &ids(false)),
                    },
                    new: Side {
                        status: status_key(sn),
                        total: None,
                        decided: decided(new, rn.map(|r| &*r.decision), &ids(true)),
                    },
                });
            }
        }

        // Clause decisions: a clause decided both times and differently, or one added or removed
        // that fails someone.
        let decisions = purpose_units
            .iter()
            .map(|u| (u, po_of(&u.owner).map(|p| &*p.decision), pn_of(&u.owner).map(|p| &*p.decision)))
            .chain(route_units.iter().map(|u| (u, route_decision(&eo, &u.owner), route_decision(&en, &u.owner))));
        for (u, d_old, d_new) in decisions {
            let status_moved = d_old.map(|d| d.status) != d_new.map(|d| d.status);
            for (m, unit) in &u.clauses {
                let (o, n) = (outcome_of(d_old, m.old), outcome_of(d_new, m.new));
                let fails = |x: Option<Outcome>| matches!(x, Some(Outcome::Fails | Outcome::Undecided));
                let differs = match (m.old, m.new) {
                    (Some(_), Some(_)) => o.is_some() && n.is_some() && o != n,
                    (None, Some(_)) => fails(n),
                    (Some(_), None) => fails(o),
                    (None, None) => false,
                };
                if !differs {
                    continue;
                }
                let mut credits = unit.credits.clone();
                if credits.is_empty() && unit.reads_total {
                    // A test of the total moves with the points that moved it.
                    credits = moved_by.clone();
                    credits.extend(purpose_change(&u.owner));
                    credits.sort_unstable();
                    credits.dedup();
                }
                let own = att.change(Subject::Clause, &unit.label);
                let example = || Example {
                    applicant: id.clone(),
                    unit: unit.label.clone(),
                    old: ExampleSide {
                        value: outcome_word(m.old.is_some(), o).into(),
                        steps: reason_of(old, d_old, m.old),
                    },
                    new: ExampleSide {
                        value: outcome_word(m.new.is_some(), n).into(),
                        steps: reason_of(new, d_new, m.new),
                    },
                };
                let weight = if status_moved { Decimal::ONE } else { Decimal::ZERO };
                if credits.is_empty() {
                    unattributed.decided_for(k);
                    if status_moved {
                        unattributed.status_moved_for(k);
                    }
                    unattributed.via(&unit.label, false);
                    unattributed.offer(weight, example);
                    continue;
                }
                for c in credits {
                    if let Some(t) = changes.get_mut(c) {
                        t.decided_for(k);
                        if status_moved {
                            t.status_moved_for(k);
                        }
                        t.via(&unit.label, own == Some(c));
                        t.offer(weight, example);
                    }
                }
            }
        }
        if !moved_purposes.is_empty() || !moved_routes.is_empty() {
            moved_count += 1;
            let mut m = Moved {
                applicant: id,
                label: a_new.label.clone(),
                line,
                purposes: moved_purposes,
                routes: moved_routes,
                records: None,
            };
            normalize_totals(&mut m);
            match keep {
                Keep::All => all_moved.push(m),
                Keep::Largest(n) => {
                    let new_firsts: Vec<String> =
                        m.status_changes().filter(|p| !firsts.iter().any(|f| f == p)).map(str::to_string).collect();
                    let first = !new_firsts.is_empty();
                    firsts.extend(new_firsts);
                    m.records = Some(Box::new((a_old, a_new)));
                    moved.push(m);
                    pinned.push(first);
                    // Drop the smallest movement that is not pinned, beyond n (the earliest line wins ties).
                    if pinned.iter().filter(|p| !**p).count() > n {
                        let smallest = moved
                            .iter()
                            .zip(&pinned)
                            .enumerate()
                            .filter(|(_, (_, p))| !**p)
                            .min_by(|(_, (a, _)), (_, (b, _))| {
                                a.largest_delta().cmp(&b.largest_delta()).then(b.line.cmp(&a.line))
                            })
                            .map(|(i, _)| i);
                        if let Some(i) = smallest {
                            moved.remove(i);
                            pinned.remove(i);
                        }
                    }
                }
            }
        }
    }
    for (imp, d) in purposes.iter_mut().zip(&deltas) {
        imp.total_delta = stats(d);
    }
    // Decimals in canonical form (`43`, not `43.0`), as the JSON contract writes them.
    for c in changes.iter_mut().chain(std::iter::once(&mut unattributed)) {
        c.points_moved = c.points_moved.normalize();
        c.totals_moved.values_mut().for_each(|v| *v = v.normalize());
    }
    for r in recon.iter_mut() {
        for v in [&mut r.total_delta, &mut r.from_changes, &mut r.from_floor, &mut r.unattributed] {
            *v = v.normalize();
        }
    }
    Impact {
        records: count,
        moved: moved_count,
        outside_old,
        outside_new,
        evaluated,
        invalid,
        purposes,
        routes,
        applicants: match keep {
            Keep::All => all_moved,
            Keep::Largest(_) => Spilled::in_memory(moved),
        },
        changes,
        unattributed,
        reconciliation: recon,
    }
}

/// Decimals in canonical form (`43`, not `43.0`), as the JSON contract writes them.
fn normalize_totals(m: &mut Moved) {
    for o in m.purposes.iter_mut() {
        o.old.total = o.old.total.map(|t| t.normalize());
        o.new.total = o.new.total.map(|t| t.normalize());
    }
}

/// Min, max, mean (two decimals) and a histogram of movements counted by value.
fn stats(d: &BTreeMap<Decimal, usize>) -> DeltaStats {
    let (Some(min), Some(max)) = (d.keys().next().copied(), d.keys().next_back().copied()) else {
        return DeltaStats::default();
    };
    let sum: Decimal = d.iter().fold(Decimal::ZERO, |a, (x, n)| a.saturating_add(x.saturating_mul(Decimal::from(*n))));
    let n = Decimal::from(d.values().sum::<usize>());
    let mean = (sum / n).round_dp(2);
    let reach = min.abs().max(max.abs());
    // A width from 1, 2, 5 × 10ⁿ that gives at most ten bins on either side of zero.
    let mut width = Decimal::ONE;
    'outer: for power in 0..12u32 {
        for m in [1u32, 2, 5] {
            let w = Decimal::from(m) * Decimal::from(10u64.pow(power));
            if reach <= w * Decimal::from(10) {
                width = w;
                break 'outer;
            }
        }
    }
    let mut histogram = Vec::new();
    // Below zero: [−(i+1)w, −iw), from the lowest bin up.
    let below = ((-min) / width).ceil();
    let mut i = below;
    while i > Decimal::ZERO {
        let (from, to) = (-(i * width), -((i - Decimal::ONE) * width));
        let count = d.range(from..to).map(|(_, n)| n).sum();
        histogram.push(Bin { from, to, count });
        i -= Decimal::ONE;
    }
    // No applicant whose total stayed put: the zero bin counts none.
    histogram.push(Bin { from: Decimal::ZERO, to: Decimal::ZERO, count: d.get(&Decimal::ZERO).copied().unwrap_or(0) });
    let above = (max / width).ceil();
    let mut i = Decimal::ZERO;
    while i < above {
        let (from, to) = (i * width, (i + Decimal::ONE) * width);
        let count = d.range((std::ops::Bound::Excluded(from), std::ops::Bound::Included(to))).map(|(_, n)| n).sum();
        histogram.push(Bin { from, to, count });
        i += Decimal::ONE;
    }
    for b in histogram.iter_mut() {
        b.from = b.from.normalize();
        b.to = b.to.normalize();
    }
    DeltaStats { min: min.normalize(), max: max.normalize(), mean: mean.normalize(), sum: sum.normalize(), histogram }
}
