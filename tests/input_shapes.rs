//! Inputs as users give them: a name that says JSON Lines (`.jsonl`, `.ndjson`) settles the shape;
//! any other input's shape (one object, an array, JSON Lines) is judged from the content; a BOM and
//! CRLF are accepted; stdin takes all three. Whatever the shape, no line goes unanswered.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

use serde_json::Value as Json;

/// `jifen eval` on a file named `name` holding `content` (or on stdin when `name` is `-`), in `format`.
fn eval(name: &str, content: &str, format: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(name);
    let input = if name == "-" {
        "-".to_string()
    } else {
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
        path.display().to_string()
    };
    let args = ["eval", "--policy", "policies/suzhou/2020", "--quiet", "--format", format, "--input", &input];
    let out = common::jifen(&args, (name == "-").then_some(content));
    (out.status.code(), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The applicants answered, in order, whatever the output's layout.
fn answered(output: &str) -> Vec<String> {
    let doc: Result<Json, _> = serde_json::from_str(output);
    let values: Vec<Json> = match doc {
        Ok(Json::Array(items)) => items,
        Ok(one) => vec![one],
        Err(_) => output.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect(),
    };
    values
        .iter()
        .map(|v| match v.get("error") {
            Some(e) => format!("error: {e}"),
            None => v["applicant"].as_str().unwrap_or("?").to_string(),
        })
        .collect()
}

#[test]
fn the_shape_is_judged_from_the_content() {
    let lines = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let first_two: Vec<&str> = lines.lines().take(2).collect();
    let ids = |n: usize| -> Vec<String> {
        lines
            .lines()
            .take(n)
            .map(|l| serde_json::from_str::<Json>(l).map(|v| v["编号"].to_string()))
            .map(|v| v.map(|s| s.trim_matches('"').to_string()).unwrap_or_default())
            .collect()
    };
    let pretty = common::read(&common::root().join("examples/A0001.json"));
    let array = format!("[\n{}\n]\n", first_two.join(",\n"));
    let crlf_bom = format!("\u{feff}{}", first_two.join("\r\n") + "\r\n");
    let cases: Vec<(&str, String, &str, Vec<String>)> = vec![
        ("pretty.json", pretty.clone(), "jsonl", vec!["A0001".into()]),
        ("-", pretty.clone(), "jsonl", vec!["A0001".into()]),
        ("-", format!("\u{feff}{pretty}"), "json", vec!["A0001".into()]),
        ("bom.json", format!("\u{feff}{pretty}"), "json", vec!["A0001".into()]),
        ("batch.ndjson", lines.clone(), "jsonl", ids(25)),
        ("batch.json", lines.clone(), "jsonl", ids(25)),
        ("batch.txt", crlf_bom.clone(), "jsonl", ids(2)),
        ("-", crlf_bom, "json", ids(2)),
        ("array.json", array.clone(), "jsonl", ids(2)),
        ("-", array.clone(), "json", ids(2)),
        ("one.json", format!("{}\n", first_two[0]), "json", ids(1)),
    ];
    for (name, content, format, want) in cases {
        let (status, out) = eval(name, &content, format);
        assert_eq!(status, Some(0), "{name} {format}: {out}");
        assert_eq!(answered(&out), want, "{name} {format}");
    }
    // A single one-line object is one record either way; named as JSON Lines it is answered as a
    // line of a batch (with its line number when it fails), otherwise as one object.
    let (_, out) = eval("one.json", "{\"编号\": \"X\"}\n", "json");
    assert!(out.trim_start().starts_with('{') && !out.contains("\"line\""), "{out}");
    let (_, out) = eval("one.jsonl", "{\"编号\": \"X\"}\n", "json");
    assert!(out.trim_start().starts_with('[') && out.contains("\"line\""), "{out}");
    // A name that says JSON Lines settles the shape: an array in such a file is four lines, each
    // answered in its place (the one complete object among them read as a record).
    let (status, out) = eval("array.jsonl", &array, "jsonl");
    assert_eq!(status, Some(1), "{out}");
    let answers = answered(&out);
    assert_eq!(answers.len(), 4, "{out}");
    assert_eq!(answers[2], ids(2)[1], "{out}");
}

/// The public applicants after a first line cut short, as a record-mutation run made them: 26 lines.
fn cut_first_line() -> String {
    let records = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let text = format!("{{\"编号\": \"X1\", \"申请日期\": \"2021-05-10\",\n{records}");
    assert_eq!(text.lines().count(), 26);
    text
}

/// How many records an output answers, and what it says of line 1: each format counted its way.
fn answers(command: &str, format: &str, out: &std::process::Output) -> (usize, String) {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    match (command, format) {
        ("eval", "jsonl" | "json") => {
            let values = if format == "json" {
                serde_json::from_str::<Vec<Json>>(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
            } else {
                stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
            };
            let first = values.first().map(|v| v["error"].to_string()).unwrap_or_default();
            (values.len(), first)
        }
        // The table: a row per record, its line number in the first column; faults on stderr.
        ("eval", _) => {
            let rows =
                stdout.lines().filter(|l| l.split_whitespace().next().is_some_and(|c| c.parse::<usize>().is_ok()));
            (rows.count(), stderr)
        }
        // An explanation per record on stdout (separated by a rule), and a line on stderr for each
        // record that could not be explained.
        ("explain", _) => {
            let rule = format!("\n{}\n", "─".repeat(60));
            let pages = if stdout.trim().is_empty() { 0 } else { stdout.matches(&rule).count() + 1 };
            let faults = stderr.lines().filter(|l| l.contains("无法读取") || l.contains("无法评估")).count();
            (pages + faults, stderr)
        }
        // The ranking's closing line counts the records it read.
        _ => {
            let count = stderr
                .split("条记录，")
                .next()
                .and_then(|s| s.rsplit('：').next())
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or_else(|| panic!("no count: {stderr}"));
            (count, stderr)
        }
    }
}

/// A JSON Lines batch whose first line is cut short loses nothing: the cut line is an invalid record
/// in its place, worded as a syntax error of line 1, and the 25 records after it are answered — in
/// every format, from a `.jsonl` file, from a file whose name says nothing, and from stdin.
#[test]
fn a_cut_first_line_loses_no_record() {
    let text = cut_first_line();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut inputs = vec!["-".to_string()];
    for name in ["batch.jsonl", "batch.json", "batch"] {
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        inputs.push(path.display().to_string());
    }
    let p = "policies/suzhou/2020";
    let quotas = "tests/golden/public-quotas.json";
    for input in &inputs {
        let runs: [(&str, &str, Vec<&str>); 5] = [
            ("eval", "jsonl", vec!["eval", "--policy", p, "--quiet", "--format", "jsonl", "--input", input]),
            ("eval", "json", vec!["eval", "--policy", p, "--format", "json", "--input", input]),
            ("eval", "text", vec!["eval", "--policy", p, "--input", input]),
            ("explain", "text", vec!["explain", "--policy", p, "--input", input]),
            (
                "rank",
                "jsonl",
                vec!["rank", "--policy", p, "--purpose", "积分落户", "--quotas", quotas, "--input", input],
            ),
        ];
        for (command, format, args) in runs {
            let out = common::jifen(&args, (input == "-").then_some(text.as_str()));
            assert_eq!(
                out.status.code(),
                Some(1),
                "{input} {command} {format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let (count, said) = answers(command, format, &out);
            assert_eq!(count, 26, "{input} {command} {format}: {said}");
            assert!(
                said.contains("第 1 行第 ") && said.contains("JSON 语法错误"),
                "{input} {command} {format}: {said}"
            );
        }
    }
}

/// A line that is not UTF-8 is an invalid record in its place — never read with its bad bytes
/// replaced, which would change a name (or any text) without a word — in eval, rank and diff alike.
#[test]
fn a_line_that_is_not_utf8_is_an_invalid_record_everywhere() {
    let lines = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    let first = lines.lines().next().unwrap_or_else(|| panic!("no record"));
    // A bad byte inside a string value: replaced, the record would still read.
    let mut bad = first.replacen("\"A0001\"", "\"A0001X\"", 1).into_bytes();
    let at = bad.iter().position(|b| *b == b'X').unwrap_or_else(|| panic!("no X"));
    bad[at] = 0xff;
    let mut input = format!("{first}\n").into_bytes();
    input.extend_from_slice(&bad);
    input.push(b'\n');
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, &input).unwrap_or_else(|e| panic!("{e}"));
    let path = path.display().to_string();
    let run = |args: &[&str]| {
        let out = common::jifen(args, None);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (status, out, _) =
        run(&["eval", "--policy", "policies/suzhou/2020", "--input", &path, "--format", "jsonl", "--quiet"]);
    assert_eq!(status, Some(1));
    let answers: Vec<&str> = out.lines().collect();
    assert_eq!(answers.len(), 2, "{out}");
    assert!(answers[0].contains("\"applicant\":\"A0001\""), "{out}");
    assert!(answers[1].contains("不是 UTF-8 文本") && answers[1].contains("\"line\":2"), "{out}");
    let quotas = "tests/golden/public-quotas.json";
    let (status, _, err) = run(&[
        "rank",
        "--policy",
        "policies/suzhou/2020",
        "--input",
        &path,
        "--purpose",
        "积分落户",
        "--quotas",
        quotas,
    ]);
    assert_eq!(status, Some(1));
    assert!(err.contains("第 2 条记录") && err.contains("不是 UTF-8 文本"), "{err}");
    let (status, out, _) =
        run(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", &path, "--format", "json"]);
    assert_eq!(status, Some(1));
    let doc: Json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc["impact"]["invalid"], 1);
    assert!(doc["impact"]["invalid_records"][0]["message"].as_str().is_some_and(|m| m.contains("UTF-8")), "{out}");
}
