//! Running the policy's own tests (测试): each case's facts become an applicant record, read by
//! the same reader as real records, evaluated, and compared with what the test expects. The
//! outcome is data; `report::tests` words it.

use crate::data;
use crate::eval::decide::{Decision, Status};
use crate::eval::{self, Evaluation};
use crate::ir::*;
use rust_decimal::Decimal;
use serde_json::{Map, Value as Json};

/// One difference between what a test expects and what the policy gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Mismatch {
    Status { what: Subject, expected: ExpectedStatus, actual: Status, reasons: Vec<String> },
    Reason { what: Subject, expected: String, actual: Vec<String> },
    Points { what: Subject, expected: Decimal, actual: Decimal },
}

/// What an expectation is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Purpose(u32),
    Route(u32),
    Item(u32),
    Total(u32),
}

/// How one test went.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub index: usize,
    pub mismatches: Vec<Mismatch>,
    /// The record could not be read or evaluated (a fault of the test's facts).
    pub failed_to_run: Option<String>,
    /// The evaluation, for showing what differs.
    pub evaluation: Option<Evaluation>,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty() && self.failed_to_run.is_none()
    }
}

pub fn run_all(policy: &Policy) -> Vec<TestOutcome> {
    policy.tests.iter().enumerate().map(|(i, t)| run(policy, i, t)).collect()
}

fn json_of(v: &TestValue, policy: &Policy) -> Json {
    match v {
        TestValue::Lit(l) => match l {
            Literal::Number(d) => serde_json::from_str(&d.normalize().to_string()).unwrap_or(Json::Null),
            Literal::Bool(b) => Json::Bool(*b),
            Literal::Text(t) => Json::String(t.clone()),
            Literal::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
            Literal::MonthDay(m, d) => Json::String(format!("{m}月{d}日")),
            Literal::Variant(e, i) => Json::String(policy.variant_name(*e, *i).to_string()),
            Literal::EmptyList => Json::Array(Vec::new()),
            Literal::Absent => Json::Null,
        },
        TestValue::Record(fields) => {
            Json::Object(fields.iter().map(|(k, v)| (k.clone(), json_of(v, policy))).collect())
        }
        TestValue::List(items) => Json::Array(items.iter().map(|x| json_of(x, policy)).collect()),
    }
}

/// The record a test describes: its facts, with the identity and the evaluation date filled in
/// when the test leaves them out.
pub fn record_of(policy: &Policy, test: &TestDef) -> Json {
    let mut object: Map<String, Json> = test.facts.iter().map(|(k, v)| (k.clone(), json_of(v, policy))).collect();
    if let Some(def) = policy.applicant_def() {
        let name_of = |i: Option<usize>| i.and_then(|i| def.fields.get(i)).map(|f| f.name.clone());
        if let Some(id) = name_of(def.id_field) {
            object.entry(id).or_insert_with(|| Json::String(test.name.clone()));
        }
        if let (Some(field), Some(day)) = (name_of(def.as_of_field), test.as_of) {
            object.entry(field).or_insert_with(|| Json::String(day.format("%Y-%m-%d").to_string()));
        }
    }
    Json::Object(object)
}

fn run(policy: &Policy, index: usize, test: &TestDef) -> TestOutcome {
    let mut outcome = TestOutcome { index, mismatches: Vec::new(), failed_to_run: None, evaluation: None };
    let record = record_of(policy, test);
    let applicant = match data::read_value(policy, &record) {
        Ok(a) => a,
        Err(e) => {
            outcome.failed_to_run = Some(e.message);
            return outcome;
        }
    };
    let as_of = test.as_of.unwrap_or(applicant.as_of);
    let evaluation = match eval::evaluate(policy, &applicant.value, as_of) {
        Ok(e) => e,
        Err(e) => {
            outcome.failed_to_run = Some(e.message.zh);
            return outcome;
        }
    };
    for expected in &test.expected {
        match expected {
            Expected::Purpose { purpose, status, reason } => {
                if let Some(p) = evaluation.purposes.get(*purpose as usize) {
                    let what = Subject::Purpose(*purpose);
                    compare(&mut outcome.mismatches, policy, what, *status, reason, &p.decision);
                }
            }
            Expected::Route { route, status, reason } => {
                if let Some(r) = evaluation.routes.get(*route as usize) {
                    compare(&mut outcome.mismatches, policy, Subject::Route(*route), *status, reason, &r.decision);
                }
            }
            Expected::Item { item, points } => {
                let actual = evaluation.items.get(*item as usize).map(|i| i.points).unwrap_or_default();
                if actual != *points {
                    outcome.mismatches.push(Mismatch::Points { what: Subject::Item(*item), expected: *points, actual });
                }
            }
            Expected::Total { purpose, points } => {
                let actual = evaluation.purposes.get(*purpose as usize).map(|p| p.total).unwrap_or_default();
                if actual != *points {
                    outcome.mismatches.push(Mismatch::Points {
                        what: Subject::Total(*purpose),
                        expected: *points,
                        actual,
                    });
                }
            }
        }
    }
    outcome.evaluation = Some(evaluation);
    outcome
}

fn matches(expected: ExpectedStatus, actual: Status) -> bool {
    matches!(
        (expected, actual),
        (ExpectedStatus::Eligible, Status::Eligible)
            | (ExpectedStatus::Ineligible, Status::Ineligible)
            | (ExpectedStatus::Undecidable, Status::Error)
            | (ExpectedStatus::NotApplicable, Status::NotApplicable)
            | (ExpectedStatus::Closed, Status::Closed)
    )
}

fn compare(
    out: &mut Vec<Mismatch>,
    policy: &Policy,
    what: Subject,
    status: ExpectedStatus,
    reason: &Option<String>,
    d: &Decision,
) {
    let reasons: Vec<String> = d.reasons.iter().map(|r| r.message(policy).into_owned()).collect();
    if !matches(status, d.status) {
        out.push(Mismatch::Status { what, expected: status, actual: d.status, reasons });
        return;
    }
    if let Some(r) = reason {
        if !reasons.contains(r) {
            out.push(Mismatch::Reason { what, expected: r.clone(), actual: reasons });
        }
    }
}
