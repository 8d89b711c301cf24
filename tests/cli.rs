//! The command line as a user meets it: exit codes (0 ok, 1 policy or data errors, 2 usage or
//! I/O), batch order, and diagnostics on a broken policy.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use std::process::Output;

fn jifen(args: &[&str]) -> Output {
    common::command(args).output().unwrap_or_else(|e| panic!("cannot run jifen: {e}"))
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_passes_on_the_bundled_policy() {
    let o = jifen(&["check", "policies/suzhou/2020"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("15 个分项"));
}

#[test]
fn check_on_a_broken_policy_exits_1_with_every_diagnostic() {
    let dir = std::env::temp_dir().join(format!("jifen-broken-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(common::root().join("policies/suzhou/2020")).into_iter().flatten().flatten() {
        let _ = std::fs::copy(entry.path(), dir.join(entry.file_name()));
    }
    let broken = common::read(&dir.join("计分标准.jf"))
        .replace("满 36周岁 未满 46周岁", "满 35周岁 未满 46周岁")
        .replace("申请人.社保累计月数 每满", "申请人.社保累积月数 每满")
        .replace("表彰奖励分值[奖励.级别]", "表彰奖励分值[奖励.等级]");
    std::fs::write(dir.join("计分标准.jf"), broken).unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["check", dir.to_str().unwrap_or_default()]);
    let err = stderr(&o);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for code in ["E0303", "E0102"] {
        assert!(err.contains(code), "{code} missing:\n{err}");
    }
    assert!(err.contains("是不是「社保累计月数」"), "{err}");
    assert!(err.contains("3 个错误"), "{err}");
}

#[test]
fn eval_jsonl_answers_each_line_in_order_and_exits_1_on_bad_records() {
    let dir = std::env::temp_dir().join(format!("jifen-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let good = common::read(&common::root().join("tests/explain/A0001.json"));
    let input = format!("{}\n\nnot json\n{}\n", good.trim(), r#"{"编号": "X1", "学历": "小学"}"#);
    let path = dir.join("batch.jsonl");
    std::fs::write(&path, input).unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&[
        "eval",
        "--policy",
        "policies/suzhou/2020",
        "--input",
        path.to_str().unwrap_or_default(),
        "--format",
        "jsonl",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(o.status.code(), Some(1));
    let lines: Vec<serde_json::Value> =
        stdout(&o).lines().map(|l| serde_json::from_str(l).unwrap_or_default()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["applicant"], "A0001");
    assert_eq!(lines[0]["score"]["base"], "188");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["applicant"], serde_json::Value::Null);
    assert_eq!(lines[3]["applicant"], "X1");
    let message = lines[3]["error"].as_str().unwrap_or_default();
    assert!(message.contains("缺少必填字段「申请日期」"), "{message}");
    assert!(message.contains("「学历」的值 \"小学\" 不在允许的取值中"), "{message}");
}

#[test]
fn eval_reads_stdin_and_overrides_the_date() {
    let good = common::read(&common::root().join("tests/explain/A0001.json"));
    let args =
        ["eval", "--policy", "policies/suzhou/2020", "--input", "-", "--as-of", "2024-02-29", "--format", "jsonl"];
    let o = common::jifen(&args, Some(&good));
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap_or_default();
    assert_eq!(v["as_of"], "2024-02-29");
}

#[test]
fn usage_and_io_errors_exit_2() {
    assert_eq!(jifen(&["eval", "--policy", "policies/suzhou/2020"]).status.code(), Some(2));
    assert_eq!(jifen(&["eval", "--policy", "no/such/dir", "--input", "x.json"]).status.code(), Some(2));
    let o = jifen(&[
        "eval",
        "--policy",
        "policies/suzhou/2020",
        "--input",
        "tests/explain/A0001.json",
        "--as-of",
        "2021-02-30",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = jifen(&["eval", "--policy", "policies/suzhou/2020", "--input", "no-such-file.jsonl"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-file.jsonl"));
}

#[test]
fn explain_picks_one_applicant_from_a_batch() {
    let o = jifen(&[
        "explain",
        "--policy",
        "policies/suzhou/2020",
        "--input",
        "tests/golden/public-applicants.jsonl",
        "--applicant",
        "S1-0002",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("张芳欣（S1-0002）"), "{text}");
    assert!(text.contains("计分标准 [社会保险]"));
    let o = jifen(&[
        "explain",
        "--policy",
        "policies/suzhou/2020",
        "--input",
        "tests/golden/public-applicants.jsonl",
        "--applicant",
        "NOBODY",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn compile_emits_versioned_ir() {
    let o = jifen(&["compile", "policies/suzhou/2020", "--emit", "ir"]);
    assert_eq!(o.status.code(), Some(0));
    let ir: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_default();
    assert_eq!(ir["format"], jifen::ir::IR_FORMAT);
    assert_eq!(ir["items"].as_array().map(Vec::len), Some(15));
    assert_eq!(ir["items"][2]["id"], "社会保险");
}

#[test]
fn explain_code_prints_the_page_of_a_code_in_either_language() {
    let o = jifen(&["explain-code", "E0004"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("含义") && stdout(&o).contains("改正"));
    let o = jifen(&["--lang", "en", "explain-code", "w0402"]);
    assert!(stdout(&o).contains("What:") && stdout(&o).contains("Fix:"), "{}", stdout(&o));
    let o = jifen(&["explain-code", "E9999"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("E0004"), "the error lists the codes: {}", stderr(&o));
}

#[test]
fn check_as_json_gives_every_diagnostic_as_data() {
    let dir = std::env::temp_dir().join(format!("jifen-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let prelude = common::read(&common::root().join("tests/diagnostics/_prelude.jf"));
    std::fs::write(dir.join("_prelude.jf"), prelude).unwrap_or_else(|e| panic!("{e}"));
    let slip = "常量 说明  依据 办法 第一条 = “社保不满24个月\"\n";
    std::fs::write(dir.join("slip.jf"), slip).unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["check", "--format", "json", dir.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)));
    let d = &v["diagnostics"][0];
    assert_eq!(d["code"], "E0005");
    assert_eq!(d["severity"], "error");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(1), Some(29)), "the closing \" is the 29th character");
    assert!(d["file"].as_str().is_some_and(|f| f.ends_with("slip.jf")));
    assert!(d["fix"].as_str().is_some_and(|f| f.contains("”")));
    assert_eq!(v["errors"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_refuses_what_is_not_a_policy_and_never_rewrites_a_broken_file() {
    let dir = std::env::temp_dir().join(format!("jifen-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let record = dir.join("A0001.json");
    std::fs::write(&record, "{\"编号\":\"A0001\"}\n").unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["fmt", record.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&record).unwrap_or_default(), "{\"编号\":\"A0001\"}\n");
    let broken = dir.join("broken.jf");
    let text = "常量 甲  依据 办法 第一条 = “未闭合\n常量 乙=1分\n";
    std::fs::write(&broken, text).unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["fmt", broken.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("E0004"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&broken).unwrap_or_default(), text, "a broken file is left as it is");
    let fine = dir.join("fine.jf");
    std::fs::write(&fine, "\u{feff}表 甲：整数 → 分  依据 办法 第一条\n  2021->50分\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = jifen(&["fmt", "--check", fine.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("+  2021 → 50分"), "--check shows the diff: {}", stdout(&o));
    let o = jifen(&["fmt", fine.to_str().unwrap_or("")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&fine).unwrap_or_default(),
        "表 甲：整数 → 分  依据 办法 第一条\n  2021 → 50分\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn diff_of_a_version_with_itself_is_empty_and_of_two_versions_is_json_for_programs() {
    let same = jifen(&["diff", "policies/suzhou/2020", "policies/suzhou/2020"]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert!(stdout(&same).contains("没有语义变化"), "{}", stdout(&same));
    let o = jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let changes = doc["changes"].as_array().map(Vec::len).unwrap_or(0);
    assert!(changes > 50, "{changes} changes");
    let first = &doc["changes"][0];
    for key in ["kind", "subject", "id", "cites", "details"] {
        assert!(first.get(key).is_some(), "no {key} in {first}");
    }
    let missing = jifen(&["diff", "policies/suzhou/2015", "no/such/dir"]);
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn diff_impact_counts_unreadable_records_and_takes_one_date_for_all() {
    let o = jifen(&[
        "diff",
        "policies/suzhou/2015",
        "policies/suzhou/2020",
        "--impact",
        "examples/invalid.jsonl",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "unreadable records are data errors: {}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap_or_else(|e| panic!("{e}"));
    let invalid = doc["impact"]["invalid"].as_u64().unwrap_or(0);
    assert!(invalid > 0 && doc["impact"]["invalid_records"][0]["line"].is_u64(), "{}", doc["impact"]);
    let dated = jifen(&[
        "diff",
        "policies/suzhou/2015",
        "policies/suzhou/2020",
        "--impact",
        "examples/applicants.jsonl",
        "--as-of",
        "2021-05-10",
    ]);
    assert_eq!(dated.status.code(), Some(0), "{}", stderr(&dated));
    assert!(stdout(&dated).contains("评估日 2021-05-10"), "{}", stdout(&dated));
    let without = jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--as-of", "2021-05-10"]);
    assert_eq!(without.status.code(), Some(2), "--as-of needs --impact");
}

/// `--color always|never` decides the diagnostics' colour whatever stderr is; `auto` (the default)
/// does not colour a pipe.
#[test]
fn color_is_always_never_or_auto() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("broken.jf"), "枚举 学历 依据 某文件 第一条：本科\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().display().to_string();
    let escapes = |args: &[&str]| {
        let o = jifen(args);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        stderr(&o).contains('\u{1b}')
    };
    assert!(escapes(&["check", &path, "--color", "always"]));
    assert!(!escapes(&["check", &path, "--color", "never"]));
    assert!(!escapes(&["check", &path]));
    assert_eq!(jifen(&["check", &path, "--color", "true"]).status.code(), Some(2));
}

/// In text, the data goes to stdout and what went wrong with a record to stderr: the table keeps
/// the failed record's row, and the explanations only the applicants that could be explained.
#[test]
fn text_output_keeps_data_on_stdout_and_record_errors_on_stderr() {
    let o =
        jifen(&["eval", "--policy", "policies/suzhou/2020", "--input", "examples/invalid.jsonl", "--format", "text"]);
    assert_eq!(o.status.code(), Some(1));
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(out.contains(" 2  —            错误") && out.contains("张三"), "{out}");
    assert!(!out.contains("第 2 行"), "{out}");
    assert!(err.contains("第 2 行：空行：不是 JSON 记录"), "{err}");
    let o = jifen(&["explain", "--policy", "policies/suzhou/2020", "--input", "examples/invalid.jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(out.starts_with("张三（A0001）"), "{out}");
    assert!(!out.contains("无法读取") && err.contains("第 2 条记录无法读取：空行"), "{err}");
}

/// Completion scripts come from the parser's own definition: every subcommand is in them.
#[test]
fn completions_cover_every_command() {
    for shell in ["bash", "zsh", "fish"] {
        let o = jifen(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for command in ["check", "test", "fmt", "compile", "eval", "diff", "rank", "explain", "explain-code"] {
            assert!(script.contains(command), "{shell} misses {command}");
        }
    }
    assert_eq!(jifen(&["completions", "tcsh"]).status.code(), Some(2));
}

/// `--help` is in Chinese by default and in English with `--lang en`: every command says what it
/// does, every argument and option has its help, and every page shows an example and the exit codes.
#[test]
fn help_documents_every_command_and_argument_in_both_languages() {
    let commands =
        ["check", "test", "explain-code", "fmt", "compile", "eval", "diff", "rank", "explain", "completions"];
    let pages = |lang: &str| -> Vec<(String, String)> {
        let mut pages = vec![("jifen".to_string(), stdout(&jifen(&["--lang", lang, "--help"])))];
        for c in commands {
            let o = jifen(&[c, "--help", "--lang", lang]);
            assert_eq!(o.status.code(), Some(0), "{c} --help: {}", stderr(&o));
            pages.push((c.to_string(), stdout(&o)));
        }
        pages
    };
    for (lang, usage, examples, exits) in
        [("zh", "用法：", "示例：", "退出码："), ("en", "Usage:", "Examples:", "Exit codes:")]
    {
        for (name, page) in pages(lang) {
            for want in [usage, examples, exits] {
                assert!(page.contains(want), "{lang} {name} lacks {want}:\n{page}");
            }
            // Every argument and option line carries its help after the flag.
            for line in
                page.lines().filter(|l| l.starts_with("  -") || l.starts_with("      --") || l.starts_with("  <"))
            {
                let help = line.trim_start().split("  ").skip(1).map(str::trim).find(|s| !s.is_empty());
                assert!(help.is_some_and(|h| h.chars().count() > 3), "{lang} {name}: undocumented `{line}`");
                if lang == "zh" {
                    assert!(!line.contains("[default"), "{name}: `{line}`");
                }
            }
        }
    }
    assert!(stdout(&jifen(&["--help"])).contains("命令"));
    assert_eq!(jifen(&["--version"]).status.code(), Some(0));
}
