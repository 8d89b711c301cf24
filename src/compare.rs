//! Comparing two versions for officials, as one pipeline the CLI (or a service) calls: the diff;
//! with a population, its impact and attribution; rendered for a terminal, a memo or a program.
//! Also one applicant's explanations under both versions, side by side.

use crate::batch::stream::{blocks, Event, Options, StreamError};
use crate::data::{self, Applicant, Read};
use crate::diff::{self, impact};
use crate::eval::evaluate;
use crate::ir::{Compiled, Policy};
use crate::report::{self, explain};
use crate::syntax::span::SourceMap;
use chrono::NaiveDate;
use unicode_width::UnicodeWidthStr;

/// A compiled version with its sources (explanations quote the policy's lines).
#[derive(Clone, Copy)]
pub struct Version<'a> {
    pub compiled: &'a Compiled,
    pub sources: &'a SourceMap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Applicant records as given: the text, whether it is JSON Lines, its name for the memo, and the
/// evaluation date that replaces each record's own (`--as-of`).
pub struct Population<'a> {
    pub text: &'a str,
    pub jsonl: bool,
    pub name: String,
    pub as_of: Option<NaiveDate>,
}

pub struct Report {
    pub output: String,
    /// Records that could not be read or evaluated under one of the versions.
    pub invalid: usize,
}

fn read(compiled: &Compiled, p: &Population) -> Vec<Read> {
    if p.jsonl {
        data::read_jsonl(&compiled.policy, p.text)
    } else {
        data::read_json(&compiled.policy, p.text)
    }
}

/// The impact over JSON Lines, on every core: the batch pipeline reads and scores each record under
/// both versions in parallel, and hands the records over in input order (through a channel of a
/// few blocks, so memory does not grow with the input) to the one pass that counts them.
fn impact_jsonl(d: &diff::Diff, po: &Policy, pn: &Policy, p: &Population, keep: impact::Keep) -> impact::Impact {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut opts = Options::new(jobs, p.as_of);
    // Two evaluations a record: smaller blocks keep what is in flight small.
    opts.block = 1024;
    let (to_count, prepared) = std::sync::mpsc::sync_channel::<Vec<impact::Prepared>>(2);
    std::thread::scope(|scope| {
        let work = |first_line: usize, lines: &[Vec<u8>]| {
            lines
                .iter()
                .enumerate()
                .map(|(i, bytes)| {
                    let line = first_line + i;
                    let text = String::from_utf8_lossy(bytes);
                    let (ro, rn) = (data::read_record(po, &text), data::read_record(pn, &text));
                    impact::prepare(po, pn, (line, ro), (line, rn), p.as_of)
                })
                .collect::<Vec<_>>()
        };
        scope.spawn(move || {
            // The text is in memory: reading cannot fail, and a closed channel only means the
            // counting pass has stopped.
            let _ = blocks(p.text.as_bytes(), &opts, work, |event| {
                if let Event::Done(part) = event {
                    to_count.send(part).map_err(|_| StreamError::Write(std::io::ErrorKind::BrokenPipe.into()))?;
                }
                Ok(())
            });
        });
        impact::impact(d, po, pn, prepared.into_iter().flatten(), keep)
    })
}

pub fn compare(old: Version, new: Version, population: Option<Population>, format: Format) -> Report {
    let d = diff::diff(&old.compiled.policy, &new.compiled.policy);
    let Some(p) = population else {
        let output = match format {
            Format::Text => report::diff::text(&d),
            Format::Markdown => report::memo::memo(&d),
            Format::Json => format!("{}\n", report::diff::json(&d)),
        };
        return Report { output, invalid: 0 };
    };
    let (po, pn) = (&old.compiled.policy, &new.compiled.policy);
    // Programs get every applicant who moved; people get the largest movements.
    let keep = if format == Format::Json { impact::Keep::All } else { impact::Keep::Largest(10) };
    let imp = if p.jsonl {
        impact_jsonl(&d, po, pn, &p, keep)
    } else {
        let pairs = read(old.compiled, &p).into_iter().zip(read(new.compiled, &p));
        let prepared = pairs.map(|(ro, rn)| impact::prepare(po, pn, ro, rn, p.as_of));
        impact::impact(&d, po, pn, prepared, keep)
    };
    let output = match format {
        Format::Text => report::diff::text_with(&d, Some((&imp, p.as_of))),
        Format::Json => format!("{}\n", report::diff::json_with_impact(&d, &imp)),
        Format::Markdown => {
            let examples = explained_examples(old, new, &p, &imp);
            let memo = report::memo::MemoImpact {
                impact: &imp,
                input: p.name.clone(),
                as_of: p.as_of,
                examples,
                modelled: report::explain::modelled_note(&new.compiled.policy),
            };
            report::memo::memo_with(&d, Some(&memo))
        }
    };
    Report { output, invalid: imp.invalid.len() }
}

/// For the memo: the applicant whose total moved most, and the first whose status changed for
/// each purpose, explained under both versions.
fn explained_examples(
    old: Version,
    new: Version,
    p: &Population,
    imp: &impact::Impact,
) -> Vec<report::memo::ExplainedExample> {
    let mut chosen: Vec<(String, String)> = Vec::new();
    if let Some(m) = report::memo::largest_movements(imp, 1).first() {
        chosen.push((m.applicant.clone(), "总分变动最大".into()));
    }
    for purpose in imp.purposes.iter().map(|x| x.name.as_str()) {
        let first = imp
            .applicants
            .iter()
            .find(|m| m.purposes.iter().any(|o| o.name == purpose && o.old.status != o.new.status));
        if let Some(m) = first {
            if !chosen.iter().any(|(id, _)| *id == m.applicant) {
                chosen.push((m.applicant.clone(), format!("{purpose}的判定改变")));
            }
        }
    }
    chosen
        .into_iter()
        .filter_map(|(id, why)| {
            let (a, b) = find_pair(old, new, p, &id)?;
            let (left, right) = explain_both(old, new, &a, &b, p.as_of)?;
            Some(report::memo::ExplainedExample { applicant: id, why, old: left, new: right })
        })
        .collect()
}

/// One applicant's record read under both versions, found without keeping the others.
fn find_pair(old: Version, new: Version, p: &Population, id: &str) -> Option<(Applicant, Applicant)> {
    let both = |text: &str| {
        let b = data::read_record(&new.compiled.policy, text).ok().filter(|b| b.id == id)?;
        let a = data::read_record(&old.compiled.policy, text).ok()?;
        Some((a, b))
    };
    if p.jsonl {
        data::jsonl_lines(p.text).find_map(|(_, line)| both(line))
    } else {
        let (olds, news) = (read(old.compiled, p), read(new.compiled, p));
        let pick = |reads: &[Read]| reads.iter().filter_map(|(_, r)| r.as_ref().ok()).find(|a| a.id == id).cloned();
        Some((pick(&olds)?, pick(&news)?))
    }
}

fn explain_both(
    old: Version,
    new: Version,
    a: &Applicant,
    b: &Applicant,
    as_of: Option<NaiveDate>,
) -> Option<(String, String)> {
    let opts = explain::ExplainOptions { source: false };
    let day = as_of.unwrap_or(b.as_of);
    let eo = evaluate(&old.compiled.policy, &a.value, day).ok()?;
    let en = evaluate(&new.compiled.policy, &b.value, day).ok()?;
    Some((
        explain::explain(old.compiled, old.sources, a, &eo, opts),
        explain::explain(new.compiled, new.sources, b, &en, opts),
    ))
}

/// Why an applicant cannot be explained under both versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    NotFound(String),
    Unreadable { version: String, message: String },
    Unevaluable { version: String, message: String },
}

/// One applicant's explanations under both versions, side by side: lines that stay the same are
/// aligned, lines that differ are marked `│≠`.
pub fn explain_side_by_side(
    old: Version,
    new: Version,
    population: &Population,
    applicant: &str,
) -> Result<String, CompareError> {
    let (olds, news) = (read(old.compiled, population), read(new.compiled, population));
    let pick = |reads: &[Read], version: &str| -> Result<Applicant, CompareError> {
        for (_, r) in reads {
            match r {
                Ok(a) if a.id == applicant => return Ok(a.clone()),
                Err(e) if e.applicant.as_deref() == Some(applicant) => {
                    return Err(CompareError::Unreadable { version: version.into(), message: e.message.clone() })
                }
                _ => {}
            }
        }
        Err(CompareError::NotFound(applicant.into()))
    };
    let a = pick(&olds, &old.compiled.policy.version)?;
    let b = pick(&news, &new.compiled.policy.version)?;
    let day = population.as_of.unwrap_or(b.as_of);
    let opts = explain::ExplainOptions { source: false };
    let eval = |v: Version, x: &Applicant| {
        evaluate(&v.compiled.policy, &x.value, day).map_err(|e| CompareError::Unevaluable {
            version: v.compiled.policy.version.clone(),
            message: e.message.zh,
        })
    };
    let (eo, en) = (eval(old, &a)?, eval(new, &b)?);
    let left = explain::explain(old.compiled, old.sources, &a, &eo, opts);
    let right = explain::explain(new.compiled, new.sources, &b, &en, opts);
    Ok(side_by_side(
        &left,
        &right,
        &format!("{} 版", old.compiled.policy.version),
        &format!("{} 版", new.compiled.policy.version),
    ))
}

/// The width of each column of a side-by-side view, in terminal columns.
const COLUMN: usize = 64;

/// A line cut into pieces no wider than the column (a CJK character is two columns wide), at a
/// space or after punctuation when there is one late enough, so numbers and dates stay whole.
fn wrap(line: &str) -> Vec<String> {
    let width_of = |t: &str| UnicodeWidthStr::width(t);
    let breakable = |c: char| c == ' ' || "，；。、：）".contains(c);
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in line.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if width_of(&current) + w > COLUMN {
            let cut = current
                .char_indices()
                .rev()
                .filter(|(_, c)| breakable(*c))
                .map(|(i, c)| i + c.len_utf8())
                .find(|i| current.get(..*i).is_some_and(|head| width_of(head) >= COLUMN / 2));
            let rest = match cut {
                Some(i) if i < current.len() => current.split_off(i),
                _ => String::new(),
            };
            out.push(std::mem::take(&mut current).trim_end().to_string());
            // Continuation pieces are indented, so a wrapped line reads as one.
            current = format!("  {}", rest.trim_start());
        }
        current.push(ch);
    }
    out.push(current);
    out
}

/// Two texts in columns, equal lines aligned (by a line diff), lines that differ marked `≠`, long
/// lines wrapped within their column.
pub fn side_by_side(left: &str, right: &str, left_title: &str, right_title: &str) -> String {
    let pad = |s: &str| format!("{s}{}", " ".repeat(COLUMN.saturating_sub(UnicodeWidthStr::width(s))));
    let mut out = format!("{} │ {right_title}\n{}─┼─{}\n", pad(left_title), "─".repeat(COLUMN), "─".repeat(COLUMN));
    let mut row = |x: &str, y: &str, mark: char| {
        let (xs, ys) = (wrap(x), wrap(y));
        for k in 0..xs.len().max(ys.len()) {
            let a = xs.get(k).map(String::as_str).unwrap_or("");
            let b = ys.get(k).map(String::as_str).unwrap_or("");
            out.push_str(format!("{} {mark} {b}", pad(a)).trim_end());
            out.push('\n');
        }
    };
    let (ls, rs): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    let diff = similar::TextDiff::from_lines(left, right);
    for op in diff.ops() {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        let l: Vec<&str> = ls.get(old_range).unwrap_or_default().to_vec();
        let r: Vec<&str> = rs.get(new_range).unwrap_or_default().to_vec();
        let mark = if matches!(op, similar::DiffOp::Equal { .. }) { '│' } else { '≠' };
        for k in 0..l.len().max(r.len()) {
            row(l.get(k).copied().unwrap_or(""), r.get(k).copied().unwrap_or(""), mark);
        }
    }
    out
}
