//! Snapshots of `explain` for public applicants: each fixture `tests/explain/<id>.json` sits next
//! to its snapshot.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::eval::evaluate;
use jifen::report::explain::{explain, ExplainOptions};

fn explain_fixture(id: &str, source: bool) -> String {
    let (loaded, compiled) = common::policy_2020();
    let text = common::read(&common::root().join(format!("tests/explain/{id}.json")));
    let a = jifen::data::read_record(&compiled.policy, &text).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    explain(compiled, &loaded.sources, &a, &eval, ExplainOptions { source })
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "explain", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, common::unhashed(&text));
    });
}

#[test]
fn sample_applicant_a0001() {
    snapshot("A0001", explain_fixture("A0001", false));
}

#[test]
fn born_on_29_february_without_residence_permit() {
    snapshot("S1-0001", explain_fixture("S1-0001", false));
}

#[test]
fn two_criminal_penalties_and_an_age_outside_every_bracket() {
    snapshot("S1-0016", explain_fixture("S1-0016", false));
}

#[test]
fn overlapping_hardship_records_count_each_day_once() {
    snapshot("S1-0021", explain_fixture("S1-0021", false));
}

#[test]
fn with_source_lines() {
    let text = explain_fixture("A0001", true);
    assert!(text.contains("└─ 计分标准.jf:"), "{text}");
    snapshot("A0001.source", text);
}

#[test]
fn transition_routes_closed_after_the_district_s_window() {
    let text = explain_fixture("S1-0006", false);
    assert!(text.contains("不受理"), "{text}");
    snapshot("S1-0006", text);
}

#[test]
fn an_unpublished_year_is_undecidable_and_evaluating_early_warns() {
    let text = explain_fixture("S1-0014", false);
    assert!(text.contains("无法判定"), "{text}");
    assert!(text.contains("⚠"), "{text}");
    snapshot("S1-0014", text);
}
