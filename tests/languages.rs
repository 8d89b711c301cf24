//! Both languages everywhere on the command line: `jifen help COMMAND`, clap's usage errors worded
//! by jifen, the language chosen by `--lang` or else the locale, and failures to read a file
//! worded with the path once — and no Chinese in an English run outside quoted data.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

fn run(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = common::command(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let o = command.output().unwrap_or_else(|e| panic!("{e}"));
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

/// Chinese characters outside quoted data (「…」, '…', "…", `…`) and outside the policy's own words
/// a message may name (paths and ids are ASCII in these fixtures).
fn chinese_outside_quotes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut quote: Option<char> = None;
    for line in text.lines() {
        let mut bad = String::new();
        for c in line.chars() {
            match (quote, c) {
                (None, '「') => quote = Some('」'),
                (None, '\'' | '"' | '`') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, c) if matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x9FFF | 0xFF00..=0xFFEF) => bad.push(c),
                _ => {}
            }
        }
        quote = None;
        if !bad.is_empty() {
            out.push(format!("{bad} in: {line}"));
        }
    }
    out
}

#[test]
fn help_names_a_command_in_either_language() {
    let (code, zh, _) = run(&["help", "check"], &[]);
    assert_eq!(code, Some(0));
    assert!(zh.contains("检查政策目录") && zh.contains("用法：jifen check"), "{zh}");
    let (code, en, _) = run(&["help", "eval", "--lang", "en"], &[]);
    assert_eq!(code, Some(0));
    assert!(en.contains("Evaluate applicants") && en.contains("jifen eval"), "{en}");
    assert_eq!(run(&["eval", "--help", "--lang", "en"], &[]).1, en, "help COMMAND is COMMAND --help");
    let (code, _, err) = run(&["help", "evl"], &[]);
    assert_eq!(code, Some(2));
    assert!(err.contains("没有命令「evl」") && err.contains("eval"), "{err}");
    // The Chinese pages word every option, the explain page its md and html formats.
    let (_, page, _) = run(&["help", "explain"], &[]);
    for words in ["只显示结论与总分构成", "完整的逐步推算", "列出说明所引每一条文的原文", "md 与 html"]
    {
        assert!(page.contains(words), "{words} missing from:\n{page}");
    }
}

#[test]
fn usage_errors_are_worded_by_jifen_in_the_runs_language() {
    let (code, _, zh) = run(&["eval", "--policy", "policies/suzhou/2020"], &[]);
    assert_eq!(code, Some(2));
    assert!(zh.contains("缺少必需的参数：--input") && zh.contains("用法：") && zh.contains("jifen help eval"), "{zh}");
    assert!(!zh.contains("the following required"), "{zh}");
    let (code, _, en) = run(&["eval", "--policy", "policies/suzhou/2020", "--lang", "en"], &[]);
    assert_eq!(code, Some(2));
    assert!(en.contains("missing required arguments: --input") && en.contains("jifen help eval"), "{en}");
    let (_, _, unknown) = run(&["eval", "--polcy", "x"], &[]);
    assert!(unknown.contains("没有选项「--polcy」") && unknown.contains("是不是「--policy」"), "{unknown}");
    let (_, _, choice) = run(&["eval", "--policy", "p", "--input", "i", "--format", "xml"], &[]);
    assert!(choice.contains("不能取「xml」") && choice.contains("jsonl"), "{choice}");
    let (_, _, date) = run(&["eval", "--policy", "p", "--input", "i", "--as-of", "2021-02-30", "--lang", "en"], &[]);
    assert!(date.contains("'2021-02-30' is not a valid date"), "{date}");
    assert!(chinese_outside_quotes(&date).is_empty(), "{date}");
    let (_, _, command) = run(&["evl"], &[]);
    assert!(command.contains("没有命令「evl」") && command.contains("是不是「eval」"), "{command}");
}

#[test]
fn the_locale_chooses_the_language_when_lang_is_not_given() {
    let args = ["eval", "--policy", "policies/suzhou/2020"];
    let (_, _, en) = run(&args, &[("LANG", "en_US.UTF-8")]);
    assert!(en.contains("missing required arguments"), "{en}");
    // LC_ALL goes before LANG, and --lang before both.
    let (_, _, zh) = run(&args, &[("LANG", "en_US.UTF-8"), ("LC_ALL", "zh_CN.UTF-8")]);
    assert!(zh.contains("缺少必需的参数"), "{zh}");
    let (_, _, flag) = run(&["eval", "--policy", "p", "--lang", "zh"], &[("LC_ALL", "en_US.UTF-8")]);
    assert!(flag.contains("缺少必需的参数"), "{flag}");
    // C and other locales keep the default, Chinese.
    let (_, _, c) = run(&args, &[("LANG", "C.UTF-8")]);
    assert!(c.contains("缺少必需的参数"), "{c}");
}

#[test]
fn files_that_cannot_be_read_are_worded_with_the_path_once() {
    let p = "policies/suzhou/2020";
    let (code, _, zh) = run(&["eval", "--policy", p, "--input", "no-such.json"], &[]);
    assert_eq!(code, Some(2));
    assert_eq!(zh.trim(), "jifen: 找不到文件或目录：no-such.json");
    let (_, _, en) = run(&["eval", "--policy", p, "--input", "no-such.json", "--lang", "en"], &[]);
    assert_eq!(en.trim(), "jifen: no such file or directory: no-such.json");
    let (code, _, dir) = run(&["explain", "--policy", p, "--input", "examples"], &[]);
    assert_eq!(code, Some(2));
    assert_eq!(dir.trim(), "jifen: examples 是目录，应为文件");
    let (_, _, quotas) = run(
        &[
            "rank",
            "--policy",
            p,
            "--input",
            "examples/applicants.jsonl",
            "--purpose",
            "积分落户",
            "--quotas",
            "nope.json",
        ],
        &[],
    );
    assert_eq!(quotas.trim(), "jifen: 找不到文件或目录：nope.json");
    for err in [&zh, &en, &dir, &quotas] {
        assert!(!err.contains("os error"), "{err}");
    }
}

#[test]
fn an_english_run_has_no_chinese_outside_quoted_data() {
    let p = "policies/suzhou/2020";
    let runs: &[&[&str]] = &[
        &["eval", "--policy", p, "--input", "no-such.json"],
        &[
            "eval",
            "--policy",
            p,
            "--input",
            "examples/A0001.json",
            "--expect-hash",
            "sha256:0000000000000000000000000000000000000000000000000000000000000000",
        ],
        &["explain", "--policy", p, "--input", "examples/A0001.json", "--applicant", "NOPE"],
        &["explain", "--policy", p, "--input", "examples/A0001.json", "--format", "json", "--source"],
        &["explain-code", "E9999"],
        &[
            "rank",
            "--policy",
            p,
            "--input",
            "examples/applicants.jsonl",
            "--purpose",
            "no-such-purpose",
            "--quotas",
            "tests/golden/public-quotas.json",
        ],
        &["fmt", "--check", "no-such-dir"],
        &["eval", "--policy", p],
        &["help", "nothing"],
    ];
    for args in runs {
        let mut args = args.to_vec();
        args.extend(["--lang", "en"]);
        let (code, _, err) = run(&args, &[]);
        assert_ne!(code, Some(0), "{args:?}");
        assert!(!err.is_empty(), "{args:?}");
        let found = chinese_outside_quotes(&err);
        assert!(found.is_empty(), "{args:?}:\n{}", found.join("\n"));
    }
}
