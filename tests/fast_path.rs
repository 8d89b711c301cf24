//! Scoring without a trace (the path every batch takes) gives exactly what the explaining path
//! gives: the same statuses, totals, items and reasons, and byte for byte the same contract JSON —
//! on thousands of generated applicants under both versions, on their own dates and on others.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

#[path = "../examples/gen.rs"]
mod gen;

use chrono::NaiveDate;
use jifen::data::{read_record, Applicant};
use jifen::eval::{evaluate, score, Evaluation};
use jifen::ir::Policy;
use jifen::report::json::Encoder;
use serde_json::{json, Value as Json};

/// The explaining evaluation with its trace taken out: what scoring must equal.
fn untraced(mut e: Evaluation) -> Evaluation {
    for item in &mut e.items {
        item.trace = Default::default();
    }
    let decisions = e.purposes.iter_mut().map(|p| &mut p.decision).chain(e.routes.iter_mut().map(|r| &mut r.decision));
    for d in decisions {
        for c in &mut std::sync::Arc::make_mut(d).clauses {
            c.trace = None;
        }
    }
    e
}

/// The contract's object built as a tree, field by field from `reference/README.md`, independently
/// of the encoder: the encoder's bytes must be this tree's compact printing.
fn contract_tree(policy: &Policy, applicant: &Applicant, eval: &Evaluation) -> Json {
    let items: Vec<Json> = eval
        .items
        .iter()
        .map(|r| {
            let item = policy.items.iter().find(|i| i.id == r.id).unwrap_or_else(|| panic!("no item {}", r.id));
            let cites: Vec<String> = item.provenance.cites.iter().map(|c| c.to_string()).collect();
            json!({"id": r.id, "category": r.category.zh(), "points": jifen::ir::words::decimal(r.points), "cites": cites})
        })
        .collect();
    let d = jifen::ir::words::decimal;
    let reasons = |list: &[jifen::eval::decide::Reason]| -> Vec<Json> {
        list.iter().map(|r| json!({"cite": &*r.cite, "message": r.message(policy)})).collect()
    };
    json!({
        "policy": {"name": policy.name, "version": policy.version, "hash": policy.digest.to_string(), "jifen": jifen::VERSION},
        "applicant": applicant.id,
        "as_of": eval.as_of.format("%Y-%m-%d").to_string(),
        "score": {"base": d(eval.base), "bonus": d(eval.bonus), "deduction": d(eval.deduction), "items": items},
        "purposes": Json::Object(eval.purposes.iter().map(|p| {
            (p.name.clone(), json!({"status": p.decision.status, "total": d(p.total), "reasons": reasons(&p.decision.reasons)}))
        }).collect()),
        "routes": Json::Object(eval.routes.iter().map(|r| {
            (r.id.clone(), json!({"status": r.decision.status, "reasons": reasons(&r.decision.reasons)}))
        }).collect()),
        "warnings": reasons(&eval.warnings),
    })
}

fn compare_paths(version: &str, policy: &Policy, records: &[String], dates: &[Option<NaiveDate>]) -> usize {
    let encoder = Encoder::new(policy);
    let mut compared = 0;
    for (i, text) in records.iter().enumerate() {
        let Ok(a) = read_record(policy, text) else { continue };
        for day in dates {
            let day = day.unwrap_or(a.as_of);
            let explained = evaluate(policy, &a.value, day);
            let scored = score(policy, &a.value, day);
            let (explained, scored) = match (explained, scored) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(x), Err(y)) => {
                    assert_eq!(x, y, "{version} record {} on {day}: the errors differ", i + 1);
                    continue;
                }
                (x, y) => panic!("{version} record {} on {day}: {x:?} vs {y:?}", i + 1),
            };
            let tree = contract_tree(policy, &a, &explained).to_string();
            let mut bytes = Vec::new();
            encoder.evaluation(&mut bytes, &a.id, &scored);
            assert_eq!(String::from_utf8_lossy(&bytes), tree, "{version} record {} on {day}: the JSON differs", i + 1);
            assert_eq!(untraced(explained), scored, "{version} record {} on {day}", i + 1);
            compared += 1;
        }
    }
    compared
}

#[test]
fn scoring_equals_explaining_on_generated_and_public_applicants() {
    let mut records: Vec<String> = gen::generate(3000, 2026).collect();
    let public = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    records.extend(public.lines().map(str::to_string));
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    // Their own dates, then days inside and outside acceptance windows and transition periods.
    let dates = [None, day("2021-03-15"), day("2023-06-30"), day("2024-02-29"), day("2030-12-31")];
    for (version, (_, compiled)) in [("2020", common::policy_2020()), ("2015", common::policy_2015())] {
        let n = compare_paths(version, &compiled.policy, &records, &dates);
        assert!(n >= 15_000, "{version}: only {n} evaluations compared");
    }
}

#[test]
fn every_status_is_written_as_serde_writes_it() {
    use jifen::eval::decide::Status;
    for s in [Status::Eligible, Status::Ineligible, Status::Error, Status::NotApplicable, Status::Closed] {
        assert_eq!(serde_json::to_string(&s).unwrap_or_default(), format!("\"{}\"", s.code()));
    }
}

/// A purpose decided before scoring gives the status the full evaluation gives, or nothing at all
/// when a test it evaluates needs the total (积分入医 compares 总分 with the threshold).
#[test]
fn a_status_decided_before_scoring_is_the_full_evaluations() {
    use jifen::eval::status_before_scoring;
    let (_, compiled) = common::policy_2020();
    let policy = &compiled.policy;
    let (mut decided, mut deferred) = (0, 0);
    for text in gen::generate(2000, 99) {
        let Ok(a) = read_record(policy, &text) else { continue };
        let full = score(policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
        for (i, p) in full.purposes.iter().enumerate() {
            match status_before_scoring(policy, &a.value, a.as_of, i) {
                Some(status) => {
                    assert_eq!(status, p.decision.status, "{} of {}", p.name, a.id);
                    decided += 1;
                }
                None => deferred += 1,
            }
        }
    }
    assert!(decided > 3000 && deferred > 0, "decided {decided}, deferred {deferred}");
}
