//! `jifen rank`: the public round reproduced exactly, ties ranked 1, 1, 3 with everyone tied at the
//! last place admitted, an absent key ranked last, quotas checked against the policy, and the
//! records that cannot take part counted, not lost.

#![allow(clippy::panic, clippy::indexing_slicing)] // tests fail by panicking

mod common;

use serde_json::Value;
use std::process::Output;

use common::jifen;

/// Each line's object without the `policy` stamp jifen adds to the reference's rows (the stamp
/// itself is checked in tests/audit_hash.rs).
fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            v.as_object_mut().map(|o| o.remove("policy"));
            v
        })
        .collect()
}

fn rank(purpose: &str, input: &str, stdin: Option<&str>, quotas: &str, format: &str) -> Output {
    jifen(
        &[
            "rank",
            "--policy",
            "policies/suzhou/2020",
            "--input",
            input,
            "--purpose",
            purpose,
            "--quotas",
            quotas,
            "--format",
            format,
        ],
        stdin,
    )
}

#[test]
fn the_public_round_is_ranked_exactly_as_the_reference_says() {
    for purpose in ["积分落户", "积分入学"] {
        let o = rank(purpose, "tests/golden/public-applicants.jsonl", None, "tests/golden/public-quotas.json", "jsonl");
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let expected =
            common::read(&common::root().join(format!("tests/golden/public-expected-rank-{purpose}-2020.jsonl")));
        assert_eq!(lines(&String::from_utf8_lossy(&o.stdout)), lines(&expected), "{purpose}");
        let summary = String::from_utf8_lossy(&o.stderr);
        assert!(summary.contains("25 条记录"), "{summary}");
    }
}

/// The sample applicant A0001 (eligible for 积分落户 on 2021-05-10) under other ids and facts.
fn applicant(id: &str, edits: &[(&str, Value)]) -> String {
    let first = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let mut record: Value = serde_json::from_str(first.lines().next().unwrap_or("")).unwrap_or_default();
    record["编号"] = id.into();
    for (k, v) in edits {
        match v {
            Value::Null => {
                record.as_object_mut().map(|o| o.remove(*k));
            }
            v => record[*k] = v.clone(),
        }
    }
    record.to_string()
}

#[test]
fn ties_share_a_rank_the_next_rank_skips_them_and_ties_at_the_last_place_are_all_admitted() {
    let input = [
        applicant("T3", &[("居住证登记日期", Value::Null)]),
        applicant("T2", &[]),
        applicant("T1", &[]),
        applicant("T0", &[("社保累计月数", 120.into())]),
        applicant("X1", &[("居住地", "吴中区".into())]),
        "{broken".to_string(),
        applicant("N1", &[("持有居住证", false.into())]),
    ]
    .join("\n");
    let quotas = std::env::temp_dir().join(format!("jifen-quotas-{}.json", std::process::id()));
    std::fs::write(&quotas, r#"{"姑苏区": 2}"#).unwrap_or_else(|e| panic!("{e}"));
    let o = rank("积分落户", "-", Some(&input), &quotas.display().to_string(), "jsonl");
    let rows = lines(&String::from_utf8_lossy(&o.stdout));
    let got: Vec<(String, String, u64, bool)> = rows
        .iter()
        .map(|r| {
            (
                r["applicant"].as_str().unwrap_or("").into(),
                r["居住地"].as_str().unwrap_or("").into(),
                r["rank"].as_u64().unwrap_or(0),
                r["admitted"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    let row = |a: &str, d: &str, r: u64, ok: bool| (a.to_string(), d.to_string(), r, ok);
    assert_eq!(
        got,
        vec![
            // More months of social insurance first; two equal ones share rank 2 and both take the
            // last of the two places; a missing registration date ranks after every present one.
            row("T0", "姑苏区", 1, true),
            row("T1", "姑苏区", 2, true),
            row("T2", "姑苏区", 2, true),
            row("T3", "姑苏区", 4, false),
            // A district the quotas leave out has no places.
            row("X1", "吴中区", 1, false),
        ]
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "a record that cannot be read is a data error: {stderr}");
    assert!(stderr.contains("第 6 条记录未参加排序") && stderr.contains("不符合条件 1 人"), "{stderr}");
    let _ = std::fs::remove_file(&quotas);
}

#[test]
fn quotas_naming_no_such_district_and_purposes_without_a_ranking_are_refused() {
    let quotas = std::env::temp_dir().join(format!("jifen-bad-quotas-{}.json", std::process::id()));
    std::fs::write(&quotas, r#"{"姑苏区": 2, "姑苏": 1, "吴中区": -1}"#).unwrap_or_else(|e| panic!("{e}"));
    let o = rank("积分落户", "tests/golden/public-applicants.jsonl", None, &quotas.display().to_string(), "jsonl");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("「姑苏」不是分组的值") && stderr.contains("「吴中区」的指标数 -1 不是非负整数"),
        "{stderr}"
    );
    let _ = std::fs::remove_file(&quotas);
    let o = rank("积分入医", "tests/golden/public-applicants.jsonl", None, "tests/golden/public-quotas.json", "jsonl");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr.contains("没有为用途「积分入医」声明排序") && stderr.contains("积分落户、积分入学"), "{stderr}");
}

#[test]
fn the_round_as_csv_and_as_a_notice() {
    let csv = rank("积分落户", "tests/golden/public-applicants.jsonl", None, "tests/golden/public-quotas.json", "csv");
    let md = rank("积分落户", "tests/golden/public-applicants.jsonl", None, "tests/golden/public-quotas.json", "md");
    insta::assert_snapshot!(
        "rank_public_积分落户",
        common::unhashed(&format!("{}\n{}", String::from_utf8_lossy(&csv.stdout), String::from_utf8_lossy(&md.stdout)))
    );
}

#[path = "../examples/gen.rs"]
mod gen;

/// The parallel pipeline ranks as the one-record-at-a-time path does, whatever the threads and the
/// block size, with broken lines mixed in (counted as faults at their line).
#[test]
fn ranking_on_every_core_equals_ranking_one_record_at_a_time() {
    use jifen::batch::rank::{rank, rank_jsonl};
    use jifen::batch::stream::Options;
    let (_, compiled) = common::policy_2020();
    let policy = &compiled.policy;
    let quotas = common::read(&common::root().join("tests/golden/public-quotas.json"));
    let mut records: Vec<String> = gen::generate(3000, 17).collect();
    for (at, broken) in [(5, "{"), (700, ""), (1500, "{\"编号\": 1}"), (2999, "null")] {
        records.insert(at, broken.to_string());
    }
    let text = records.join("\n") + "\n";
    // A day inside each purpose's acceptance window, so that many are eligible.
    for (purpose, day) in [("积分落户", (2024, 5, 15)), ("积分入学", (2024, 3, 15))] {
        let day = chrono::NaiveDate::from_ymd_opt(day.0, day.1, day.2);
        let one_by_one = rank(policy, purpose, jifen::data::read_jsonl(policy, &text), day, &quotas)
            .unwrap_or_else(|e| panic!("{}", e.message(jifen::Lang::Zh)));
        assert!(one_by_one.rows.len() > 100, "{purpose}: only {} ranked", one_by_one.rows.len());
        assert_eq!(one_by_one.faults.len(), 4);
        for (jobs, block) in [(1, 4096), (2, 100), (3, 777)] {
            let mut opts = Options::new(jobs, day);
            opts.block = block;
            let parallel = rank_jsonl(policy, purpose, text.as_bytes(), &opts, &quotas)
                .unwrap_or_else(|e| panic!("{e:?}"))
                .unwrap_or_else(|e| panic!("{}", e.message(jifen::Lang::Zh)));
            assert_eq!(parallel, one_by_one, "{purpose} on {jobs} threads, blocks of {block}");
        }
    }
}

#[test]
fn an_applicant_sent_twice_is_named_with_both_lines() {
    let first = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let one = first.lines().next().unwrap_or("");
    let twice = format!("{one}\n{}\n{one}\n", first.lines().nth(1).unwrap_or(""));
    let array = format!("[{one},{one}]");
    for (input, line) in [(twice.as_str(), 3), (array.as_str(), 2)] {
        let o = rank("积分落户", "-", Some(input), "tests/golden/public-quotas.json", "jsonl");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(&format!("警告：第 {line} 行的编号与第 1 行相同")), "{stderr}");
    }
}
