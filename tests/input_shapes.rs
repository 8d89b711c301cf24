//! Inputs as users give them: the shape (one object, an array, JSON Lines) is judged from the
//! content, not the file's name; a BOM and CRLF are accepted; stdin takes all three.

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
        ("array.jsonl", array.clone(), "jsonl", ids(2)),
        ("-", array, "json", ids(2)),
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
