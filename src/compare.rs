//! Comparing two versions for officials, as one pipeline the CLI (or a service) calls: the diff;
//! with a population, its impact and attribution; rendered for a terminal, a memo or a program.
//! Also one applicant's explanations under both versions, side by side.

use crate::batch::same_id::{Repeats, SameIds};
use crate::batch::stream::{blocks, Event, Options, StreamError};
use crate::data::{self, Applicant, Read};
use crate::diag::Msg;
use crate::diff::{self, impact};
use crate::eval::evaluate;
use crate::ir::{Compiled, Policy};
use crate::report::{self, explain};
use crate::syntax::span::SourceMap;
use chrono::NaiveDate;
use std::io::{BufRead, Write};
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

/// Applicant records as given: the records, their name for the memo, and the evaluation date that
/// replaces each record's own (`--as-of`).
pub struct Population<'a> {
    pub records: Records<'a>,
    pub name: String,
    pub as_of: Option<NaiveDate>,
}

/// Where the records come from.
pub enum Records<'a> {
    /// One JSON object or an array of them, in memory.
    Json(&'a str),
    /// JSON Lines (a file or stdin), read a block at a time: the input is never held whole.
    Lines(Box<dyn BufRead + 'a>),
}

#[derive(Debug, Clone)]
pub struct Report {
    /// Records that could not be read or evaluated under one of the versions.
    pub invalid: usize,
    /// Lines whose 编号 an earlier line already had: one applicant counted twice in the impact.
    pub repeats: crate::batch::same_id::Repeats,
}

/// Why a comparison stopped before its end.
#[derive(Debug)]
pub enum CompareFailure {
    /// The population could not be read (a file that went away, a disk error).
    Read(std::io::Error),
    /// A list kept in a temporary file could not be written or read back.
    Spill(std::io::Error),
    /// The output could not be written (a reader that closed it is `ErrorKind::BrokenPipe`); the
    /// comparison itself was complete.
    Write { error: std::io::Error, report: Report },
}

fn read(compiled: &Compiled, text: &str, jsonl: bool) -> Vec<Read> {
    if jsonl {
        data::read_jsonl(&compiled.policy, text)
    } else {
        data::read_json(&compiled.policy, text)
    }
}

/// The impact over JSON Lines, on every core: the batch pipeline reads and scores each record under
/// both versions in parallel, and hands the records over in input order (through a channel of a
/// few blocks, so memory does not grow with the input) to the one pass that counts them.
fn impact_jsonl(
    d: &diff::Diff,
    po: &Policy,
    pn: &Policy,
    input: Box<dyn BufRead + '_>,
    as_of: Option<NaiveDate>,
    keep: impact::Keep,
) -> Result<(impact::Impact, Repeats), CompareFailure> {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut opts = Options::new(jobs, as_of);
    // Two evaluations a record: smaller blocks keep what is in flight small.
    opts.block = 1024;
    let (to_count, prepared) = std::sync::mpsc::sync_channel::<Vec<impact::Prepared>>(2);
    std::thread::scope(|scope| {
        let work = |first_line: usize, lines: &[Vec<u8>]| {
            let mut ids = SameIds::default();
            let prepared = lines
                .iter()
                .enumerate()
                .map(|(i, bytes)| {
                    let line = first_line + i;
                    let read = |p: &Policy| data::read_jsonl_line(p, line, bytes);
                    let (ro, rn) = (read(po), read(pn));
                    ids.note_read(line, &rn);
                    impact::prepare(po, pn, (line, ro), (line, rn), as_of)
                })
                .collect::<Vec<_>>();
            (prepared, ids)
        };
        let mut same = SameIds::default();
        // The input is read here (stdin cannot move to another thread); the counting runs beside.
        let counting = scope.spawn(move || impact::impact(d, po, pn, prepared.into_iter().flatten(), keep));
        let read = blocks(input, &opts, work, |event| {
            if let Event::Done((part, ids)) = event {
                same.extend(ids);
                // The counting pass ends only with the input, so a closed channel cannot happen.
                to_count.send(part).map_err(|_| StreamError::Write(std::io::ErrorKind::BrokenPipe.into()))?;
            }
            Ok(())
        });
        // The end of the input: the counting pass ends when the channel closes.
        drop(to_count);
        let counted = counting.join();
        match (read, counted) {
            (Err(StreamError::Read(e) | StreamError::Write(e)), _) => Err(CompareFailure::Read(e)),
            (Ok(()), Ok(imp)) => Ok((imp, same.finish())),
            (Ok(()), Err(_)) => {
                Err(CompareFailure::Read(std::io::Error::other("影响计算中断（内部错误），请报告此问题")))
            }
        }
    })
}

/// The diff of two versions, with the impact on a population when one is given, written to `out`.
/// A population is read once, a block at a time: memory stays flat however many applicants it
/// holds (the JSON list of every applicant who moved goes on in a temporary file past a few
/// thousand).
pub fn compare(
    old: Version,
    new: Version,
    population: Option<Population>,
    format: Format,
    out: &mut dyn Write,
) -> Result<Report, CompareFailure> {
    let d = diff::diff(&old.compiled.policy, &new.compiled.policy);
    let Some(p) = population else {
        let output = match format {
            Format::Text => report::diff::text(&d),
            Format::Markdown => report::memo::memo(&d),
            Format::Json => {
                let json = report::diff::json(&d).map_err(|e| CompareFailure::Write {
                    error: e.into(),
                    report: Report { invalid: 0, repeats: Repeats::default() },
                })?;
                format!("{json}\n")
            }
        };
        let report = Report { invalid: 0, repeats: Repeats::default() };
        return match out.write_all(output.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Ok(report),
            Err(error) => Err(CompareFailure::Write { error, report }),
        };
    };
    let (po, pn) = (&old.compiled.policy, &new.compiled.policy);
    // Programs get every applicant who moved; people get the largest movements.
    let keep = if format == Format::Json { impact::Keep::All } else { impact::Keep::Largest(10) };
    let (imp, repeats) = match p.records {
        Records::Lines(input) => impact_jsonl(&d, po, pn, input, p.as_of, keep)?,
        Records::Json(text) => {
            let new_reads = read(new.compiled, text, false);
            let repeats = SameIds::of(&new_reads);
            let pairs = read(old.compiled, text, false).into_iter().zip(new_reads);
            let prepared = pairs.map(|(ro, rn)| impact::prepare(po, pn, ro, rn, p.as_of));
            (impact::impact(&d, po, pn, prepared, keep), repeats)
        }
    };
    let report = Report { invalid: imp.invalid.len(), repeats };
    let failed = |error| CompareFailure::Write { error, report: report.clone() };
    match format {
        Format::Text => {
            let text = report::diff::text_with(&d, Some((&imp, p.as_of)));
            out.write_all(text.as_bytes()).map_err(failed)?;
        }
        Format::Json => report::diff::write_json_with_impact(&d, &imp, out).map_err(|e| match e {
            report::diff::WriteFailure::Spill(e) => CompareFailure::Spill(e),
            report::diff::WriteFailure::Output(e) => failed(e),
        })?,
        Format::Markdown => {
            let examples = explained_examples(old, new, p.as_of, &imp);
            let memo = report::memo::MemoImpact {
                impact: &imp,
                input: p.name.clone(),
                as_of: p.as_of,
                examples,
                modelled: report::explain::modelled_note(&new.compiled.policy),
            };
            let text = report::memo::memo_with(&d, Some(&memo));
            out.write_all(text.as_bytes()).map_err(failed)?;
        }
    }
    out.flush().map_err(failed)?;
    Ok(report)
}

/// For the memo: the applicant whose total moved most, and the first whose status changed for
/// each purpose, explained under both versions.
fn explained_examples(
    old: Version,
    new: Version,
    as_of: Option<NaiveDate>,
    imp: &impact::Impact,
) -> Vec<report::memo::ExplainedExample> {
    // The memo's applicants are the few an impact keeps in memory, with their records (always in
    // memory with Keep::Largest; otherwise the memo has no worked examples, and its table of
    // movers says why).
    let kept = imp.applicants.all_in_memory().unwrap_or_default();
    let mut chosen: Vec<(String, String)> = Vec::new();
    if let Some(m) = report::memo::largest_movements(kept, 1).first() {
        chosen.push((m.applicant.clone(), "总分变动最大".into()));
    }
    for purpose in imp.purposes.iter().map(|x| x.name.as_str()) {
        let first = kept.iter().find(|m| m.purposes.iter().any(|o| o.name == purpose && o.old.status != o.new.status));
        if let Some(m) = first {
            if !chosen.iter().any(|(id, _)| *id == m.applicant) {
                chosen.push((m.applicant.clone(), format!("{purpose}的判定改变")));
            }
        }
    }
    chosen
        .into_iter()
        .filter_map(|(id, why)| {
            let (a, b) = kept.iter().find(|m| m.applicant == id)?.records.as_deref()?;
            let (left, right) = explain_both(old, new, a, b, as_of)?;
            Some(report::memo::ExplainedExample { applicant: id, why, old: left, new: right })
        })
        .collect()
}

fn explain_both(
    old: Version,
    new: Version,
    a: &Applicant,
    b: &Applicant,
    as_of: Option<NaiveDate>,
) -> Option<(String, String)> {
    let opts = explain::ExplainOptions { source: false };
    // The date given for the comparison, or else the new version's reading of the record.
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
    /// The record cannot be read under this version: why, in both languages.
    Unreadable {
        version: String,
        message: Msg,
    },
    /// The record cannot be evaluated under this version: why, in both languages.
    Unevaluable {
        version: String,
        message: Msg,
    },
}

/// One applicant's explanations under both versions, side by side: lines that stay the same are
/// aligned, lines that differ are marked `│≠`.
pub fn explain_side_by_side(
    old: Version,
    new: Version,
    (text, jsonl): (&str, bool),
    as_of: Option<NaiveDate>,
    applicant: &str,
) -> Result<String, CompareError> {
    let (olds, news) = (read(old.compiled, text, jsonl), read(new.compiled, text, jsonl));
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
    // The date given for the comparison, or else the new version's reading of the record.
    let day = as_of.unwrap_or(b.as_of);
    let opts = explain::ExplainOptions { source: false };
    let eval = |v: Version, x: &Applicant| {
        evaluate(&v.compiled.policy, &x.value, day)
            .map_err(|e| CompareError::Unevaluable { version: v.compiled.policy.version.clone(), message: e.message })
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
        // A control character takes no column.
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
            // The side with fewer pieces is blank beside the other's last ones.
            let a = xs.get(k).map(String::as_str).unwrap_or("");
            let b = ys.get(k).map(String::as_str).unwrap_or("");
            out.push_str(format!("{} {mark} {b}", pad(a)).trim_end());
            out.push('\n');
        }
    };
    let diff = similar::TextDiff::from_lines(left, right);
    // The diff's own lines (without their ends, as `str::lines` gives them), so that its ranges
    // always index them: no line can drop out of the comparison.
    fn line(s: &str) -> &str {
        match s.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => s,
        }
    }
    let (ls, rs): (Vec<&str>, Vec<&str>) =
        (diff.old_slices().iter().map(|s| line(s)).collect(), diff.new_slices().iter().map(|s| line(s)).collect());
    for op in diff.ops() {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        // The ranges are the diff's, over these very lines: the slices are always there.
        let l: Vec<&str> = ls.get(old_range).unwrap_or_default().to_vec();
        let r: Vec<&str> = rs.get(new_range).unwrap_or_default().to_vec();
        let mark = if matches!(op, similar::DiffOp::Equal { .. }) { '│' } else { '≠' };
        for k in 0..l.len().max(r.len()) {
            // A replaced block's shorter side is blank beside the other's extra lines.
            row(l.get(k).copied().unwrap_or(""), r.get(k).copied().unwrap_or(""), mark);
        }
    }
    out
}
