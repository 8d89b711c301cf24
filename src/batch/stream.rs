//! Evaluating a stream of JSON Lines records in flat memory on every core: the input is read a
//! block of lines at a time, each block's records are decoded and evaluated in parallel, and the
//! answers are written in input order — exactly one output line per input line, a record that
//! cannot be read or scored answered in its place. Memory holds one block, whatever the input's size.

use crate::data::{self, RecordError};
use crate::eval::score;
use crate::ir::Policy;
use crate::report::json::{self, Encoder};
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

/// Answers to a run of lines: their output bytes (one line each) and how many were scored.
#[derive(Default)]
struct Answers {
    bytes: Vec<u8>,
    ok: usize,
    errors: usize,
}

/// Append one input line's answer: the contract's JSON for the record, or its error with the line
/// number. Scoring runs without a trace: the contract shows values, statuses and reasons only.
fn answer(policy: &Policy, encoder: &Encoder, line: usize, text: &str, as_of: Option<NaiveDate>, out: &mut Answers) {
    let result = data::read_record(policy, text).and_then(|a| {
        let day = as_of.unwrap_or(a.as_of);
        score(policy, &a.value, day)
            .map(|e| (a.id.clone(), e))
            .map_err(|e| RecordError { applicant: Some(a.id.clone()), message: e.message.zh })
    });
    match result {
        Ok((id, e)) => {
            encoder.evaluation(&mut out.bytes, &id, &e);
            out.ok += 1;
        }
        Err(e) => {
            out.bytes.extend_from_slice(json::error(&e, Some(line)).to_string().as_bytes());
            out.errors += 1;
        }
    }
    out.bytes.push(b'\n');
}

fn answer_all(policy: &Policy, encoder: &Encoder, first_line: usize, lines: &[String], opts: &Options) -> Answers {
    let mut out = Answers { bytes: Vec::with_capacity(lines.len() * 2048), ..Answers::default() };
    for (i, l) in lines.iter().enumerate() {
        answer(policy, encoder, first_line + i, l, opts.as_of, &mut out);
    }
    out
}

/// Evaluate the block's lines on `jobs` threads; the answers come back in the block's order.
fn evaluate_block(
    policy: &Policy,
    encoder: &Encoder,
    first_line: usize,
    lines: &[String],
    opts: &Options,
) -> Vec<Answers> {
    let per_thread = lines.len().div_ceil(opts.jobs).max(1);
    if opts.jobs == 1 || lines.len() < 2 {
        return vec![answer_all(policy, encoder, first_line, lines, opts)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(per_thread)
            .enumerate()
            .map(|(k, part)| {
                let start = first_line + k * per_thread;
                let handle = scope.spawn(move || answer_all(policy, encoder, start, part, opts));
                (start, part.len(), handle)
            })
            .collect();
        handles
            .into_iter()
            .map(|(start, len, h)| {
                h.join().unwrap_or_else(|_| {
                    // A worker that failed answers nothing: each of its lines says so, none is lost.
                    let mut out = Answers::default();
                    for line in start..start + len {
                        let e = RecordError { applicant: None, message: "内部错误：评估中止".into() };
                        out.bytes.extend_from_slice(json::error(&e, Some(line)).to_string().as_bytes());
                        out.bytes.push(b'\n');
                        out.errors += 1;
                    }
                    out
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
    let encoder = Encoder::new(policy);
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
        for answers in evaluate_block(policy, &encoder, first_line, &block, &opts) {
            out.write_all(&answers.bytes).map_err(StreamError::Write)?;
            summary.records += answers.ok + answers.errors;
            summary.ok += answers.ok;
            summary.errors += answers.errors;
        }
        summary.elapsed = started.elapsed();
        progress(&summary);
    }
    out.flush().map_err(StreamError::Write)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}
