//! Deciding purposes and routes: scope (适用) first, then windows (期间), then conditions (条件),
//! in three-valued logic — ineligible when a condition fails, error when none fails but one cannot
//! be decided, eligible when all hold. Every failed or undecidable condition is a reason.

use super::trace::{describe, Fact, Step};
use super::value::Value;
use super::{EvalError, Evaluation, Interp, R};
use crate::diag::Msg;
use crate::ir::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

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
/// A failed clause keeps the values its message's holes took, not the message: the words are
/// rendered by an output that shows them (`Reason::message`, in `report/`), never while deciding.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub cite: Arc<str>,
    pub(crate) message: Message,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Message {
    /// Words that are already whole: an undecidable condition's, a warning's.
    Text(Arc<str>),
    /// A clause's 不符合 message: the clause, and the values of the message's holes in order.
    Filled { owner: Owner, clause: u32, values: Vec<Value> },
    /// A clause whose message gave no text: `不满足：` and the test as written.
    Unworded { owner: Owner, clause: u32 },
}

/// The purpose or route (its index in the policy) whose clauses are being decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Purpose(u32),
    Route(u32),
}

impl Reason {
    /// A reason in words already whole.
    pub fn worded(cite: impl Into<Arc<str>>, message: impl Into<Arc<str>>) -> Reason {
        Reason { cite: cite.into(), message: Message::Text(message.into()) }
    }
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
    /// Recorded only when tracing (Mode::Explain); scoring leaves it out.
    pub trace: Option<Box<ClauseTrace>>,
    pub reason: Option<Reason>,
}

impl ClauseResult {
    /// The clause's trace; empty for a clause that was scored, not traced.
    pub fn shown(&self) -> &ClauseTrace {
        // A clause scored without tracing read nothing that could be shown: its trace is empty.
        static UNTRACED: ClauseTrace = ClauseTrace {
            test: String::new(),
            facts: Vec::new(),
            steps: Vec::new(),
            description: None,
            vacuous: false,
            sides: None,
        };
        self.trace.as_deref().unwrap_or(&UNTRACED)
    }
}

/// What `explain` shows of a clause: the test as written, the applicant's facts it read and the
/// steps it took.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClauseTrace {
    pub test: String,
    pub facts: Vec<Fact>,
    /// Look-ups and date arithmetic the test did (`表[键] = 2023-06-30`).
    pub steps: Vec<Step>,
    /// The values of the clause's 说明 holes, in order (`report/` puts the words together).
    pub description: Option<Vec<Value>>,
    /// The test held only because there was nothing to check: `若有 x = …` found no value and
    /// its 否则 branch gave 真.
    pub vacuous: bool,
    /// A comparison's two sides (`社保连续月数 满 24个月`: 7个月 and 24个月), with their type, so an
    /// explanation can say how far apart they are.
    pub sides: Option<(Value, Value, Type)>,
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
    pub decision: Arc<Decision>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteResult {
    pub id: String,
    /// The purpose whose decision the route repeats (and shares), if it does.
    pub same_as: Option<String>,
    pub decision: Arc<Decision>,
}

pub(crate) fn purposes(it: &mut Interp, eval: &Evaluation) -> R<Vec<PurposeResult>> {
    let policy = it.policy;
    policy.purposes.iter().enumerate().map(|(i, p)| purpose(it, eval, i, p)).collect()
}

pub(crate) fn purpose(it: &mut Interp, eval: &Evaluation, index: usize, p: &PurposeDef) -> R<PurposeResult> {
    let total = eval.total_of(&p.categories);
    it.reset(p.locals, Some(total));
    // Purposes are declarations, and the checker refuses a policy with more declarations than a
    // u32 numbers: the index always fits.
    let owner = Owner::Purpose(u32::try_from(index).unwrap_or(u32::MAX));
    let decision = Arc::new(decide(it, it.policy, owner, &p.clauses)?);
    Ok(PurposeResult { name: p.name.clone(), categories: p.categories.clone(), total, decision })
}

pub(crate) fn routes(it: &mut Interp, eval: &Evaluation) -> R<Vec<RouteResult>> {
    let policy = it.policy;
    policy
        .routes
        .iter()
        .enumerate()
        .map(|(i, r)| match &r.body {
            RouteBody::SameAs(i) => {
                // Every purpose is decided before the routes, in the policy's order, so the purpose
                // a route repeats is there; without it the route would be an error with no reason.
                // (u32 → usize widens losslessly: lib.rs.)
                let purpose = eval.purposes.get(*i as usize).ok_or_else(|| EvalError {
                    message: Msg::new(
                        format!("内部错误（途径 [{}] 所同的用途未判定），请报告此问题", r.id),
                        format!(
                            "internal error (the purpose route [{}] repeats was not decided); please report it",
                            r.id
                        ),
                    ),
                    node: None,
                    undecidable: false,
                    internal: true,
                })?;
                let decision = Arc::clone(&purpose.decision);
                Ok(RouteResult { id: r.id.clone(), same_as: Some(purpose.name.clone()), decision })
            }
            RouteBody::Clauses { clauses, locals } => {
                it.reset(*locals, None);
                // Routes are declarations: the index fits, as a purpose's does.
                let owner = Owner::Route(u32::try_from(i).unwrap_or(u32::MAX));
                Ok(RouteResult {
                    id: r.id.clone(),
                    same_as: None,
                    decision: Arc::new(decide(it, policy, owner, clauses)?),
                })
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
    // A stated period always has its start (the grammar's 施行 begins with one), and the end is
    // shown only when there is one: no day below is ever blank.
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
    vec![Reason::worded(
        // The policy's 依据 is optional: a period stated without one is cited by nothing.
        policy.effective_cite.as_ref().map(|c| c.to_string()).unwrap_or_default(),
        // A policy that words no warning (or whose words give no text here) gets the plain one:
        // the warning itself is never dropped, and it says only what is so.
        worded.unwrap_or_else(|| {
            format!("评估日{}不在本政策施行期（{}）内，仍按该版本评估，仅供比对", as_of.format("%Y-%m-%d"), period)
        }),
    )]
}

pub(crate) fn decide(it: &mut Interp, policy: &Policy, owner: Owner, clauses: &[ClauseDef]) -> R<Decision> {
    let mut results = Vec::with_capacity(clauses.len());
    // Scope, then window: a phase that fails decides alone, with exactly one reason; one that
    // cannot be decided (and has no failure) is an error.
    for (kind, status) in [(ClauseKind::Applies, Status::NotApplicable), (ClauseKind::Window, Status::Closed)] {
        let mut failed = None;
        let mut undecided = Vec::new();
        for (index, c) in clauses.iter().enumerate().filter(|(_, c)| c.kind == kind) {
            let r = clause(it, policy, owner, c, index)?;
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
        let r = clause(it, policy, owner, c, index)?;
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

fn clause(it: &mut Interp, policy: &Policy, owner: Owner, c: &ClauseDef, index: usize) -> R<ClauseResult> {
    // Drop what earlier clauses (and their messages) read, so this clause shows only its own facts.
    it.take_facts();
    it.take_steps();
    let tested = it.eval(&c.test);
    let trace = if it.tracing {
        let (facts, steps) = (it.take_facts(), it.take_steps());
        // Read only to explain, after the test: what they read is dropped, and a part that cannot
        // be evaluated is left out, never guessed.
        let description = c.description.as_ref().and_then(|d| it.message_values(d).ok().flatten());
        let vacuous = matches!(tested, Ok(Value::Bool(true)))
            && matches!(&c.test.kind, ExprKind::IfLet { value, .. } if matches!(it.eval(value), Ok(Value::Absent)));
        let sides = match compared(&c.test) {
            Some((_, a, b)) if !vacuous => match (it.eval(a), it.eval(b)) {
                (Ok(x), Ok(y)) => Some((x, y, a.ty.clone())),
                _ => None,
            },
            _ => None,
        };
        it.take_facts();
        it.take_steps();
        Some(Box::new(ClauseTrace { test: describe(&c.test, policy), facts, steps, description, vacuous, sides }))
    } else {
        None
    };
    let cite = || Arc::from(c.cite.text());
    let (outcome, reason) = match tested {
        Ok(Value::Bool(true)) => (Outcome::Holds, None),
        Ok(_) => {
            // A purpose's or route's clauses are its own and its groups' (沿用), each written in a
            // declaration of at most MAX_DECLARATION_TOKENS tokens: far fewer than u32::MAX.
            let clause = u32::try_from(index).unwrap_or(u32::MAX);
            let message = match it.message_values(&c.message) {
                Ok(Some(values)) => Message::Filled { owner, clause, values },
                _ => Message::Unworded { owner, clause },
            };
            (Outcome::Fails, Some(Reason { cite: cite(), message }))
        }
        Err(EvalError { undecidable: true, message, .. }) => {
            (Outcome::Undecided, Some(Reason { cite: cite(), message: Message::Text(message.zh.into()) }))
        }
        Err(e) => return Err(e),
    };
    Ok(ClauseResult { index, kind: c.kind, outcome, trace, reason })
}

/// The comparison a clause's test makes, looking through `若有 x = … 则 <comparison>`: its
/// operator and sides. (After the test, a 若有 that found a value has it bound, so the sides can
/// be read again.)
pub fn compared(test: &Expr) -> Option<(CmpOp, &Expr, &Expr)> {
    match &test.kind {
        ExprKind::Compare(op, a, b) => Some((*op, a, b)),
        ExprKind::IfLet { then, .. } => compared(then),
        _ => None,
    }
}
