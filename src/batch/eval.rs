//! `eval` over a batch in every format, streamed on the shared pipeline ([`super::stream::each`]):
//! the table, the JSON document (an array written element by element) and JSON Lines all run in
//! flat memory, one answer per record in input order.

use super::same_id::Repeats;
use super::stream::{each, eval_jsonl, Options, Progress, Records, StreamError, Summary};
use crate::data::{Applicant, RecordError};
use crate::eval::score;
use crate::ir::Policy;
use crate::report::json::{self, ArrayWriter, Encoder};
use crate::report::table::{Cells, Row, Table};
use std::io::Write;
use std::time::Instant;

/// The formats of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned table for a terminal.
    Table,
    /// One JSON document: the object of a single-object input, else an array.
    Json,
    /// One line per record.
    Jsonl,
}

/// A record that could not be read or scored: its line and the error (its place in the output
/// holds an error too; this is for stderr).
pub type Fault<'a> = (usize, &'a RecordError);

/// What a batch did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub summary: Summary,
    /// Lines whose id an earlier line had.
    pub repeats: Repeats,
}

/// One record scored: the applicant and evaluation, or the record's error.
fn scored(
    policy: &Policy,
    read: Result<Applicant, RecordError>,
    opts: &Options,
) -> Result<(Applicant, crate::eval::Evaluation), RecordError> {
    read.and_then(|a| {
        // The date given for the whole run, or else the record's own.
        let day = opts.as_of.unwrap_or(a.as_of);
        match score(policy, &a.value, day) {
            Ok(e) => Ok((a, e)),
            Err(e) => Err(RecordError::new(Some(a.id.clone()), e.message)),
        }
    })
}

/// Evaluate every record of `records` and write the answers in `format` to `out`; `faults` hears
/// of each record the table could not score (the JSON forms carry the error in the record's
/// place). JSON Lines over JSON Lines take the encoder's fast path.
pub fn eval(
    policy: &Policy,
    records: Records,
    format: Format,
    out: &mut dyn Write,
    faults: &mut dyn FnMut(Fault),
    opts: &Options,
    progress: Progress,
) -> Result<Outcome, StreamError> {
    let started = Instant::now();
    let single = records.single();
    let (mut ok, mut errors) = (0usize, 0usize);
    let mut count = |r: bool| if r { ok += 1 } else { errors += 1 };
    let repeats = match (format, records) {
        (Format::Jsonl, Records::Lines(input)) => {
            let (summary, repeats) = eval_jsonl(policy, input, &mut &mut *out, *opts, progress)?;
            return Ok(Outcome { summary, repeats });
        }
        (Format::Jsonl, records) => {
            let encoder = Encoder::new(policy);
            let work = |line: usize, read| {
                let mut bytes = Vec::new();
                let r = scored(policy, read, opts);
                match &r {
                    Ok((a, e)) => encoder.evaluation(&mut bytes, &a.id, e),
                    Err(err) => bytes.extend_from_slice(json::error(err, Some(line)).to_string().as_bytes()),
                }
                bytes.push(b'\n');
                (bytes, r.is_ok())
            };
            each(
                policy,
                records,
                opts,
                work,
                |(bytes, r)| {
                    count(r);
                    out.write_all(&bytes).map_err(StreamError::Write)
                },
                progress,
            )?
        }
        (Format::Json, records) => {
            let work = |line: usize, read| {
                let r = scored(policy, read, opts);
                let value = match &r {
                    Ok((a, e)) => json::evaluation(policy, a, e),
                    // A single object is one record: its error has no line to name.
                    Err(err) => json::error(err, (!single).then_some(line)),
                };
                (value, r.is_ok())
            };
            if single {
                let mut one = None;
                let repeats = each(
                    policy,
                    records,
                    opts,
                    work,
                    |(value, r)| {
                        count(r);
                        one = Some(value);
                        Ok(())
                    },
                    progress,
                )?;
                let text = serde_json::to_string_pretty(&one.unwrap_or_default()).unwrap_or_default();
                writeln!(out, "{text}").map_err(StreamError::Write)?;
                repeats
            } else {
                let mut array = ArrayWriter::default();
                let repeats = each(
                    policy,
                    records,
                    opts,
                    |line, read| {
                        let (value, r) = work(line, read);
                        (json::array_element(&value), r)
                    },
                    |(bytes, r)| {
                        count(r);
                        array.element(&bytes, out).map_err(StreamError::Write)
                    },
                    progress,
                )?;
                array.finish(out).map_err(StreamError::Write)?;
                repeats
            }
        }
        (Format::Table, records) => {
            let mut table = Table::new(policy);
            let work = |line: usize, read| {
                let r = scored(policy, read, opts);
                let cells = match &r {
                    Ok((a, e)) => Cells::of(Row::Scored { line, applicant: a, eval: e }),
                    Err(error) => Cells::of(Row::Failed { line, error }),
                };
                (cells, r.err().map(|e| (line, e)))
            };
            let repeats = each(
                policy,
                records,
                opts,
                work,
                |(cells, fault)| {
                    count(fault.is_none());
                    if let Some((line, e)) = &fault {
                        faults((*line, e));
                    }
                    table.push(cells, out).map_err(StreamError::Write)
                },
                progress,
            )?;
            table.finish(out).map_err(StreamError::Write)?;
            repeats
        }
    };
    out.flush().map_err(StreamError::Write)?;
    let summary = Summary { records: ok + errors, ok, errors, bytes: 0, elapsed: started.elapsed() };
    Ok(Outcome { summary, repeats })
}
