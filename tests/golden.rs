//! Golden JSON: the public applicants under the 2020 policy, exactly as computed from the reference
//! texts (`tests/golden/public-expected-2020.jsonl`, a copy of the shared public cases): scores,
//! purposes, routes, reasons with their messages, and warnings.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::data::read_jsonl;
use jifen::eval::evaluate;
use jifen::report::json;
use serde_json::Value;

#[test]
fn public_applicants_evaluate_exactly_as_the_reference_texts_say() {
    let (_, compiled) = common::policy_2020();
    let input = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let expected = common::read(&common::root().join("tests/golden/public-expected-2020.jsonl"));
    let records = read_jsonl(&compiled.policy, &input);
    let expected: Vec<Value> = expected.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(records.len(), expected.len());
    assert!(records.len() >= 25);
    for ((_, read), want) in records.into_iter().zip(expected) {
        let applicant = read.unwrap_or_else(|e| panic!("{e:?}"));
        let eval = evaluate(&compiled.policy, &applicant.value, applicant.as_of).unwrap_or_else(|e| panic!("{e:?}"));
        let got = json::evaluation(&compiled.policy, &applicant, &eval);
        for key in ["policy", "applicant", "as_of", "score", "purposes", "routes", "warnings"] {
            assert_eq!(got.get(key), want.get(key), "{} differs for {}", key, applicant.id);
        }
        assert_eq!(got, want, "{}", applicant.id);
    }
}

#[test]
fn decimals_are_canonical_strings() {
    let (_, compiled) = common::policy_2020();
    let line = r#"{"编号": "D1", "申请日期": "2021-05-10", "出生日期": "1990-05-12", "持有居住证": true, "居住地": "姑苏区", "学历": "本科", "社保累计月数": 1, "社保连续月数": 1, "投资纳税": {"金额": "100000.00", "所在地": "姑苏区"}}"#;
    let a = jifen::data::read_record(&compiled.policy, line).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    let got = json::evaluation(&compiled.policy, &a, &eval);
    let points = |id: &str| {
        got["score"]["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["id"] == id))
            .map(|i| i["points"].clone())
    };
    assert_eq!(points("社会保险"), Some(Value::from("0.5")));
    assert_eq!(points("投资纳税"), Some(Value::from("2")));
    assert_eq!(got["score"]["base"], Value::from("100.5"));
}

#[test]
fn a_deduction_larger_than_the_points_floors_the_total_at_zero() {
    let (_, compiled) = common::policy_2020();
    let line = r#"{"编号": "D2", "申请日期": "2021-05-10", "出生日期": "1960-05-12", "持有居住证": false, "居住地": "姑苏区", "学历": "初中及以下", "社保累计月数": 0, "社保连续月数": 0, "违法记录": [{"类型": "刑事处罚", "日期": "2020-01-01"}]}"#;
    let a = jifen::data::read_record(&compiled.policy, line).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(eval.deduction, rust_decimal::Decimal::from(100));
    use jifen::ir::Category::{Base, Bonus, Deduction};
    assert_eq!(eval.total_of(&[Base, Bonus, Deduction]), rust_decimal::Decimal::ZERO);
    assert_eq!(eval.total_of(&[Base, Bonus]), rust_decimal::Decimal::from(5));
    let settle = eval.purposes.iter().find(|p| p.name == "积分落户").map(|p| p.total);
    assert_eq!(settle, Some(rust_decimal::Decimal::ZERO));
}
