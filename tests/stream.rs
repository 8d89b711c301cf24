//! The streaming batch path (`eval --format jsonl` over JSON Lines): on several threads and across
//! block boundaries, exactly one output line per input line, in order, each the same answer the
//! record gets on its own — broken records answered in their place.

#![allow(clippy::panic, clippy::indexing_slicing)] // tests fail by panicking

mod common;

use jifen::batch::stream::{eval_jsonl, Options};
use jifen::data::read_jsonl;
use jifen::eval::evaluate;
use jifen::report::json;
use std::io::{Read, Write};

/// Valid records and every kind of broken one, with a BOM, CRLF line ends and blank lines.
fn mixed() -> String {
    let good: Vec<String> =
        common::read(&common::root().join("tests/golden/public-applicants.jsonl")).lines().map(String::from).collect();
    let edit = |i: usize, from: &str, to: &str| {
        let line = &good[i % good.len()];
        assert!(line.contains(from), "{from} not in record {i}");
        line.replacen(from, to, 1)
    };
    let mut lines = vec![
        format!("\u{feff}{}", good[0]),
        "{\"编号\": \"B1\", 这不是 JSON".to_string(),
        edit(1, "\"出生日期\"", "\"出生日\""),
        edit(2, "\"社保累计月数\"", "\"社保累积月数\""),
        String::new(),
        edit(3, "\"申请日期\": \"", "\"申请日期\": \"2021-02-30x"),
        edit(4, "\"学历\": \"", "\"学历\": \"小学"),
        edit(5, "\"持有居住证\": true", "\"持有居住证\": \"是\""),
        "[1, 2, 3]".to_string(),
        "   ".to_string(),
    ];
    lines.extend(good.iter().skip(1).cloned());
    lines.push(edit(6, "\"社保连续月数\": ", "\"社保连续月数\": -"));
    lines.join("\r\n") + "\r\n"
}

/// Whether an answer is a record's error (not a result whose statuses say `error`).
fn is_error(line: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line).ok().is_some_and(|v| v.get("error").is_some())
}

/// What each line gets when the whole text is read and evaluated at once.
fn expected(text: &str) -> Vec<String> {
    let policy = &common::policy_2020().1.policy;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    read_jsonl(policy, text)
        .into_iter()
        .map(|(line, read)| {
            let result = read.and_then(|a| match evaluate(policy, &a.value, a.as_of) {
                Ok(e) => Ok(json::evaluation(policy, &a, &e)),
                Err(e) => Err(jifen::data::RecordError::new(Some(a.id.clone()), e.message)),
            });
            match result {
                Ok(v) => v.to_string(),
                Err(e) => json::error(&e, Some(line)).to_string(),
            }
        })
        .collect()
}

/// The lines whose id an earlier line had, found one record at a time with the ids themselves.
fn same_ids(text: &str) -> jifen::batch::same_id::Repeats {
    let policy = &common::policy_2020().1.policy;
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut found = Vec::new();
    for (line, read) in read_jsonl(policy, text) {
        let id = match read {
            Ok(a) => Some(a.id),
            Err(e) => e.applicant,
        };
        let Some(id) = id else { continue };
        match first.get(&id) {
            Some(f) => found.push(jifen::batch::same_id::SameId { first: *f, again: line }),
            None => {
                first.insert(id, line);
            }
        }
    }
    jifen::batch::same_id::Repeats { found, unchecked_from: None }
}

#[test]
fn every_line_is_answered_in_its_place_on_any_number_of_threads_and_blocks() {
    let text = mixed();
    let want = expected(&text);
    assert_eq!(want.len(), text.lines().count());
    assert!(want.iter().filter(|l| is_error(l)).count() >= 9, "{want:#?}");
    // The broken copies of records 2 to 7 keep their ids: the good records repeat them later.
    assert!(same_ids(&text).found.len() >= 5, "{:?}", same_ids(&text));
    let policy = &common::policy_2020().1.policy;
    for (jobs, block) in [(1, 4096), (2, 3), (3, 1), (2, 4096)] {
        let mut out = Vec::new();
        let mut reports = 0;
        let (summary, same) =
            eval_jsonl(policy, text.as_bytes(), &mut out, Options { jobs, as_of: None, block }, &mut |_| reports += 1)
                .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(same, same_ids(&text), "jobs {jobs}, block {block}");
        let got: Vec<String> = String::from_utf8_lossy(&out).lines().map(String::from).collect();
        assert_eq!(got, want, "jobs {jobs}, block {block}");
        assert_eq!((summary.records, summary.ok + summary.errors), (want.len(), want.len()));
        assert_eq!(summary.errors, want.iter().filter(|l| is_error(l)).count());
        assert!(reports >= want.len() / block.max(1), "progress after each block");
    }
}

/// jifen with every stream piped.
fn spawn(args: &[&str]) -> std::process::Child {
    common::command(args).spawn().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_command_streams_stdin_reports_a_summary_and_stops_quietly_when_the_reader_goes() {
    let text = mixed();
    let run = |args: &[&str]| {
        let mut child = spawn(args);
        if let Some(mut pipe) = child.stdin.take() {
            let _ = pipe.write_all(text.as_bytes());
        }
        child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
    };
    let o = run(&["eval", "--policy", "policies/suzhou/2020", "--input", "-", "--format", "jsonl", "--jobs", "2"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.lines().collect::<Vec<_>>(), expected(&text));
    assert_eq!(o.status.code(), Some(1), "broken records are data errors");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&format!("{} 条记录", text.lines().count())) && stderr.contains("2 个线程"), "{stderr}");
    let quiet = run(&["eval", "--policy", "policies/suzhou/2020", "--input", "-", "--format", "jsonl", "--quiet"]);
    // Quiet drops the progress and the summary; the data's warnings (ids given twice) stay.
    let said = String::from_utf8_lossy(&quiet.stderr);
    assert!(said.lines().all(|l| l.starts_with("警告：第 ")) && said.lines().count() >= 5, "{said}");

    // A reader that takes one line and leaves (`| head -1`): no panic, no message, status 0.
    let big: String = std::iter::repeat_n(text.clone(), 200).collect();
    let mut child = spawn(&["eval", "--policy", "policies/suzhou/2020", "--input", "-", "--format", "jsonl"]);
    let mut stdin = child.stdin.take().unwrap_or_else(|| panic!("no stdin"));
    let feeder = std::thread::spawn(move || {
        let _ = stdin.write_all(big.as_bytes());
    });
    let mut first = [0u8; 64];
    let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let _ = stdout.read(&mut first);
    drop(stdout);
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    let _ = feeder.join();
    let mut stderr = String::new();
    let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[test]
fn records_read_one_at_a_time_are_the_records_read_all_at_once() {
    let policy = &common::policy_2020().1.policy;
    let text = mixed();
    let whole = read_jsonl(policy, text.strip_prefix('\u{feff}').unwrap_or(&text));
    let streamed: Vec<_> = jifen::data::read_jsonl_stream(policy, text.as_bytes()).collect();
    assert_eq!(format!("{streamed:?}"), format!("{whole:?}"));
    // Not UTF-8: an invalid record in its place, the next line still read.
    let mut bytes = b"\xff\xfe\n".to_vec();
    bytes.extend_from_slice(text.lines().nth(10).unwrap_or("").as_bytes());
    let reads: Vec<_> = jifen::data::read_jsonl_stream(policy, bytes.as_slice()).collect();
    assert_eq!(reads.len(), 2);
    assert!(reads[0].1.is_err() && reads[1].1.is_ok(), "{reads:?}");
}

/// Every command that writes to stdout: a reader already gone ends it quietly, with the status of
/// what it did, and no error about the pipe (`print!` panicked with exit 101 in explain and compile).
#[test]
fn every_command_stops_quietly_when_the_reader_is_gone() {
    let public = "tests/golden/public-applicants.jsonl";
    let quotas = "tests/golden/public-quotas.json";
    for args in [
        vec![
            "rank",
            "--policy",
            "policies/suzhou/2020",
            "--input",
            public,
            "--purpose",
            "积分落户",
            "--quotas",
            quotas,
        ],
        vec!["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", public],
        vec!["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", public, "--format", "json"],
        vec!["explain", "--policy", "policies/suzhou/2020", "--input", public],
        vec!["compile", "policies/suzhou/2020"],
        vec!["eval", "--policy", "policies/suzhou/2020", "--input", public, "--format", "text"],
        vec!["eval", "--policy", "policies/suzhou/2020", "--input", public, "--format", "json"],
        vec!["test", "policies/suzhou/2020"],
        vec!["check", "policies/suzhou/2020", "--format", "json"],
        vec!["explain-code", "E0101"],
    ] {
        let mut child = spawn(&args);
        drop(child.stdout.take());
        drop(child.stdin.take());
        let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
        let mut stderr = String::new();
        let _ = child.stderr.take().map(|mut e| e.read_to_string(&mut stderr));
        assert!(!stderr.contains("Broken pipe") && !stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
    }
}
