//! Golden JSON: the public applicants under the 2020 and the 2015 policies, exactly as computed from
//! the reference texts (`tests/golden/public-expected-*.jsonl`, copies of the shared public cases):
//! scores, purposes, routes, reasons with their messages, and warnings.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::data::read_jsonl;
use jifen::eval::evaluate;
use jifen::report::json;
use serde_json::Value;

#[test]
fn public_applicants_evaluate_exactly_as_the_2020_texts_say() {
    golden(common::policy_2020(), "2020");
}

#[test]
fn public_applicants_evaluate_exactly_as_the_2015_texts_say() {
    golden(common::policy_2015(), "2015");
}

fn golden((_, compiled): &(jifen::Loaded, jifen::ir::Compiled), version: &str) {
    let input = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let expected = common::read(&common::root().join(format!("tests/golden/public-expected-{version}.jsonl")));
    let records = read_jsonl(&compiled.policy, &input);
    let expected: Vec<Value> = expected.lines().filter_map(|l| serde_json::from_str(l).ok()).collect();
    assert_eq!(records.len(), expected.len());
    assert!(records.len() >= 25);
    for ((_, read), want) in records.into_iter().zip(expected) {
        let applicant = read.unwrap_or_else(|e| panic!("{e:?}"));
        let eval = evaluate(&compiled.policy, &applicant.value, applicant.as_of).unwrap_or_else(|e| panic!("{e:?}"));
        let mut got = json::evaluation(&compiled.policy, &applicant, &eval);
        // The reference's contract names the policy; jifen adds which exact policy (its audit
        // hash) and which jifen, and the rest must be the reference's to the byte.
        let stamp = got.get_mut("policy").and_then(Value::as_object_mut).unwrap_or_else(|| panic!("no policy"));
        assert_eq!(stamp.remove("hash"), Some(Value::from(compiled.policy.digest.to_string())));
        assert_eq!(stamp.remove("jifen"), Some(Value::from(jifen::VERSION)));
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

/// 解释 D20: under the 2015 texts a 自有产权住房 without 建筑面积 leaves 合法稳定住所 undecidable,
/// so 积分落户 is `error` when nothing else fails — and the route 积分落户 follows it.
#[test]
fn a_home_of_unknown_area_is_undecidable_under_the_2015_texts() {
    let (_, compiled) = common::policy_2015();
    let line = r#"{"编号": "D20", "申请日期": "2016-07-15", "出生日期": "1986-01-01", "持有居住证": true, "居住地": "姑苏区", "学历": "本科", "社保累计月数": 30, "社保连续月数": 30, "住所": {"类型": "自有产权住房"}}"#;
    let a = jifen::data::read_record(&compiled.policy, line).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    let got = json::evaluation(&compiled.policy, &a, &eval);
    assert_eq!(got["purposes"]["积分落户"]["status"], "error");
    assert_eq!(got["purposes"]["积分落户"]["reasons"][0]["cite"], "积分管理办法 第七条");
    assert_eq!(got["routes"]["积分落户"]["status"], "error");
    // The item itself does not look at the area (解释 D13).
    let home = got["score"]["items"].as_array().and_then(|i| i.iter().find(|x| x["id"] == "合法稳定住所")).cloned();
    assert_eq!(home.map(|h| h["points"].clone()), Some(Value::from("30")));
    // With an area of exactly 60 m², 不低于 holds.
    let line = line.replace(r#"{"类型": "自有产权住房"}"#, r#"{"类型": "自有产权住房", "建筑面积": "60"}"#);
    let a = jifen::data::read_record(&compiled.policy, &line).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(json::evaluation(&compiled.policy, &a, &eval)["purposes"]["积分落户"]["status"], "eligible");
}

/// 解释 D26: the 2015 threshold is 60 from 2015 on; an earlier year has no published value.
#[test]
fn a_year_before_2015_has_no_published_threshold() {
    let (_, compiled) = common::policy_2015();
    let line = r#"{"编号": "D26", "申请日期": "2014-10-08", "出生日期": "1986-01-01", "持有居住证": true, "居住地": "姑苏区", "学历": "本科", "社保累计月数": 30, "社保连续月数": 30, "子女": [{"出生日期": "2012-01-01", "已入托入学": true}]}"#;
    let a = jifen::data::read_record(&compiled.policy, line).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    let got = json::evaluation(&compiled.policy, &a, &eval);
    assert_eq!(got["purposes"]["积分入医"]["status"], "error");
    assert_eq!(got["purposes"]["积分入医"]["reasons"][0]["message"], "2014年度达标积分值未公布");
    assert_eq!(got["warnings"][0]["cite"], "积分管理办法 第十三条");
}
