//! Inputs as users give them: the shape (one object, an array, JSON Lines) is judged from the
//! content, not the file's name; a BOM and CRLF are accepted; stdin takes all three.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

use serde_json::Value as Json;
use std::io::Write;
use std::process::{Command, Stdio};

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .current_dir(common::root())
        .args(["eval", "--policy", "policies/suzhou/2020", "--quiet", "--format", format, "--input", &input])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    if let Some(mut stdin) = child.stdin.take() {
        if name == "-" {
            stdin.write_all(content.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
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
