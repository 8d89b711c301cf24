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

fn json_of(v: &TestValue, policy: &Policy) -> Result<Json, String> {
    Ok(match v {
        TestValue::Lit(l) => match l {
            // A decimal's text is always a JSON number; if it were not, the fact would have read as
            // null — a fact the test states turned into one it leaves out — so it is a fault.
            Literal::Number(d) => {
                let text = d.normalize().to_string();
                serde_json::from_str(&text)
                    .map_err(|e| format!("内部错误：数「{text}」无法写成 JSON（{e}），请报告此问题"))?
            }
            Literal::Bool(b) => Json::Bool(*b),
            Literal::Text(t) => Json::String(t.clone()),
            Literal::Date(d) => Json::String(d.format("%Y-%m-%d").to_string()),
            Literal::MonthDay(m, d) => Json::String(format!("{m}月{d}日")),
            Literal::Variant(e, i) => Json::String(policy.variant_name(*e, *i).to_string()),
            Literal::EmptyList => Json::Array(Vec::new()),
            Literal::Absent => Json::Null,
        },
        TestValue::Record(fields) => Json::Object(
            fields.iter().map(|(k, v)| Ok((k.clone(), json_of(v, policy)?))).collect::<Result<_, String>>()?,
        ),
        TestValue::List(items) => Json::Array(items.iter().map(|x| json_of(x, policy)).collect::<Result<_, String>>()?),
    })
}

/// The record a test describes: its facts, with the identity and the evaluation date filled in
/// when the test leaves them out.
pub fn record_of(policy: &Policy, test: &TestDef) -> Result<Json, String> {
    let mut object: Map<String, Json> =
        test.facts.iter().map(|(k, v)| Ok((k.clone(), json_of(v, policy)?))).collect::<Result<_, String>>()?;
    if let Some(def) = policy.applicant_def() {
        let name_of = |i: Option<usize>| i.and_then(|i| def.fields.get(i)).map(|f| f.name.clone());
        if let Some(id) = name_of(def.id_field) {
            object.entry(id).or_insert_with(|| Json::String(test.name.clone()));
        }
        if let (Some(field), Some(day)) = (name_of(def.as_of_field), test.as_of) {
            object.entry(field).or_insert_with(|| Json::String(day.format("%Y-%m-%d").to_string()));
        }
    }
    Ok(Json::Object(object))
}

fn run(policy: &Policy, index: usize, test: &TestDef) -> TestOutcome {
    let mut outcome = TestOutcome { index, mismatches: Vec::new(), failed_to_run: None, evaluation: None };
    let applicant = match record_of(policy, test).and_then(|r| data::read_value(policy, &r).map_err(|e| e.message.zh)) {
        Ok(a) => a,
        Err(message) => {
            outcome.failed_to_run = Some(message);
            return outcome;
        }
    };
    // A test without its own 评估日 is evaluated on the one its record gives.
    let as_of = test.as_of.unwrap_or(applicant.as_of);
    let evaluation = match eval::evaluate(policy, &applicant.value, as_of) {
        Ok(e) => e,
        Err(e) => {
            outcome.failed_to_run = Some(e.message.zh);
            return outcome;
        }
    };
    // The checker resolved every expectation to an index of the policy's own lists, and the
    // evaluation has an entry for each: one it lacks is a fault, and the test fails on it instead
    // of skipping the expectation or comparing with 0 points. (u32 → usize widens losslessly.)
    let absent = |what: &str| format!("内部错误：评估结果中没有测试预期的{what}，请报告此问题");
    for expected in &test.expected {
        match expected {
            Expected::Purpose { purpose, status, reason } => {
                let Some(p) = evaluation.purposes.get(*purpose as usize) else {
                    outcome.failed_to_run.get_or_insert_with(|| absent("用途"));
                    continue;
                };
                let what = Subject::Purpose(*purpose);
                compare(&mut outcome.mismatches, policy, what, *status, reason, &p.decision);
            }
            Expected::Route { route, status, reason } => {
                let Some(r) = evaluation.routes.get(*route as usize) else {
                    outcome.failed_to_run.get_or_insert_with(|| absent("途径"));
                    continue;
                };
                compare(&mut outcome.mismatches, policy, Subject::Route(*route), *status, reason, &r.decision);
            }
            Expected::Item { item, points } => {
                let Some(actual) = evaluation.items.get(*item as usize).map(|i| i.points) else {
                    outcome.failed_to_run.get_or_insert_with(|| absent("分项"));
                    continue;
                };
                if actual != *points {
                    outcome.mismatches.push(Mismatch::Points { what: Subject::Item(*item), expected: *points, actual });
                }
            }
            Expected::Total { purpose, points } => {
                let Some(actual) = evaluation.purposes.get(*purpose as usize).map(|p| p.total) else {
                    outcome.failed_to_run.get_or_insert_with(|| absent("用途总分"));
                    continue;
                };
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
