//! Deciding purposes and routes: scope (适用) first, then windows (期间), then conditions (条件),
//! in three-valued logic — ineligible when a condition fails, error when none fails but one cannot
//! be decided, eligible when all hold. Every failed or undecidable condition is a reason.

use super::trace::{describe, Fact, Step};
use super::value::Value;
use super::{EvalError, Evaluation, Interp, R};
use crate::ir::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Eligible,
    Ineligible,
    Error,
    NotApplicable,
    Closed,
}

impl Status {
    pub fn zh(self) -> &'static str {
        match self {
            Status::Eligible => "符合条件",
            Status::Ineligible => "不符合",
            Status::Error => "无法判定",
            Status::NotApplicable => "不适用",
            Status::Closed => "不受理",
        }
    }

    /// The contract's name for the status (`eligible`, `not_applicable`), as serde writes it.
    pub fn code(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::Ineligible => "ineligible",
            Status::Error => "error",
            Status::NotApplicable => "not_applicable",
            Status::Closed => "closed",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::Ineligible => "ineligible",
            Status::Error => "undecidable",
            Status::NotApplicable => "not applicable",
            Status::Closed => "closed",
        }
    }
}

/// A failed or undecidable condition, or a warning: `{"cite": "办法 第十条", "message": "…"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    pub cite: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Holds,
    Fails,
    Undecided,
}

/// How one clause went, for explanations.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseResult {
    /// The clause's place in its purpose's or route's list (the IR's order).
    pub index: usize,
    pub kind: ClauseKind,
    pub outcome: Outcome,
    /// The test as written, with the applicant's facts it read and the steps it took below: these
    /// three are recorded only when tracing (Mode::Explain), and empty when scoring.
    pub test: String,
    pub facts: Vec<Fact>,
    /// Look-ups and date arithmetic the test did (`表[键] = 2023-06-30`).
    pub steps: Vec<Step>,
    pub reason: Option<Reason>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub status: Status,
    pub reasons: Vec<Reason>,
    pub clauses: Vec<ClauseResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PurposeResult {
    pub name: String,
    pub categories: Vec<Category>,
    pub total: Decimal,
    pub decision: Decision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteResult {
    pub id: String,
    /// The purpose whose decision the route copies, if it does.
    pub same_as: Option<String>,
    pub decision: Decision,
}

pub(crate) fn purposes(it: &mut Interp, eval: &Evaluation) -> R<Vec<PurposeResult>> {
    let policy = it.policy;
    policy.purposes.iter().map(|p| purpose(it, eval, p)).collect()
}

pub(crate) fn purpose(it: &mut Interp, eval: &Evaluation, p: &PurposeDef) -> R<PurposeResult> {
    let total = eval.total_of(&p.categories);
    it.reset(p.locals, Some(total));
    let decision = decide(it, it.policy, &p.clauses)?;
    Ok(PurposeResult { name: p.name.clone(), categories: p.categories.clone(), total, decision })
}

pub(crate) fn routes(it: &mut Interp, eval: &Evaluation) -> R<Vec<RouteResult>> {
    let policy = it.policy;
    policy
        .routes
        .iter()
        .map(|r| match &r.body {
            RouteBody::SameAs(i) => {
                let purpose = eval.purposes.get(*i as usize);
                let decision = purpose.map(|p| p.decision.clone()).unwrap_or(Decision {
                    status: Status::Error,
                    reasons: Vec::new(),
                    clauses: Vec::new(),
                });
                Ok(RouteResult { id: r.id.clone(), same_as: purpose.map(|p| p.name.clone()), decision })
            }
            RouteBody::Clauses { clauses, locals } => {
                it.reset(*locals, None);
                Ok(RouteResult { id: r.id.clone(), same_as: None, decision: decide(it, policy, clauses)? })
            }
        })
        .collect()
}

/// The policy's effective period: outside it the evaluation stands, with a warning in the
/// policy's own words (or a plain one when it has none).
pub fn warnings(policy: &Policy, applicant: &Value, as_of: NaiveDate) -> Vec<Reason> {
    let before = policy.effective_from.is_some_and(|f| as_of < f);
    let after = policy.effective_to.is_some_and(|t| as_of > t);
    if !before && !after {
        return Vec::new();
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let worded = policy.effective_warning.as_ref().and_then(|m| {
        match Interp::new(policy, applicant, as_of, policy.effective_warning_locals, None).eval(m) {
            Ok(Value::Text(t)) => Some(t.to_string()),
            _ => None,
        }
    });
    let period = match policy.effective_to {
        Some(_) => format!("{}至{}", day(policy.effective_from), day(policy.effective_to)),
        None => format!("{}起", day(policy.effective_from)),
    };
    vec![Reason {
        cite: policy.effective_cite.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        message: worded.unwrap_or_else(|| {
            format!("评估日{}不在本政策施行期（{}）内，仍按该版本评估，仅供比对", as_of.format("%Y-%m-%d"), period)
        }),
    }]
}

pub(crate) fn decide(it: &mut Interp, policy: &Policy, clauses: &[ClauseDef]) -> R<Decision> {
    let mut results = Vec::with_capacity(clauses.len());
    // Scope, then window: a phase that fails decides alone, with exactly one reason; one that
    // cannot be decided (and has no failure) is an error.
    for (kind, status) in [(ClauseKind::Applies, Status::NotApplicable), (ClauseKind::Window, Status::Closed)] {
        let mut failed = None;
        let mut undecided = Vec::new();
        for (index, c) in clauses.iter().enumerate().filter(|(_, c)| c.kind == kind) {
            let r = clause(it, policy, c, index)?;
            match r.outcome {
                Outcome::Fails if failed.is_none() => failed = r.reason.clone(),
                Outcome::Undecided => undecided.extend(r.reason.clone()),
                _ => {}
            }
            results.push(r);
        }
        if let Some(reason) = failed {
            return Ok(Decision { status, reasons: vec![reason], clauses: results });
        }
        if !undecided.is_empty() {
            return Ok(Decision { status: Status::Error, reasons: undecided, clauses: results });
        }
    }
    let mut failed = false;
    let mut undecided = false;
    let mut reasons = Vec::new();
    for (index, c) in clauses.iter().enumerate().filter(|(_, c)| c.kind == ClauseKind::Condition) {
        let r = clause(it, policy, c, index)?;
        failed |= r.outcome == Outcome::Fails;
        undecided |= r.outcome == Outcome::Undecided;
        reasons.extend(r.reason.clone());
        results.push(r);
    }
    let status = if failed {
        Status::Ineligible
    } else if undecided {
        Status::Error
    } else {
        Status::Eligible
    };
    Ok(Decision { status, reasons, clauses: results })
}

fn clause(it: &mut Interp, policy: &Policy, c: &ClauseDef, index: usize) -> R<ClauseResult> {
    // Drop what earlier clauses (and their messages) read, so this clause shows only its own facts.
    it.take_facts();
    it.take_steps();
    let tested = it.eval(&c.test);
    let facts = it.take_facts();
    let steps = it.take_steps();
    let test = if it.tracing { describe(&c.test, policy) } else { String::new() };
    let cite = || c.cite.text();
    let (outcome, reason) = match tested {
        Ok(Value::Bool(true)) => (Outcome::Holds, None),
        Ok(_) => {
            let message = match it.eval_text(&c.message) {
                Ok(Some(text)) => text,
                _ => format!("不满足：{}", describe(&c.test, policy)),
            };
            (Outcome::Fails, Some(Reason { cite: cite(), message }))
        }
        Err(EvalError { undecidable: true, message, .. }) => {
            (Outcome::Undecided, Some(Reason { cite: cite(), message: message.zh }))
        }
        Err(e) => return Err(e),
    };
    Ok(ClauseResult { index, kind: c.kind, outcome, test, facts, steps, reason })
}
