//! A corpus of hostile inputs, given to the binary as a user would: every one ends with exit 0, 1
//! or 2 — never 101 (a panic), never a signal, never a hang — and says what it did.

#![allow(clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use std::time::{Duration, Instant};

const P2020: &str = "policies/suzhou/2020";

/// The binary's answer to `args` with `stdin` (bytes), killed and failed past `deadline`.
struct Answer {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_bytes(args: &[&str], stdin: &[u8], deadline: Duration) -> Answer {
    let mut child = common::command(args).spawn().unwrap_or_else(|e| panic!("cannot run jifen: {e}"));
    let mut pipe = child.stdin.take();
    let input = stdin.to_vec();
    // stdin is written on its own thread: a binary that stops reading must not block the test.
    let writer = std::thread::spawn(move || {
        if let Some(p) = pipe.as_mut() {
            let _ = p.write_all(&input);
        }
    });
    // Both outputs are drained as they come: a child blocked on a full pipe is not a hang.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > deadline => {
                let _ = child.kill();
                panic!("jifen {args:?} hangs (killed after {deadline:?})");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("{e}"),
        }
    };
    let _ = writer.join();
    let code = status.code().unwrap_or_else(|| panic!("jifen {args:?} was killed by a signal"));
    let answer = Answer {
        code,
        stdout: String::from_utf8_lossy(&stdout.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.join().unwrap_or_default()).into_owned(),
    };
    assert!(
        (0..=2).contains(&answer.code),
        "jifen {args:?} exited {} (a panic is 101):\n{}",
        answer.code,
        answer.stderr
    );
    assert!(!answer.stderr.contains("panicked"), "jifen {args:?} panicked:\n{}", answer.stderr);
    answer
}

fn run(args: &[&str], stdin: &str) -> Answer {
    run_bytes(args, stdin.as_bytes(), Duration::from_secs(120))
}

/// The sample applicant A0001, on one line.
fn sample() -> String {
    serde_json::Value::Object(common::sample_record()).to_string()
}

fn eval_stdin(format: &str, stdin: &str) -> Answer {
    run(&["eval", "--policy", P2020, "--input", "-", "--format", format, "--quiet"], stdin)
}

/// A temporary policy directory holding `files`.
fn policy_dir(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    common::temp_dir_with(&format!("hostile-{tag}"), files)
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

use common::PRELUDE;

#[test]
fn invalid_utf8_in_records_and_policies() {
    let mut bytes = sample().into_bytes();
    bytes.extend_from_slice(b"\n{\"\xff\xfe\": 1}\n");
    bytes.extend_from_slice(sample().as_bytes());
    bytes.push(b'\n');
    let a = run_bytes(
        &["eval", "--policy", P2020, "--input", "-", "--format", "jsonl", "--quiet"],
        &bytes,
        Duration::from_secs(60),
    );
    assert_eq!(a.code, 1);
    assert_eq!(a.stdout.lines().count(), 3, "one answer per line:\n{}", a.stdout);
    assert!(a.stdout.lines().nth(1).is_some_and(|l| l.contains("UTF-8")), "{}", a.stdout);
    // The same bytes as a JSON document.
    let a = run_bytes(
        &["eval", "--policy", P2020, "--input", "-", "--format", "json"],
        b"[{\"\xff\": 1}]",
        Duration::from_secs(60),
    );
    assert_ne!(a.code, 0);
    let dir = policy_dir("utf8", &[("a.jf", b"\xff\xfe\xfd")]);
    let a = run(&["check", &shown(&dir)], "");
    assert_eq!(a.code, 2, "{}", a.stderr);
    assert!(a.stderr.contains("UTF-8") || a.stderr.contains("utf-8"), "{}", a.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn byte_order_marks_and_crlf_everywhere() {
    let record = format!("\u{feff}{}\r\n{}\r\n", sample(), common::sample_with("编号", "A0002".into()));
    let a = eval_stdin("jsonl", &record);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout.lines().count(), 2);
    let pretty = format!(
        "\u{feff}{}",
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&sample()).unwrap_or_default())
            .unwrap_or_default()
            .replace('\n', "\r\n")
    );
    let a = eval_stdin("json", &pretty);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let text = format!("\u{feff}{}", PRELUDE.replace('\n', "\r\n"));
    let dir = policy_dir("bom", &[("a.jf", text.as_bytes())]);
    let a = run(&["check", &shown(&dir)], "");
    assert_eq!(a.code, 0, "{}", a.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_lone_blank_line_is_one_answer() {
    let a = eval_stdin("jsonl", "\n");
    assert_eq!(a.code, 1);
    assert_eq!(a.stdout.lines().count(), 1, "{}", a.stdout);
    assert!(a.stdout.contains("空行"), "{}", a.stdout);
    // Nothing at all is no records; a line of spaces is a blank line, answered as one.
    for (input, code) in [("", 0), ("   ", 1), ("\n\n", 1)] {
        let a = eval_stdin("jsonl", input);
        assert_eq!(a.code, code, "{input:?}: {}", a.stderr);
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = common::command(&["explain", "--policy", P2020, "--input", "tests/golden/public-applicants.jsonl"])
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(out.status.code(), Some(0..=2)), "{:?}", out.status);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn deep_nesting_in_policies_and_records() {
    let deep_policy = format!("{PRELUDE}\n常量 深  依据 办法 第四条 = {}1分{}\n", "（".repeat(5000), "）".repeat(5000));
    let dir = policy_dir("deep", &[("a.jf", deep_policy.as_bytes())]);
    let a = run(&["check", &shown(&dir)], "");
    assert_eq!(a.code, 1);
    assert!(a.stderr.contains("嵌套"), "{}", a.stderr);
    let _ = std::fs::remove_dir_all(dir);
    let deep_record = common::sample_with("从业记录", serde_json::Value::Null).replacen(
        "null",
        &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
        1,
    );
    let a = eval_stdin("jsonl", &deep_record);
    assert_eq!(a.code, 1);
    assert!(a.stdout.contains("\"error\""), "{}", a.stdout);
}

#[test]
fn a_ten_thousand_arm_match_is_refused_with_the_limit() {
    let arms: Vec<String> = (0..10_000).map(|_| "本科 → 1分".to_string()).collect();
    let text = format!(
        "{PRELUDE}\n分项 [社会保险] “多” 基础分  依据 标准 [社会保险]\n  匹配 申请人.学历：{}\n",
        arms.join("，")
    );
    let dir = policy_dir("arms", &[("a.jf", text.as_bytes())]);
    let a = run(&["check", &shown(&dir)], "");
    assert_eq!(a.code, 1);
    assert!(a.stderr.contains("声明过长"), "{}", a.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn huge_numbers_and_exponents_in_records() {
    for value in ["1e400", "99999999999999999999999999999999", "1e2", "\"1e2\"", "-0", "1.5e1", "\"NaN\"", "\"∞\""] {
        let record =
            common::sample_with("社保累计月数", serde_json::from_str(value).unwrap_or(serde_json::Value::Null));
        // serde_json reads 1e400 as a number token; keep the literal text as written.
        let record = record.replacen("\"社保累计月数\":null", &format!("\"社保累计月数\":{value}"), 1);
        let a = eval_stdin("jsonl", &record);
        assert!(a.stdout.lines().count() == 1, "{value}: {}", a.stdout);
        if a.code == 1 {
            assert!(a.stdout.contains("社保累计月数"), "{value}: the error names the field: {}", a.stdout);
        }
    }
    let record = common::sample_with("住所", serde_json::json!({"类型": "自有产权住房", "建筑面积": "1e3"}));
    let a = eval_stdin("jsonl", &record);
    assert_eq!(a.code, 1, "an exponent is not a decimal as the record format writes it: {}", a.stdout);
}

#[test]
fn dates_at_the_ends_of_the_calendar() {
    for date in ["0000-01-01", "9999-12-31", "0000-02-29", "9999-02-29"] {
        for field in ["申请日期", "出生日期", "居住证登记日期"] {
            let record = common::sample_with(field, date.into());
            let a = eval_stdin("jsonl", &record);
            assert_eq!(a.stdout.lines().count(), 1, "{field} {date}");
        }
        let a = run(&["eval", "--policy", P2020, "--input", "examples/A0001.json", "--as-of", date], "");
        assert!(a.code <= 2, "{date}");
        let a = run(&["explain", "--policy", P2020, "--input", "examples/A0001.json", "--as-of", date], "");
        assert!(a.code <= 2, "{date}");
    }
}

#[test]
fn duplicate_keys_are_named() {
    let record = sample().replacen('{', "{\"学历\": \"博士研究生\", ", 1);
    let a = eval_stdin("jsonl", &record);
    assert_eq!(a.code, 1);
    assert!(a.stdout.contains("学历"), "{}", a.stdout);
}

#[test]
fn two_files_declaring_the_same_names() {
    let dir = policy_dir("twice", &[("a.jf", PRELUDE.as_bytes()), ("b.jf", PRELUDE.as_bytes())]);
    for lang in ["zh", "en"] {
        for color in ["always", "never"] {
            let a = run(&["check", &shown(&dir), "--lang", lang, "--color", color], "");
            assert_eq!(a.code, 1);
            assert!(a.stderr.contains("E0110"), "{}", a.stderr);
            assert!(a.stderr.contains("a.jf") && a.stderr.contains("b.jf"), "both files are named:\n{}", a.stderr);
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_input_form_on_stdin() {
    let one = sample();
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&one).unwrap_or_default())
        .unwrap_or_default();
    let forms = [
        ("one object on one line", one.clone(), 1),
        ("one pretty object", pretty.clone(), 1),
        ("an array", format!("[{one},\n{one}]"), 2),
        ("an empty array", "[]".to_string(), 0),
        ("JSON Lines", format!("{one}\n{one}\n"), 2),
        ("JSON Lines without a final newline", format!("{one}\n{one}"), 2),
    ];
    for (what, input, records) in forms {
        for format in ["text", "json", "jsonl"] {
            let a = eval_stdin(format, &input);
            assert!(a.code <= 1, "{what} as {format}: {}", a.stderr);
            if format == "jsonl" {
                assert_eq!(a.stdout.lines().count(), records, "{what}: {}", a.stdout);
            }
        }
        // Nothing to explain (an empty array) is a usage error.
        let a = run(&["explain", "--policy", P2020, "--input", "-"], &input);
        assert!(a.code <= 1 || records == 0, "{what}: {}", a.stderr);
        let a = run(&["diff", "policies/suzhou/2015", P2020, "--impact", "-"], &input);
        assert!(a.code <= 1, "{what}: {}", a.stderr);
        let a = run(
            &[
                "rank",
                "--policy",
                P2020,
                "--input",
                "-",
                "--purpose",
                "积分落户",
                "--quotas",
                "tests/golden/public-quotas.json",
            ],
            &input,
        );
        assert!(a.code <= 1, "{what}: {}", a.stderr);
    }
    // Not JSON at all, on every reader.
    for junk in ["not json", "{", "[1, 2", "\u{0}\u{1}"] {
        let a = eval_stdin("jsonl", junk);
        assert_eq!(a.code, 1, "{junk:?}");
        let a = eval_stdin("json", junk);
        assert_eq!(a.code, 1, "{junk:?}");
    }
}
