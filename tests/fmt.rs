//! Laws of `jifen fmt`: formatting is idempotent, changes only spaces and the spelling of marks,
//! and never changes the IR; the bundled policies are formatted.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::fmt::format;
use jifen::syntax::lexer::{tokenize, TokenKind};
use jifen::syntax::span::SourceMap;
use proptest::prelude::*;

fn jf_files() -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for dir in ["policies", "tests/diagnostics"] {
        let files = jifen::fmt::files::policy_files(&common::root().join(dir)).unwrap_or_else(|e| panic!("{e:?}"));
        out.extend(files.into_iter().map(|path| {
            let text = common::read(&path);
            (path, text)
        }));
    }
    out.sort();
    out
}

/// The bundled policy files (every `.jf` below `policies/`).
fn bundled() -> Vec<(std::path::PathBuf, String)> {
    jf_files().into_iter().filter(|(p, _)| p.starts_with(common::root().join("policies"))).collect()
}

/// How another editor indents: the bundled two spaces a level become four spaces a level or a tab
/// a level, a column left over (a line aligned under a token) staying a space (as vim's `:retab`
/// does with a new tab stop). `Mixed` uses tabs on odd lines and four spaces on the others.
#[derive(Debug, Clone, Copy)]
enum Style {
    FourSpaces,
    Tabs,
    Mixed,
}

fn reindented(text: &str, style: Style) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_start_matches(' ');
        let width = line.len() - body.len();
        let (levels, rest) = (width / 2, width % 2);
        let tabs = match style {
            Style::FourSpaces => false,
            Style::Tabs => true,
            Style::Mixed => n % 2 == 1,
        };
        out.push_str(&if tabs { "\t".repeat(levels) } else { "    ".repeat(levels) });
        out.push_str(&" ".repeat(rest));
        out.push_str(body);
    }
    out
}

/// Every token but whitespace, concatenated, with each mark spelt in ASCII: formatting may change
/// spaces and the spelling of marks (`→` for `->`), nothing else. Texts and comments are compared
/// as written.
fn words(text: &str) -> String {
    let ascii = |c: char| -> String {
        match c {
            '（' => "(".into(),
            '）' => ")".into(),
            '：' => ":".into(),
            '，' => ",".into(),
            '；' => ";".into(),
            '？' => "?".into(),
            '【' => "[".into(),
            '】' => "]".into(),
            '＝' => "=".into(),
            '≥' => ">=".into(),
            '≤' => "<=".into(),
            '≠' => "!=".into(),
            '＞' | '〉' => ">".into(),
            '＜' | '〈' => "<".into(),
            '！' => "!".into(),
            '＋' => "+".into(),
            '－' | '−' => "-".into(),
            '×' => "*".into(),
            '÷' => "/".into(),
            '→' => "->".into(),
            other => other.to_string(),
        }
    };
    tokenize(text)
        .into_iter()
        .filter(|t| t.kind != TokenKind::Whitespace)
        .filter_map(|t| {
            let s = text.get(t.start..t.end)?;
            Some(if t.kind == TokenKind::Punct { s.chars().map(ascii).collect() } else { s.trim_end().to_string() })
        })
        .collect::<Vec<String>>()
        .join("")
}

#[test]
fn formatting_is_idempotent_and_keeps_every_token() {
    let files = jf_files();
    assert!(files.len() > 30);
    for (path, text) in files {
        let once = format(&text);
        assert_eq!(format(&once), once, "{} is not stable", path.display());
        assert_eq!(words(&once), words(&text), "{} lost or changed a token", path.display());
    }
}

#[test]
fn formatting_never_changes_the_ir() {
    for version in ["2020", "2015"] {
        let dir = common::root().join("policies/suzhou").join(version);
        let original = jifen::load_policy(&dir).unwrap_or_else(|e| panic!("{e}"));
        let mut formatted = SourceMap::default();
        for (_, f) in original.sources.files() {
            formatted.add(f.path.clone(), format(&f.text));
        }
        let formatted = jifen::compile(formatted);
        let ir = |l: &jifen::Loaded| serde_json::to_value(l.compiled.as_ref().map(|c| &c.policy)).unwrap_or_default();
        assert!(ir(&original) != serde_json::Value::Null);
        assert_eq!(ir(&original), ir(&formatted), "{version}");
    }
}

#[test]
fn the_bundled_policies_are_formatted() {
    let files = bundled();
    assert!(files.len() >= 10);
    for (path, text) in files {
        assert_eq!(format(&text), text, "run `jifen fmt {}`", path.display());
    }
}

#[test]
fn a_bundled_policy_reindented_by_another_editor_formats_back_byte_for_byte() {
    for (path, text) in bundled() {
        for style in [Style::FourSpaces, Style::Tabs, Style::Mixed] {
            let other = reindented(&text, style);
            assert_ne!(other, text, "{style:?} changes {}", path.display());
            assert_eq!(format(&other), text, "{} indented with {style:?}", path.display());
        }
    }
}

#[test]
fn indentation_is_two_spaces_a_level_whatever_the_input_used() {
    let canonical = "分项 [甲] “甲” 基础分  依据 办法 第一条\n  说明 “甲”\n  分段 周岁（申请人.出生日期）：\n    满 18周岁 → 1分\n    其他情形  → 0分\n";
    for indented in [
        "分项 [甲] “甲” 基础分  依据 办法 第一条\n    说明 “甲”\n    分段 周岁（申请人.出生日期）：\n        满 18周岁 → 1分\n        其他情形  → 0分\n",
        "分项 [甲] “甲” 基础分  依据 办法 第一条\n\t说明 “甲”\n\t分段 周岁（申请人.出生日期）：\n\t\t满 18周岁 → 1分\n\t\t其他情形  → 0分\n",
        // A mixture: a tab is four columns, one level of four spaces.
        "分项 [甲] “甲” 基础分  依据 办法 第一条\n\t说明 “甲”\n    分段 周岁（申请人.出生日期）：\n\t    满 18周岁 → 1分\n        其他情形  → 0分\n",
        // A line at column 0 that is not a declaration is a line of the one above.
        "分项 [甲] “甲” 基础分  依据 办法 第一条\n说明 “甲”\n   分段 周岁（申请人.出生日期）：\n     满 18周岁 → 1分\n     其他情形  → 0分\n",
    ] {
        assert_eq!(format(indented), canonical, "{indented}");
    }
}

#[test]
fn continuation_lines_line_up_with_what_they_continue() {
    let canonical = "分项 [甲] “甲” 基础分  依据 办法 第一条\n  设 次数 = 计数（违法 属于 申请人.违法记录\n                  其中 违法.类型 = 刑事处罚）\n  说明 若 次数 > 0次\n       则 “有”\n       否则 “无”\n  若 申请人.持有居住证 则\n    （若有 日 = 申请人.居住证登记日期\n      则 1分\n      # 未登记\n      否则 0分）\n  否则 0分\n";
    assert_eq!(format(canonical), canonical);
    // However the continuation lines were indented, they go under what they continue.
    let skewed = canonical
        .lines()
        .map(|l| if l.starts_with("   ") { format!("\t{}", l.trim_start()) } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n");
    assert_ne!(skewed, canonical);
    assert_eq!(format(&skewed), canonical);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn any_prefix_of_a_policy_formats_stably(file in 0usize..64, cut in 0usize..20_000, spaces in "[ \t\u{3000}\n]{0,4}") {
        let files = jf_files();
        let (_, text) = &files[file % files.len()];
        let boundary = text.char_indices().map(|(i, _)| i).take_while(|i| *i <= cut).last().unwrap_or(0);
        let messy = format!("{}{spaces}", text.get(..boundary).unwrap_or("")).replace("  ", spaces.as_str());
        let once = format(&messy);
        prop_assert_eq!(format(&once), once.clone());
        prop_assert_eq!(words(&once), words(&messy));
    }
}

/// A fresh temporary directory holding `files` (paths with `/` below it).
fn tree(tag: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = common::temp_dir_with(tag, &[]);
    for (name, text) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const FORMATTED: &str = "常量 甲  依据 办法 第一条 = 1分\n";

#[test]
fn check_walks_every_folder_below_and_names_each_unformatted_file() {
    let top = tree(
        "fmt-walk",
        &[("a.jf", FORMATTED), ("x/y/bad.jf", "常量 乙  依据 办法 第一条 =   2分\n"), ("x/y/good.jf", FORMATTED)],
    );
    let top_arg = top.to_string_lossy().into_owned();
    let bad = top.join("x/y/bad.jf").to_string_lossy().into_owned();
    for (lang, named) in [("zh", format!("未格式化：{bad}")), ("en", format!("would reformat: {bad}"))] {
        let o = common::jifen(&["fmt", "--check", "--lang", lang, &top_arg], None);
        assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
        assert!(text(&o.stdout).contains(&format!("--- {bad}")), "the diff names the file: {}", text(&o.stdout));
        assert!(text(&o.stderr).contains(&named), "{}", text(&o.stderr));
        assert!(!text(&o.stderr).contains("good.jf") && !text(&o.stderr).contains("a.jf"), "{}", text(&o.stderr));
    }
    let o = common::jifen(&["fmt", &top_arg], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(common::read(&top.join("x/y/bad.jf")), "常量 乙  依据 办法 第一条 = 2分\n");
    let o = common::jifen(&["fmt", "--check", &top_arg], None);
    assert_eq!(o.status.code(), Some(0), "a formatted tree passes: {}", text(&o.stdout));
    assert_eq!(text(&o.stdout), "");
    let _ = std::fs::remove_dir_all(&top);
}

#[test]
fn a_missing_path_an_empty_folder_and_a_foreign_file_are_refused_with_exit_2() {
    let dir = tree("fmt-refused", &[("notes/readme.md", "# notes\n"), ("record.json", "{}\n")]);
    let missing = dir.join("nonexist").to_string_lossy().into_owned();
    let notes = dir.join("notes").to_string_lossy().into_owned();
    let record = dir.join("record.json").to_string_lossy().into_owned();
    for (lang, want) in [
        (
            "zh",
            [
                format!("找不到文件或目录：{missing}"),
                format!("{notes} 及其下各级目录中没有 .jf 政策文件"),
                format!("{record}：不是 .jf 政策文件"),
            ],
        ),
        (
            "en",
            [
                format!("no such file or directory: {missing}"),
                format!("no .jf policy file in {notes} or below it"),
                format!("{record}: not a .jf policy file"),
            ],
        ),
    ] {
        for (path, want) in [&missing, &notes, &record].into_iter().zip(want) {
            let o = common::jifen(&["fmt", "--check", "--lang", lang, path], None);
            assert_eq!(o.status.code(), Some(2), "{path}: {}", text(&o.stderr));
            assert!(text(&o.stderr).contains(&want), "{lang}: {}", text(&o.stderr));
        }
    }
    assert_eq!(common::read(&dir.join("record.json")), "{}\n", "a foreign file is never touched");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fmt_gives_back_the_bundled_policies_from_a_copy_indented_by_another_editor() {
    let files = bundled();
    let policies = common::root().join("policies");
    let copies: Vec<(String, String)> = files
        .iter()
        .enumerate()
        .map(|(i, (path, text))| {
            let relative = path.strip_prefix(&policies).unwrap_or(path).to_string_lossy().into_owned();
            let style = [Style::Tabs, Style::FourSpaces, Style::Mixed][i % 3];
            (relative, reindented(text, style))
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = copies.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let dir = tree("fmt-bundled", &borrowed);
    let dir_arg = dir.to_string_lossy().into_owned();
    let o = common::jifen(&["fmt", "--check", &dir_arg], None);
    assert_eq!(o.status.code(), Some(1));
    let named = text(&o.stderr).lines().filter(|l| l.starts_with("未格式化：")).count();
    assert_eq!(named, files.len(), "each file named once: {}", text(&o.stderr));
    assert!(text(&o.stderr).contains(&format!("{} 个文件需要格式化", files.len())), "{}", text(&o.stderr));
    let o = common::jifen(&["fmt", &dir_arg], None);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    for (path, original) in &files {
        let copy = dir.join(path.strip_prefix(&policies).unwrap_or(path));
        assert!(common::read(&copy) == *original, "{} is not given back byte for byte", copy.display());
    }
    assert_eq!(common::jifen(&["fmt", "--check", &dir_arg], None).status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}
