//! Evaluating a stream of JSON Lines records in flat memory on every core: the input is read a
//! block of lines at a time, each block's records are decoded and evaluated in parallel, and the
//! answers are written in input order — exactly one output line per input line, a record that
//! cannot be read or scored answered in its place. Memory holds one block, whatever the input's size.

use crate::data::{self, RecordError};
use crate::eval::evaluate;
use crate::ir::Policy;
use crate::report::json;
use chrono::NaiveDate;
use std::io::{BufRead, Write};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads (at least one).
    pub jobs: usize,
    /// Evaluate every record on this date instead of its own 评估日.
    pub as_of: Option<NaiveDate>,
    /// Lines read and evaluated together before their answers are written.
    pub block: usize,
}

impl Options {
    pub fn new(jobs: usize, as_of: Option<NaiveDate>) -> Self {
        Options { jobs: jobs.max(1), as_of, block: 4096 }
    }
}

/// What a batch did, as its closing line reports it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Summary {
    pub records: usize,
    pub ok: usize,
    pub errors: usize,
    /// Bytes of input read so far (for a progress bar over a file of known size).
    pub bytes: u64,
    pub elapsed: Duration,
}

impl Summary {
    /// Records per second, over the whole run.
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.records as f64 / secs
        } else {
            0.0
        }
    }
}

/// Why a batch stopped before its end: the input could not be read or the output written.
#[derive(Debug)]
pub enum StreamError {
    Read(std::io::Error),
    Write(std::io::Error),
}

/// One input line's answer: the contract's JSON for the record, or its error with the line number.
fn answer(policy: &Policy, line: usize, text: &str, as_of: Option<NaiveDate>) -> (String, bool) {
    let result = data::read_record(policy, text).and_then(|a| {
        let day = as_of.unwrap_or(a.as_of);
        match evaluate(policy, &a.value, day) {
            Ok(e) => Ok(json::evaluation(policy, &a, &e)),
            Err(e) => Err(RecordError { applicant: Some(a.id.clone()), message: e.message.zh }),
        }
    });
    match result {
        Ok(v) => (v.to_string(), true),
        Err(e) => (json::error(&e, Some(line)).to_string(), false),
    }
}

/// Evaluate the block's lines on `jobs` threads; the answers come back in the block's order.
fn evaluate_block(policy: &Policy, first_line: usize, lines: &[String], opts: &Options) -> Vec<(String, bool)> {
    let per_thread = lines.len().div_ceil(opts.jobs).max(1);
    if opts.jobs == 1 || lines.len() < 2 {
        return lines.iter().enumerate().map(|(i, l)| answer(policy, first_line + i, l, opts.as_of)).collect();
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(per_thread)
            .enumerate()
            .map(|(k, part)| {
                let start = first_line + k * per_thread;
                let handle = scope.spawn(move || {
                    part.iter().enumerate().map(|(i, l)| answer(policy, start + i, l, opts.as_of)).collect::<Vec<_>>()
                });
                (start, part.len(), handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(start, len, h)| {
                h.join().unwrap_or_else(|_| {
                    // A worker that failed answers nothing: each of its lines says so, none is lost.
                    (start..start + len)
                        .map(|line| {
                            let e = RecordError { applicant: None, message: "内部错误：评估中止".into() };
                            (json::error(&e, Some(line)).to_string(), false)
                        })
                        .collect()
                })
            })
            .collect()
    })
}

/// Evaluate every JSON Lines record of `input`, writing one answer line per input line to `out`.
/// `progress` is told the running summary after each block.
pub fn eval_jsonl(
    policy: &Policy,
    mut input: impl BufRead,
    out: &mut impl Write,
    opts: Options,
    progress: &mut dyn FnMut(&Summary),
) -> Result<Summary, StreamError> {
    let started = Instant::now();
    let mut summary = Summary::default();
    let mut block: Vec<String> = Vec::with_capacity(opts.block);
    let mut buffer = Vec::new();
    let mut at_start = true;
    loop {
        block.clear();
        let first_line = summary.records + 1;
        while block.len() < opts.block {
            buffer.clear();
            let n = input.read_until(b'\n', &mut buffer).map_err(StreamError::Read)?;
            if n == 0 {
                break;
            }
            summary.bytes += n as u64;
            let mut line = String::from_utf8_lossy(&buffer).into_owned();
            if at_start {
                // A byte-order mark some editors write is not part of the first record.
                if let Some(rest) = line.strip_prefix('\u{feff}') {
                    line = rest.to_string();
                }
                at_start = false;
            }
            let trimmed = line.strip_suffix('\n').unwrap_or(&line);
            let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
            block.push(trimmed.to_string());
        }
        if block.is_empty() {
            break;
        }
        for (text, ok) in evaluate_block(policy, first_line, &block, &opts) {
            out.write_all(text.as_bytes()).map_err(StreamError::Write)?;
            out.write_all(b"\n").map_err(StreamError::Write)?;
            summary.records += 1;
            if ok {
                summary.ok += 1;
            } else {
                summary.errors += 1;
            }
        }
        summary.elapsed = started.elapsed();
        progress(&summary);
    }
    out.flush().map_err(StreamError::Write)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}
