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
    for dir in ["policies/suzhou/2020", "policies/suzhou/2015", "tests/diagnostics"] {
        for entry in std::fs::read_dir(common::root().join(dir)).into_iter().flatten().flatten() {
            if entry.path().extension().is_some_and(|x| x == "jf") {
                out.push((entry.path(), common::read(&entry.path())));
            }
        }
    }
    out.sort();
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
    for (path, text) in jf_files().into_iter().filter(|(p, _)| p.starts_with(common::root().join("policies"))) {
        assert_eq!(format(&text), text, "run `jifen fmt {}`", path.display());
    }
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
