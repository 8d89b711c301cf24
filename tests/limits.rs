//! One test per limit in the README's table: just under it works, just past it gives the error the
//! table names, through the binary as a user meets it.

#![allow(clippy::panic)]

mod common;

use common::jifen;

const P2020: &str = "policies/suzhou/2020";
use common::{sample_record as sample, sample_with as with, PRELUDE};

/// `jifen check` on the prelude plus `extra`: its exit code and stderr.
fn check(tag: &str, extra: &str) -> (i32, String) {
    let dir = common::temp_dir_with(&format!("limit-{tag}"), &[("a.jf", format!("{PRELUDE}\n{extra}").as_bytes())]);
    let o = jifen(&["check", &dir.display().to_string()], None);
    let _ = std::fs::remove_dir_all(&dir);
    (o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// One record on stdin through `eval --format jsonl`: the answer line.
fn eval_line(line: &str) -> String {
    let o = jifen(&["eval", "--policy", P2020, "--input", "-", "--format", "jsonl", "--quiet"], Some(line));
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn policy_file_size() {
    let limit = jifen::syntax::parser::MAX_FILE_BYTES;
    let padding = |n: usize| "#".to_string() + &"x".repeat(n.saturating_sub(PRELUDE.len() + 3)) + "\n";
    let (code, stderr) = check("size-ok", &padding(limit - 64));
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = check("size-over", &padding(limit + 64));
    assert_eq!(code, 1);
    assert!(stderr.contains("文件过大"), "{stderr}");
}

#[test]
fn bracket_nesting() {
    let limit = jifen::syntax::parser::MAX_NESTING;
    let nested = |n: usize| format!("常量 深  依据 办法 第四条 = {}1分{}\n", "（".repeat(n), "）".repeat(n));
    let (code, stderr) = check("nest-ok", &nested(limit - 4));
    assert_ne!(code, 2, "{stderr}");
    assert!(!stderr.contains("嵌套"), "{stderr}");
    let (code, stderr) = check("nest-over", &nested(limit + 1));
    assert_eq!(code, 1);
    assert!(stderr.contains(&format!("括号嵌套超过 {limit} 层")), "{stderr}");
}

#[test]
fn tokens_in_one_declaration() {
    let limit = jifen::syntax::parser::MAX_DECLARATION_TOKENS;
    let chain = |n: usize| format!("常量 长  依据 办法 第四条 = {}\n", vec!["1分"; n].join("+"));
    let (_, stderr) = check("tokens-ok", &chain(limit / 2 - 20));
    assert!(!stderr.contains("声明过长"), "{stderr}");
    let (code, stderr) = check("tokens-over", &chain(limit / 2 + 20));
    assert_eq!(code, 1);
    assert!(stderr.contains(&format!("声明过长：超过 {limit} 个记号")), "{stderr}");
}

#[test]
fn digits_of_a_number_in_a_policy() {
    let (_, stderr) = check("digits-ok", "常量 大  依据 办法 第四条 = 999999999999999.9999999999分\n");
    assert!(!stderr.contains("过长"), "{stderr}");
    for long in ["9999999999999999分", "0.00000000001分"] {
        let (code, stderr) = check("digits-over", &format!("常量 大  依据 办法 第四条 = {long}\n"));
        assert_eq!(code, 1);
        assert!(stderr.contains("整数部分最多 15 位，小数部分最多 10 位"), "{stderr}");
    }
}

#[test]
fn record_size() {
    let limit = jifen::data::MAX_RECORD_BYTES;
    let sized = |n: usize| {
        let base = with("姓名", "".into());
        let name = "张".repeat((n - base.len()) / 3);
        with("姓名", name.into())
    };
    let ok = sized(limit - 16);
    assert!(ok.len() <= limit);
    assert!(!eval_line(&ok).contains("\"error\""));
    let over = sized(limit + 16);
    assert!(over.len() > limit);
    assert!(eval_line(&over).contains("记录过长"));
}

#[test]
fn nesting_inside_a_record() {
    // serde_json's recursion limit (128): a record nested deeper is refused, never a stack overflow.
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let line = with("从业记录", serde_json::Value::Null).replacen("null", &deep(100), 1);
    assert!(eval_line(&line).contains("从业记录"), "a list of lists is a wrong shape, named by field");
    let line = with("从业记录", serde_json::Value::Null).replacen("null", &deep(200), 1);
    let answer = eval_line(&line);
    assert!(answer.contains("JSON 语法错误：嵌套过深（JSON 最多嵌套 128 层）"), "{answer}");
}

#[test]
fn digits_of_a_decimal_in_a_record() {
    // rust_decimal's 28 significant digits; more is an error naming the field, never a rounding.
    let area = |s: &str| with("住所", serde_json::json!({"类型": "备案租赁住房", "建筑面积": s}));
    assert!(!eval_line(&area("1234567890123456.123456789012")).contains("\"error\""));
    let answer = eval_line(&area("12345678901234567890123456789012"));
    assert!(answer.contains("建筑面积"), "{answer}");
}

#[test]
fn dates_in_a_record() {
    for (date, ok) in [
        ("0000-01-01", true),
        ("9999-12-31", true),
        ("10000-01-01", false),
        ("-0001-01-01", false),
        ("2021-2-3", false),
    ] {
        let answer = eval_line(&with("出生日期", date.into()));
        assert_eq!(!answer.contains("\"error\""), ok, "{date}: {answer}");
    }
    let o = jifen(&["eval", "--policy", P2020, "--input", "examples/A0001.json", "--as-of", "10000-01-01"], None);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn json_document_size() {
    let limit = usize::try_from(jifen::data::input::MAX_DOCUMENT_BYTES).unwrap_or(usize::MAX);
    let path = std::env::temp_dir().join(format!("jifen-limit-document-{}.json", std::process::id()));
    let mut doc = format!("[{}", serde_json::Value::Object(sample()));
    doc.push_str(&" ".repeat(limit + 1 - doc.len()));
    doc.push(']');
    std::fs::write(&path, &doc).unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["eval", "--policy", P2020, "--input", &path.display().to_string(), "--format", "json"], None);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("JSON 文档超过 64 MiB 的上限"));
}

#[test]
fn same_id_check_of_a_batch() {
    // The check's own limit is tested in src/batch/same_id.rs with a small one; here, the figure
    // the README gives.
    assert_eq!(jifen::batch::same_id::CHECKED, 4_194_304);
}
