//! Errors that say what to do, in both languages: every fault of a record (the fixtures in
//! `tests/record_faults/faults.jsonl`, one fault a line), a JSON syntax error with its line and
//! column said once and the offending line quoted, and a policy that cannot be read (a file that
//! is not UTF-8, a directory with no `.jf` file, a missing one).

#![allow(clippy::panic)] // tests fail by panicking

mod common;

use jifen::data::{read_json, read_jsonl, read_jsonl_line, RecordError};
use jifen::Lang;
use serde_json::Value as Json;

/// The text with its quoted spans — `…`, 「…」 and "…" — taken out: what is left is jifen's own words.
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None => match c {
                '`' => closing = Some('`'),
                '「' => closing = Some('」'),
                '"' => closing = Some('"'),
                _ => out.push(c),
            },
        }
    }
    out
}

/// Chinese (and full-width) characters in a text.
fn cjk(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| matches!(*c as u32, 0x3000..=0x303f | 0x3400..=0x9fff | 0xf900..=0xfaff | 0xff00..=0xffef))
        .collect()
}

fn assert_english(what: &str, text: &str) {
    let left = cjk(&unquoted(text));
    assert!(left.is_empty(), "{what}: Chinese outside quoted data ({left:?}) in: {text}");
}

fn fixture() -> String {
    common::read(&common::root().join("tests/record_faults/faults.jsonl"))
}

#[test]
fn every_record_fault_is_worded_in_both_languages() {
    let policy = &common::policy_2020().1.policy;
    let reads = read_jsonl(policy, &fixture());
    assert_eq!(reads.len(), 31);
    let mut errors: Vec<RecordError> = Vec::new();
    for (line, read) in reads {
        errors.push(read.err().unwrap_or_else(|| panic!("line {line} of the fixtures should be refused")));
    }
    // The faults no line of a text file holds: bytes that are not UTF-8, a record too long.
    errors.extend(read_jsonl_line(policy, 1, b"{\"\xff\": 1}").err());
    errors.extend(jifen::data::read_record(policy, &format!("{{\"a\": \"{}\"}}", "x".repeat(1 << 20))).err());
    errors.extend(
        read_json(policy, "[{\"编号\": \"X1\"},\n{\"编号\": \"X2\",}\n]").into_iter().filter_map(|(_, r)| r.err()),
    );
    assert_eq!(errors.len(), 34);
    // And the invalid records the examples show a new user.
    let examples = common::read(&common::root().join("examples/invalid.jsonl"));
    errors.extend(read_jsonl(policy, &examples).into_iter().filter_map(|(_, r)| r.err()));
    assert!(errors.len() > 34);
    for e in &errors {
        assert!(!e.message.zh.is_empty() && !cjk(&unquoted(&e.message.zh)).is_empty(), "{:?}", e.message);
        assert_english(&e.message.zh, &e.message.en);
        // A syntax error gives its line and column once, in the message and as data.
        if let Some(at) = e.at {
            let zh = format!("第 {} 行第 {} 列：JSON 语法错误：", at.line, at.column);
            let en = format!("line {}, column {}: JSON syntax error: ", at.line, at.column);
            assert!(e.message.zh.starts_with(&zh), "{}", e.message.zh);
            assert!(e.message.en.starts_with(&en), "{}", e.message.en);
            assert!(!e.message.zh.contains("at line") && !e.message.zh.contains("column"), "{}", e.message.zh);
        }
    }
    let syntax = errors.iter().filter(|e| e.at.is_some()).count();
    assert_eq!(syntax, 14, "every broken line of the fixtures is a syntax error, placed");
}

#[test]
fn a_syntax_error_of_json_lines_is_placed_at_the_input_line() {
    let policy = &common::policy_2020().1.policy;
    let reads = read_jsonl(policy, &fixture());
    let at = |line: usize| reads.iter().find(|(n, _)| *n == line).and_then(|(_, r)| r.as_ref().err());
    // Line 19: a comma after the record's last field, shown on the comma.
    let e = at(19).unwrap_or_else(|| panic!("line 19 reads"));
    assert_eq!(e.at.map(|a| a.line), Some(19));
    assert!(e.message.zh.contains("最后一项后面多了一个逗号"), "{}", e.message.zh);
    assert!(e.message.en.contains("a comma after the last item"), "{}", e.message.en);
    // Line 23: a record cut short.
    let e = at(23).unwrap_or_else(|| panic!("line 23 reads"));
    assert!(
        e.message.zh.starts_with("第 23 行第 35 列：JSON 语法错误：") && e.message.zh.contains("截断"),
        "{}",
        e.message.zh
    );
    assert!(e.message.zh.ends_with("：「{\"编号\": \"R1\", \"申请日期\": \"2021-05-10\",」"), "{}", e.message.zh);
    // A batch report names the line once.
    assert_eq!(e.in_batch(23, Lang::Zh), e.message.zh);
    let not_syntax = at(1).unwrap_or_else(|| panic!("line 1 reads"));
    assert!(not_syntax.in_batch(1, Lang::Zh).starts_with("第 1 行：未知字段"));
    assert!(not_syntax.in_batch(1, Lang::En).starts_with("line 1: unknown field `社保累积月数`"));
}

/// A pretty-printed record with a comma after its last field (line 9 of 11, say): the error
/// gives line 9 and its column once — in the JSON answer, in the table's fault line and in the
/// explanation's — never `第 1 行` beside it, and never serde's English.
#[test]
fn a_pretty_document_with_a_trailing_comma_is_reported_at_its_line() {
    let pretty = common::read(&common::root().join("examples/A0001.json"));
    let body = pretty.trim_end().strip_suffix('}').unwrap_or_else(|| panic!("not an object"));
    let text = format!("{},\n}}\n", body.trim_end());
    let line = text.lines().count() - 1;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("A0001.json");
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let input = path.display().to_string();
    let p = "policies/suzhou/2020";
    let out = common::jifen(&["eval", "--policy", p, "--format", "json", "--input", &input], None);
    assert_eq!(out.status.code(), Some(1));
    let doc: Json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    let error = doc["error"].as_str().unwrap_or_else(|| panic!("no error: {doc}"));
    let want = format!("第 {line} 行第 ");
    assert!(error.starts_with(&want) && error.contains("JSON 语法错误：最后一项后面多了一个逗号"), "{error}");
    assert!(!error.contains("line") && doc.get("line").is_none(), "{doc}");
    let out = common::jifen(&["eval", "--policy", p, "--input", &input], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&want) && !stderr.contains("第 1 行"), "{stderr}");
    let out = common::jifen(&["explain", "--policy", p, "--input", &input, "--lang", "en"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("line {line}, column ")), "{stderr}");
    assert!(stderr.contains("JSON syntax error: a comma after the last item: remove it"), "{stderr}");
}

#[test]
fn a_document_too_large_or_not_utf8_says_so_in_both_languages() {
    use jifen::data::input::DocumentError;
    for e in [DocumentError::TooLarge, DocumentError::NotUtf8 { at: 9 }] {
        let m = e.message();
        assert!(!cjk(&m.zh).is_empty(), "{}", m.zh);
        assert_english(&m.zh, &m.en);
        assert_eq!(e.to_string(), m.zh);
    }
}

/// A policy directory as temporary files.
fn policy_dir(tag: &str, files: &[(&str, &[u8])]) -> std::path::PathBuf {
    common::temp_dir_with(&format!("record-faults-{tag}"), files)
}

#[test]
fn a_policy_file_that_is_not_utf8_is_named_with_how_to_convert_it() {
    // 「政策」 in GBK, as a Windows editor saves it.
    let gbk: &[u8] = b"# \xd5\xfe\xb2\xdf\n";
    let dir = policy_dir("gbk", &[("a.jf", common::PRELUDE.as_bytes()), ("b.jf", gbk)]);
    let file = dir.join("b.jf").display().to_string();
    let shown = dir.display().to_string();
    match jifen::load_policy(&dir) {
        Err(jifen::PolicyError::NotUtf8 { file: f, at }) => {
            assert_eq!(f.display().to_string(), file);
            assert_eq!(at, 3);
        }
        other => panic!("{other:?}"),
    }
    let out = common::jifen(&["check", &shown], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{file}：不是 UTF-8 文本（第 3 字节起无法解码）")), "{stderr}");
    assert!(stderr.contains("iconv -f GBK -t UTF-8"), "{stderr}");
    assert_eq!(stderr.matches(&shown).count(), 1, "the path once: {stderr}");
    let out = common::jifen(&["check", &shown, "--lang", "en"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{file}: not UTF-8 text (undecodable from byte 3 on)")), "{stderr}");
    assert!(stderr.contains("iconv -f GBK -t UTF-8") && cjk(&stderr).is_empty(), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_directory_without_policy_files_names_the_policies_below_it() {
    match jifen::load_policy(&common::root().join("policies")) {
        Err(jifen::PolicyError::NoPolicyFiles { below, .. }) => {
            let below: Vec<String> = below.iter().map(|p| p.display().to_string()).collect();
            assert!(below.iter().any(|p| p.ends_with("policies/suzhou/2020")), "{below:?}");
        }
        other => panic!("{other:?}"),
    }
    let out = common::jifen(&["check", "policies"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("policies 中没有 .jf 政策文件；是不是 policies/suzhou/2015 或 policies/suzhou/2020？"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("policies").count(), 3, "the path once, then the suggestions: {stderr}");
    let out = common::jifen(&["check", "policies", "--lang", "en"], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean policies/suzhou/2015 or policies/suzhou/2020?") && cjk(&stderr).is_empty(),
        "{stderr}"
    );
    // A missing directory, and a policy file given for its directory, are said as such.
    for (args, want) in [
        (vec!["check", "no-such-policy"], "找不到政策目录：no-such-policy"),
        (vec!["check", "no-such-policy", "--lang", "en"], "no such policy directory: no-such-policy"),
        (vec!["check", "policies/suzhou/2020/政策.jf"], "请给出它所在的目录 policies/suzhou/2020"),
        (vec!["check", "policies/suzhou/2020/政策.jf", "--lang", "en"], "give its directory policies/suzhou/2020"),
    ] {
        let out = common::jifen(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(want), "{args:?}: {stderr}");
    }
}

/// A syntax error on line 3 of JSON Lines is placed on line 3 by every format, not on the first
/// line of the record's own text: the table and the explanation read each line the way the JSON
/// Lines answers do.
#[test]
fn a_syntax_error_in_json_lines_is_placed_at_its_input_line_in_every_format() {
    let lines: Vec<String> =
        common::read(&common::root().join("examples/applicants.jsonl")).lines().map(str::to_string).collect();
    let mut text = lines.iter().take(2).cloned().collect::<Vec<_>>();
    text.push("{\"编号\": \"X1\", \"申请日期\": \"2021-05-10\",".into());
    text.extend(lines.iter().skip(2).take(1).cloned());
    let dir = common::temp_dir_with("cut-third-line", &[("b.jsonl", (text.join("\n") + "\n").as_bytes())]);
    let input = dir.join("b.jsonl").to_string_lossy().into_owned();
    let p = "policies/suzhou/2020";
    let placed = "第 3 行第 35 列：JSON 语法错误";
    for args in [
        vec!["eval", "--policy", p, "--input", &input, "--format", "jsonl", "--quiet"],
        vec!["eval", "--policy", p, "--input", &input, "--format", "json"],
        vec!["eval", "--policy", p, "--input", &input],
        vec!["explain", "--policy", p, "--input", &input, "--brief"],
    ] {
        let o = common::jifen(&args, None);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let said = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert!(said.contains(placed), "{args:?}:\n{said}");
        assert!(!said.contains("第 1 行第 35 列"), "{args:?}:\n{said}");
    }
}
