//! Mutation testing of the bundled policies' own tests (测试): every number, date and day of the
//! year in a rule (see `rule_ranges`) is moved by one step, down and up; a mutant is killed when `check` rejects it or
//! some test of the policy fails. The figure is the share of mutants killed.
//!
//! `cargo test --release --test mutation -- --nocapture` prints the figure and every survivor;
//! the test fails below 90% for either version.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use chrono::{Datelike, Duration, NaiveDate};
use jifen::syntax::keywords::begins_declaration;
use jifen::syntax::lexer::{tokenize, TokenKind};
use jifen::syntax::span::SourceMap;

/// The smallest step of a number as written: `24` → 1, `0.5` → 0.1.
fn step_number(digits: &str, up: bool) -> Option<String> {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let scale = frac.len();
    let whole: i64 = format!("{int}{frac}").parse().ok()?;
    let moved = if up { whole + 1 } else { whole - 1 };
    if moved < 0 {
        return None;
    }
    let text = format!("{moved:0width$}", width = scale + 1);
    let (i, f) = text.split_at(text.len() - scale);
    Some(if scale == 0 { i.to_string() } else { format!("{i}.{f}") })
}

fn step_date(text: &str, up: bool) -> Option<String> {
    let d = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    let moved = if up { d + Duration::days(1) } else { d - Duration::days(1) };
    Some(moved.format("%Y-%m-%d").to_string())
}

/// `5月1日` one day earlier or later, in a leap year so that 2月29日 exists.
fn step_month_day(text: &str, up: bool) -> Option<String> {
    let (prefix, rest) = match text.strip_prefix("次年") {
        Some(r) => ("次年", r),
        None => ("", text),
    };
    let (m, d) = rest.trim_end_matches('日').split_once('月')?;
    let day = NaiveDate::from_ymd_opt(2000, m.parse().ok()?, d.parse().ok()?)?;
    let moved = if up { day + Duration::days(1) } else { day - Duration::days(1) };
    if moved.year() != 2000 {
        return None;
    }
    Some(format!("{prefix}{}月{}日", moved.month(), moved.day()))
}

/// A literal moved by one step: the number part of a quantity, a date, a day of the year.
fn mutate(kind: TokenKind, text: &str, up: bool) -> Option<String> {
    match kind {
        TokenKind::Number => step_number(text, up),
        TokenKind::Quantity => {
            let end = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
            let (digits, unit) = text.split_at(end);
            Some(format!("{}{unit}", step_number(digits, up)?))
        }
        TokenKind::Date if text.contains('月') => step_month_day(text, up),
        TokenKind::Date => step_date(text, up),
        _ => None,
    }
}

/// The byte ranges of the rules in a file: what decides statuses and points. Left out: the
/// articles' text (条文), the tests themselves (样例, 测试), the policy's and documents' metadata
/// (政策, 文件: their 施行 dates only word a warning) and static assertions (约束, proved by
/// `check`, not by tests).
fn rule_ranges(text: &str) -> Vec<(usize, usize)> {
    jifen::syntax::parser::declaration_pieces(text)
        .into_iter()
        .filter(|(_, piece)| begins_declaration(piece))
        .filter(|(_, piece)| !["条文", "样例", "测试", "政策", "文件", "约束"].iter().any(|k| piece.starts_with(k)))
        .map(|(at, piece)| (at, at + piece.len()))
        .collect()
}

struct Figure {
    mutants: usize,
    killed: usize,
    survivors: Vec<String>,
    /// Mutants whose semantic diff against the original is not exactly one change.
    diff_misses: Vec<String>,
}

/// Whether the mutant is killed, and how many changes `jifen diff` finds against the original
/// (one figure moved is one change).
fn killed(sources: SourceMap, original: &jifen::ir::Policy) -> (bool, Option<usize>) {
    use jifen::diff::{ChangeKind, Subject};
    let mut loaded = jifen::compile(sources);
    common::render_every_way(&loaded);
    let Some(compiled) = loaded.compiled.take() else { return (true, None) };
    let diff = jifen::diff::diff(original, &compiled.policy);
    // A table's key is its row's identity: moving it removes one row and adds another.
    let key_moved = matches!(
        diff.changes.as_slice(),
        [a, b] if a.subject == Subject::TableRow && b.subject == Subject::TableRow
            && a.kind == ChangeKind::Removed && b.kind == ChangeKind::Added
            && a.id.split('/').next() == b.id.split('/').next()
    );
    let changes = if key_moved { 1 } else { diff.changes.len() };
    (jifen::testing::run_all(&compiled.policy).iter().any(|o| !o.passed()), Some(changes))
}

fn mutation_figure(version: &str) -> Figure {
    let dir = common::root().join("policies/suzhou").join(version);
    let original = jifen::load_policy(&dir).unwrap_or_else(|e| panic!("{e}"));
    // A mutant counts as killed only against a policy that checks clean and passes its own tests.
    assert!(original.diagnostics.0.is_empty(), "{version} does not check clean: {:?}", original.diagnostics.0.first());
    let compiled = original.compiled.as_ref().unwrap_or_else(|| panic!("{version} does not compile"));
    let failing: Vec<String> = jifen::testing::run_all(&compiled.policy)
        .iter()
        .filter(|o| !o.passed())
        .filter_map(|o| compiled.policy.tests.get(o.index).map(|t| t.name.clone()))
        .collect();
    assert!(failing.is_empty(), "{version}: tests fail before any mutation: {failing:?}");
    let files: Vec<(String, String)> =
        original.sources.files().map(|(_, f)| (f.path.clone(), f.text.clone())).collect();
    let mut figure = Figure { mutants: 0, killed: 0, survivors: Vec::new(), diff_misses: Vec::new() };
    for (index, (path, text)) in files.iter().enumerate() {
        let rules = rule_ranges(text);
        for t in tokenize(text) {
            if !rules.iter().any(|(a, b)| *a <= t.start && t.end <= *b) {
                continue;
            }
            let Some(literal) = text.get(t.start..t.end) else { continue };
            for up in [false, true] {
                let Some(moved) = mutate(t.kind, literal, up) else { continue };
                let mutated =
                    format!("{}{moved}{}", text.get(..t.start).unwrap_or(""), text.get(t.end..).unwrap_or(""));
                let mut sources = SourceMap::default();
                for (j, (p, f)) in files.iter().enumerate() {
                    sources.add(p.clone(), if j == index { mutated.clone() } else { f.clone() });
                }
                figure.mutants += 1;
                let line = text.get(..t.start).unwrap_or("").matches('\n').count() + 1;
                let file = path.rsplit('/').next().unwrap_or(path);
                let (dead, changes) = killed(sources, &compiled.policy);
                if dead {
                    figure.killed += 1;
                } else {
                    figure.survivors.push(format!("{file}:{line} {literal} → {moved}"));
                }
                if changes.is_some_and(|n| n != 1) {
                    figure.diff_misses.push(format!("{file}:{line} {literal} → {moved}: {changes:?} changes"));
                }
            }
        }
    }
    figure
}

#[test]
fn the_policies_own_tests_notice_a_figure_moved_by_one_step() {
    for version in ["2020", "2015"] {
        let f = mutation_figure(version);
        let share = f.killed * 1000 / f.mutants.max(1);
        println!("{version}: {} of {} mutants killed ({}.{}%)", f.killed, f.mutants, share / 10, share % 10);
        for s in &f.survivors {
            println!("  survived: {s}");
        }
        assert!(f.mutants > 100, "{version}: only {} mutants", f.mutants);
        assert!(f.diff_misses.is_empty(), "{version}: one figure moved is not one change: {:?}", f.diff_misses);
        assert!(f.killed * 10 >= f.mutants * 9, "{version}: {} of {} mutants killed, below 90%", f.killed, f.mutants);
    }
}

#[test]
fn steps_of_one() {
    assert_eq!(step_number("24", false).as_deref(), Some("23"));
    assert_eq!(step_number("0.5", true).as_deref(), Some("0.6"));
    assert_eq!(step_number("0.5", false).as_deref(), Some("0.4"));
    assert_eq!(step_number("10", false).as_deref(), Some("9"));
    assert_eq!(mutate(TokenKind::Quantity, "30万元", true).as_deref(), Some("31万元"));
    assert_eq!(step_date("2023-12-31", true).as_deref(), Some("2024-01-01"));
    assert_eq!(step_month_day("3月1日", false).as_deref(), Some("2月29日"));
    assert_eq!(step_month_day("次年1月31日", true).as_deref(), Some("次年2月1日"));
}
