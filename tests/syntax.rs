//! The grammar, the keyword table and the logos token stream agree with each other.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::syntax::keywords::KEYWORDS;
use jifen::syntax::lexer::{tokenize, TokenKind};

#[test]
fn the_keyword_table_is_the_grammar_s_keyword_list() {
    let grammar = common::read(&common::root().join("grammar/jifen.pest"));
    let start = grammar.find("kw_word = _{").unwrap_or_else(|| panic!("kw_word not found"));
    let end = grammar.get(start..).and_then(|g| g.find('}')).map(|e| start + e).unwrap_or(grammar.len());
    let listed: Vec<&str> = grammar.get(start..end).unwrap_or("").split('"').skip(1).step_by(2).collect();
    let mut table: Vec<&str> = KEYWORDS.iter().flat_map(|k| [k.zh, k.en]).collect();
    let mut listed_sorted = listed.clone();
    table.sort_unstable();
    listed_sorted.sort_unstable();
    assert_eq!(table, listed_sorted);
    for k in KEYWORDS {
        assert!(grammar.contains(&format!("(\"{}\" | \"{}\")", k.zh, k.en)), "no k_ rule spells {} / {}", k.zh, k.en);
    }
}

#[test]
fn tokens_tile_every_policy_file() {
    for entry in std::fs::read_dir(common::root().join("policies/suzhou/2020")).into_iter().flatten().flatten() {
        let text = common::read(&entry.path());
        let tokens = tokenize(&text);
        let mut at = 0;
        for t in &tokens {
            assert_eq!(t.start, at, "gap before byte {} in {}", t.start, entry.path().display());
            at = t.end;
        }
        assert_eq!(at, text.len());
        assert!(tokens.iter().all(|t| t.kind != TokenKind::Error));
        let rebuilt: String = tokens.iter().filter_map(|t| text.get(t.start..t.end)).collect();
        assert_eq!(rebuilt, text);
    }
}

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/jifen.pest"]
struct Grammar;

/// Where pest sees a keyword, name, number, quantity, date or string, logos has a token with
/// exactly the same extent.
#[test]
fn pest_and_logos_agree_on_token_boundaries() {
    let mut dirs = vec![
        common::root().join("policies/suzhou/2020"),
        common::root().join("policies/suzhou/2015"),
        common::root().join("tests/diagnostics"),
    ];
    let mut checked = 0;
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "jf") {
                continue;
            }
            let text = common::read(&path);
            let Ok(pairs) = <Grammar as pest::Parser<Rule>>::parse(Rule::file, &text) else { continue };
            let all = tokenize(&text);
            let tokens: Vec<(usize, usize)> = all.iter().map(|t| (t.start, t.end)).collect();
            // Holes of a template (`“不满{申请人.社保连续月数}”`) are inside one string token.
            let strings: Vec<(usize, usize)> =
                all.iter().filter(|t| t.kind == TokenKind::String).map(|t| (t.start, t.end)).collect();
            for pair in pairs.flatten() {
                let rule = pair.as_rule();
                let inside_string =
                    strings.iter().any(|(s, e)| *s < pair.as_span().start() && pair.as_span().end() < *e);
                if inside_string {
                    continue;
                }
                let atomic = matches!(
                    rule,
                    Rule::ident
                        | Rule::article
                        | Rule::quantity
                        | Rule::date_lit
                        | Rule::month_day
                        | Rule::string
                        | Rule::template
                ) || format!("{rule:?}").starts_with("k_")
                    || (rule == Rule::number && !pair.as_str().is_empty());
                if !atomic {
                    continue;
                }
                let span = (pair.as_span().start(), pair.as_span().end());
                // A number inside a quantity is part of the quantity token; an article written with
                // Arabic numerals (`第1条`, warned about by W0002) is several tokens.
                let digits_in_article = rule == Rule::article && pair.as_str().bytes().any(|b| b.is_ascii_digit());
                if (rule == Rule::number && !tokens.contains(&span)) || digits_in_article {
                    continue;
                }
                assert!(
                    tokens.contains(&span),
                    "{}: {rule:?} `{}` at {span:?} is not one token",
                    path.display(),
                    pair.as_str()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} tokens compared");
}

/// The same policy written with English keyword aliases and ASCII punctuation compiles to the same
/// IR: aliases and full-width twins are spellings, not different programs.
#[test]
fn english_aliases_and_ascii_punctuation_give_the_same_ir() {
    let dir = common::root().join("policies/suzhou/2020");
    let original = jifen::load_policy(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut sources = jifen::syntax::span::SourceMap::default();
    for (_, file) in original.sources.files() {
        let text = &file.text;
        let mut out = String::new();
        // A 【title】 in 条文 is the law's wording, not code: it stays as written.
        let mut in_title = false;
        for t in tokenize(text) {
            let s = text.get(t.start..t.end).unwrap_or("");
            if in_title || s == "【" {
                in_title = s != "】";
                out.push_str(s);
                continue;
            }
            match t.kind {
                TokenKind::Keyword => {
                    let alias = KEYWORDS.iter().find(|k| k.zh == s).map(|k| k.en).unwrap_or(s);
                    // A declaration keyword stays at column 0, where declarations begin.
                    let at_line_start = out.is_empty() || out.ends_with('\n');
                    out.push_str(&format!("{}{alias} ", if at_line_start { "" } else { " " }));
                }
                TokenKind::Punct => out.push_str(match s {
                    "（" => "(",
                    "）" => ")",
                    "：" => ":",
                    "，" | "、" => ",",
                    "；" => ";",
                    // 【】 stay: in 条文 a 【title】 is not an [id].
                    "→" => "->",
                    "≥" => ">=",
                    "≤" => "<=",
                    "×" => "*",
                    "÷" => "/",
                    "−" => "-",
                    other => other,
                }),
                _ => out.push_str(s),
            }
        }
        sources.add(file.path.clone(), out);
    }
    let english = jifen::compile(sources);
    assert!(english.diagnostics.0.is_empty(), "{:?}", english.diagnostics.0.first());
    let ir = |l: &jifen::Loaded| serde_json::to_value(l.compiled.as_ref().map(|c| &c.policy)).unwrap_or_default();
    let (a, b) = (ir(&original), ir(&english));
    assert!(a == b, "the IRs differ at {}", first_difference(&a, &b, String::new()));
}

/// The path of the first place two JSON values differ, with both sides there.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, path: String) -> String {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                if y.get(k) != Some(v) {
                    return first_difference(v, y.get(k).unwrap_or(&Value::Null), format!("{path}.{k}"));
                }
            }
            format!("{path}: keys {:?} vs {:?}", x.keys().collect::<Vec<_>>(), y.keys().collect::<Vec<_>>())
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if v != w {
                    return first_difference(v, w, format!("{path}[{i}]"));
                }
            }
            path
        }
        _ => format!("{path}: {a} vs {b}"),
    }
}
