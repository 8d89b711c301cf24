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
    pub kind: ClauseKind,
    pub outcome: Outcome,
    /// The test as written, with the applicant's facts it read.
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

pub fn purposes(policy: &Policy, applicant: &Value, eval: &Evaluation) -> R<Vec<PurposeResult>> {
    policy
        .purposes
        .iter()
        .map(|p| {
            let total = eval.total_of(&p.categories);
            let mut it = Interp::new(policy, applicant, eval.as_of, p.locals, Some(total));
            let decision = decide(&mut it, policy, &p.clauses)?;
            Ok(PurposeResult { name: p.name.clone(), categories: p.categories.clone(), total, decision })
        })
        .collect()
}

pub fn routes(policy: &Policy, applicant: &Value, eval: &Evaluation) -> R<Vec<RouteResult>> {
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
                let mut it = Interp::new(policy, applicant, eval.as_of, *locals, None);
                Ok(RouteResult { id: r.id.clone(), same_as: None, decision: decide(&mut it, policy, clauses)? })
            }
        })
        .collect()
}

/// The policy's effective period: outside it the evaluation stands, with a warning.
pub fn warnings(policy: &Policy, as_of: NaiveDate) -> Vec<Reason> {
    let before = policy.effective_from.is_some_and(|f| as_of < f);
    let after = policy.effective_to.is_some_and(|t| as_of > t);
    if !before && !after {
        return Vec::new();
    }
    let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    // A version named by its year reads 「2020年版」.
    let version = if policy.version.chars().all(|c| c.is_ascii_digit()) {
        format!("{}年版", policy.version)
    } else {
        format!("版本 {}", policy.version)
    };
    let period = match policy.effective_to {
        Some(_) => format!("{}至{}", day(policy.effective_from), day(policy.effective_to)),
        None => format!("{}起", day(policy.effective_from)),
    };
    vec![Reason {
        cite: policy.effective_cite.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        message: format!(
            "评估日{}不在{}施行期（{}）内，仍按该版本评估，仅供比对",
            as_of.format("%Y-%m-%d"),
            version,
            period
        ),
    }]
}

fn decide(it: &mut Interp, policy: &Policy, clauses: &[ClauseDef]) -> R<Decision> {
    let mut results = Vec::new();
    for (kind, status) in [(ClauseKind::Applies, Status::NotApplicable), (ClauseKind::Window, Status::Closed)] {
        for c in clauses.iter().filter(|c| c.kind == kind) {
            let r = clause(it, policy, c)?;
            let outcome = r.outcome;
            let reason = r.reason.clone();
            results.push(r);
            match (outcome, reason) {
                (Outcome::Holds, _) => {}
                (Outcome::Fails, Some(reason)) => {
                    return Ok(Decision { status, reasons: vec![reason], clauses: results });
                }
                (_, reason) => {
                    return Ok(Decision {
                        status: Status::Error,
                        reasons: reason.into_iter().collect(),
                        clauses: results,
                    });
                }
            }
        }
    }
    let mut failed = false;
    let mut undecided = false;
    let mut reasons = Vec::new();
    for c in clauses.iter().filter(|c| c.kind == ClauseKind::Condition) {
        let r = clause(it, policy, c)?;
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

fn clause(it: &mut Interp, policy: &Policy, c: &ClauseDef) -> R<ClauseResult> {
    it.take_facts();
    it.take_steps();
    let tested = it.eval(&c.test);
    let facts = it.take_facts();
    let steps = it.take_steps();
    let test = describe(&c.test, policy);
    let cite = c.cite.to_string();
    let (outcome, reason) = match tested {
        Ok(Value::Bool(true)) => (Outcome::Holds, None),
        Ok(_) => {
            let message = match it.eval(&c.message) {
                Ok(Value::Text(t)) => t.to_string(),
                _ => format!("不满足：{test}"),
            };
            (Outcome::Fails, Some(Reason { cite, message }))
        }
        Err(EvalError { undecidable: true, message, .. }) => {
            (Outcome::Undecided, Some(Reason { cite, message: message.zh }))
        }
        Err(e) => return Err(e),
    };
    it.take_facts();
    it.take_steps();
    Ok(ClauseResult { kind: c.kind, outcome, test, facts, steps, reason })
}
