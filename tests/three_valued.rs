//! Conditions in three-valued logic (reference README, 解释 D07–D08): a false condition makes a
//! purpose ineligible even when another cannot be decided; 且 and 或 are decided by a false
//! (resp. true) side whatever the other; a scope that fails wins over one that is undecidable.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::eval::decide::Status;
use jifen::syntax::span::SourceMap;

const POLICY: &str = r#"
表 年度值：整数 → 分  依据 办法 第五条
  2021 → 10分
  未列出 “{键}年度的值未公布”

用途 假且未知  依据 办法 第五条
  条件 年度值[年份（评估日）] >= 0分 且 假  不符合 “不符合”  依据 办法 第五条

用途 真或未知  依据 办法 第五条
  条件 年度值[年份（评估日）] >= 0分 或 真  不符合 “不符合”  依据 办法 第五条

用途 未知  依据 办法 第五条
  条件 年度值[年份（评估日）] >= 0分  不符合 “不符合”  依据 办法 第五条
  条件 真  不符合 “不符合”  依据 办法 第五条

用途 未知与不符合  依据 办法 第五条
  条件 年度值[年份（评估日）] >= 0分  不符合 “不符合”  依据 办法 第五条
  条件 假  不符合 “明确不符合”  依据 办法 第六条

用途 范围  依据 办法 第五条
  适用 年度值[年份（评估日）] >= 0分  不符合 “范围未知”  依据 办法 第二条
  适用 假  不符合 “不在范围内”  依据 办法 第二条
  条件 假  不符合 “不会列出”  依据 办法 第六条

用途 闰日窗口  依据 办法 第十条
  条件 评估日 介于 2月29日 至 3月1日  不符合 “不在窗口”  依据 办法 第十条

途径 [期间外]  依据 办法 第七条
  期间 假  不符合 “期间已结束”  依据 办法 第七条
  条件 假  不符合 “不会列出”  依据 办法 第七条
"#;

/// The evaluation, with the reasons worded by the policy that decided them.
struct Decided {
    policy: jifen::ir::Policy,
    eval: jifen::eval::Evaluation,
}

fn decide(day: &str) -> Decided {
    let dir = common::root().join("tests/diagnostics");
    let mut sources = SourceMap::default();
    sources.add("_prelude.jf", common::read(&dir.join("_prelude.jf")));
    sources.add("three_valued.jf", POLICY);
    let loaded = jifen::compile(sources);
    let compiled = loaded.compiled.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics.0));
    let record = format!(
        r#"{{"编号": "T1", "申请日期": "{day}", "出生日期": "1990-01-01", "学历": "本科", "社保连续月数": 1}}"#
    );
    let a = jifen::data::read_record(&compiled.policy, &record).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = jifen::eval::evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    Decided { policy: compiled.policy, eval }
}

fn purpose(d: &Decided, name: &str) -> (Status, Vec<String>) {
    let p = d.eval.purposes.iter().find(|p| p.name == name).unwrap_or_else(|| panic!("no {name}"));
    (p.decision.status, p.decision.reasons.iter().map(|r| format!("{} {}", r.cite, r.message(&d.policy))).collect())
}

#[test]
fn false_dominates_unknown_in_and_and_true_in_or() {
    let e = decide("2030-01-01");
    assert_eq!(purpose(&e, "假且未知").0, Status::Ineligible);
    assert_eq!(purpose(&e, "真或未知").0, Status::Eligible);
}

#[test]
fn an_undecidable_condition_is_an_error_with_the_policy_s_reason() {
    let e = decide("2030-01-01");
    assert_eq!(purpose(&e, "未知"), (Status::Error, vec!["办法 第五条 2030年度的值未公布".to_string()]));
    let (status, reasons) = purpose(&e, "未知与不符合");
    assert_eq!(status, Status::Ineligible);
    assert_eq!(reasons, vec!["办法 第五条 2030年度的值未公布".to_string(), "办法 第六条 明确不符合".to_string()]);
    // A published year decides the same conditions.
    let e = decide("2021-06-01");
    assert_eq!(purpose(&e, "未知").0, Status::Eligible);
}

#[test]
fn a_failing_scope_wins_over_an_undecidable_one_and_hides_the_conditions() {
    let e = decide("2030-01-01");
    assert_eq!(purpose(&e, "范围"), (Status::NotApplicable, vec!["办法 第二条 不在范围内".to_string()]));
}

#[test]
fn a_closed_window_carries_exactly_its_own_reason() {
    let e = decide("2030-01-01");
    let r = e.eval.routes.iter().find(|r| r.id == "期间外").unwrap_or_else(|| panic!("no route"));
    assert_eq!(r.decision.status, Status::Closed);
    assert_eq!(r.decision.reasons.len(), 1);
    assert_eq!(r.decision.reasons[0].message(&e.policy), "期间已结束");
}

/// A window that starts on 2月29日 starts on 28 February in a common year (the 29 February rule).
#[test]
fn a_window_from_29_february_opens_on_28_february_in_common_years() {
    assert_eq!(purpose(&decide("2021-02-28"), "闰日窗口").0, Status::Eligible);
    assert_eq!(purpose(&decide("2021-02-27"), "闰日窗口").0, Status::Ineligible);
    assert_eq!(purpose(&decide("2024-02-28"), "闰日窗口").0, Status::Ineligible);
    assert_eq!(purpose(&decide("2024-02-29"), "闰日窗口").0, Status::Eligible);
}
