//! Applicant records against the 2020 schema (reference README and 解释 D35–D38): every fault of a
//! record named with its field, nothing silently ignored or defaulted that is required.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::data::read_record;

const BASE: &str = r#""编号": "R1", "申请日期": "2021-05-10", "出生日期": "1990-05-12", "持有居住证": true, "居住地": "姑苏区", "学历": "本科", "社保累计月数": 10, "社保连续月数": 10"#;

fn read(extra: &str) -> Result<jifen::data::Applicant, String> {
    let (_, compiled) = common::policy_2020();
    let text = if extra.is_empty() { format!("{{{BASE}}}") } else { format!("{{{BASE}, {extra}}}") };
    read_record(&compiled.policy, &text).map_err(|e| e.message.zh)
}

fn fault(extra: &str) -> String {
    read(extra).err().unwrap_or_else(|| panic!("`{extra}` should be refused"))
}

#[test]
fn the_minimal_record_reads_with_defaults() {
    let a = read("").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.id, "R1");
    assert_eq!(a.as_of.to_string(), "2021-05-10");
}

#[test]
fn unknown_fields_are_named_with_the_closest_declared_one() {
    assert_eq!(fault(r#""社保累积月数": 3"#), "未知字段「社保累积月数」（是不是「社保累计月数」？）");
    // As difflib: 类形 vs 类型 is a ratio of 0.5, under the 0.6 cutoff; 建筑面 vs 建筑面积 is 0.86.
    assert_eq!(fault(r#""住所": {"类形": "其他"}"#), "未知字段「住所.类形」；缺少必填字段「住所.类型」");
    assert_eq!(
        fault(r#""住所": {"类型": "其他", "建筑面": "1"}"#),
        "未知字段「住所.建筑面」（是不是「住所.建筑面积」？）"
    );
    assert_eq!(fault(r#""完全无关": 1"#), "未知字段「完全无关」");
}

#[test]
fn required_fields_present_as_null_are_missing() {
    let (_, compiled) = common::policy_2020();
    let text = format!("{{{}}}", BASE.replace(r#""学历": "本科""#, r#""学历": null"#));
    let err = read_record(&compiled.policy, &text).err().map(|e| e.message.zh);
    assert_eq!(err.as_deref(), Some("缺少必填字段「学历」"));
}

#[test]
fn counts_are_whole_numbers_and_decimals_are_exact() {
    assert!(fault(r#""献血次数": 2.0"#).contains("「献血次数」应为不小于 0 的整数"));
    assert!(fault(r#""献血次数": "2""#).contains("「献血次数」应为不小于 0 的整数"));
    assert!(fault(r#""献血次数": -1"#).contains("「献血次数」"));
    assert!(read(r#""投资纳税": {"金额": 1e5, "所在地": "姑苏区"}"#).is_ok());
    assert!(read(r#""投资纳税": {"金额": "152000.00", "所在地": "姑苏区"}"#).is_ok());
    for bad in [r#""1e5""#, r#"" 5""#, r#""1_000""#, r#""-5""#, r#""+5""#, r#""5.""#] {
        assert!(
            fault(&format!(r#""投资纳税": {{"金额": {bad}, "所在地": "姑苏区"}}"#)).contains("「投资纳税.金额」"),
            "{bad}"
        );
    }
}

#[test]
fn dates_enumerations_and_booleans_are_strict() {
    assert!(fault(r#""结婚日期": "2021-02-29""#).contains("「结婚日期」不是有效日期"));
    assert!(fault(r#""结婚日期": "2021-1-01""#).contains("「结婚日期」不是有效日期"));
    assert!(
        fault(r#""职称": "高级""#).contains("「职称」的值 \"高级\" 不在允许的取值中（无、初级、中级、副高级、正高级）")
    );
    assert!(fault(r#""紧缺人才": 1"#).contains("「紧缺人才」应为true 或 false"));
}

#[test]
fn every_fault_of_a_record_is_reported_at_once() {
    let message = fault(r#""职称": "高级", "结婚日期": "2021-02-29", "从业记录": [{"行业": "护理"}]"#);
    assert_eq!(message.matches('；').count(), 2, "{message}");
    assert!(message.contains("缺少必填字段「从业记录[1].开始日期」"), "{message}");
}

#[test]
fn duplicate_keys_and_blank_lines_are_invalid_records_in_their_place() {
    let (_, compiled) = common::policy_2020();
    let batch = format!("{{{BASE}, \"学历\": \"大专\"}}\n\n{{{BASE}}}\n");
    let reads = jifen::data::read_jsonl(&compiled.policy, &batch);
    assert_eq!(reads.len(), 3);
    assert!(reads[0].1.as_ref().is_err_and(|e| e.message.zh.contains("重复的字段「学历」")));
    assert!(reads[1].1.is_err());
    assert!(reads[2].1.is_ok());
    assert_eq!(reads.iter().map(|(line, _)| *line).collect::<Vec<_>>(), vec![1, 2, 3]);
}

#[test]
fn each_element_of_a_json_array_is_a_record_of_its_own() {
    let (_, compiled) = common::policy_2020();
    let text = format!("[{{\"编号\": \"X1\", \"编号\": \"X2\"}}, {{{BASE}}}, 3]");
    let reads = jifen::data::read_json(&compiled.policy, &text);
    assert_eq!(reads.iter().map(|(n, r)| (*n, r.is_ok())).collect::<Vec<_>>(), vec![(1, false), (2, true), (3, false)]);
    let broken = jifen::data::read_json(&compiled.policy, "[{");
    assert_eq!(broken.len(), 1);
    assert!(broken[0].1.is_err());
}
