//! Evaluating a stream of JSON Lines records in flat memory on every core: the input is read a
//! block of lines at a time, each block's records are decoded and evaluated in parallel, and the
//! answers are written in input order — exactly one output line per input line, a record that
//! cannot be read or scored answered in its place. Memory holds one block, whatever the input's size.

use crate::batch::same_id::{Repeats, SameIds};
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
            // A rate shown on the progress line, never a score: f64's 53 bits of count are plenty.
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

/// What the block pipeline hands back, in input order: each thread's result for its run of lines,
/// then, after each block, how far the input has been read.
pub enum Event<T> {
    Done(T),
    Block { lines: usize, bytes: u64 },
}

/// Read a block of lines into reused buffers, without line ends (LF or CRLF) and without the
/// byte-order mark some editors put before the first line. Returns the bytes read.
fn read_block(input: &mut impl BufRead, block: &mut Vec<Vec<u8>>, size: usize, at_start: bool) -> std::io::Result<u64> {
    let mut used = 0usize;
    let mut bytes = 0u64;
    while used < size {
        if block.len() == used {
            block.push(Vec::new());
        }
        let Some(line) = block.get_mut(used) else { break };
        line.clear();
        let n = input.read_until(b'\n', line)?;
        if n == 0 {
            break;
        }
        // usize → u64 widens losslessly on the 32- and 64-bit targets jifen builds for (lib.rs).
        bytes += n as u64;
        if line.last() == Some(&b'\n') {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
        }
        if at_start && used == 0 && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        used += 1;
    }
    block.truncate(used);
    Ok(bytes)
}

/// Lines a thread takes at a time from a block.
const RUN: usize = 128;

/// The batch pipeline every command shares: JSON Lines read a block at a time, each block split
/// into one run of lines per thread and `work(first line number, lines)` applied to the runs in
/// parallel, the results handed to `emit` in input order. The next block is read while the
/// threads work on this one, and the previous block's results are emitted meanwhile. Memory holds
/// two blocks and their results, whatever the input's size.
pub fn blocks<T: Send>(
    mut input: impl BufRead,
    opts: &Options,
    work: impl Fn(usize, &[Vec<u8>]) -> T + Sync,
    mut emit: impl FnMut(Event<T>) -> Result<(), StreamError>,
) -> Result<(), StreamError> {
    let size = opts.block.max(1);
    let (mut current, mut next): (Vec<Vec<u8>>, Vec<Vec<u8>>) = (Vec::new(), Vec::new());
    let mut bytes = read_block(&mut input, &mut current, size, true).map_err(StreamError::Read)?;
    let mut first_line = 1usize;
    let mut pending: Vec<T> = Vec::new();
    while !current.is_empty() {
        let work = &work;
        let lines = &current;
        // The block is cut into small runs that idle threads take in turn, so one thread slowed
        // by the machine (or by the reading and writing done meanwhile) does not hold up the block.
        let run = RUN.min(lines.len().div_ceil(opts.jobs.max(1))).max(1);
        let runs = lines.len().div_ceil(run);
        let taken = std::sync::atomic::AtomicUsize::new(0);
        let taken = &taken;
        let (results, read) = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..opts.jobs.max(1).min(runs))
                .map(|_| {
                    scope.spawn(move || {
                        let mut done = Vec::new();
                        loop {
                            let k = taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(part) = lines.chunks(run).nth(k) else { break };
                            done.push((k, work(first_line + k * run, part)));
                        }
                        done
                    })
                })
                .collect();
            // Meanwhile: hand over the previous block's results, and read the next block.
            let emitted = pending.drain(..).try_for_each(|r| emit(Event::Done(r)));
            let read = emitted.and_then(|()| read_block(&mut input, &mut next, size, false).map_err(StreamError::Read));
            let results: Option<Vec<Vec<(usize, T)>>> = handles.into_iter().map(|h| h.join().ok()).collect();
            (results, read)
        });
        let lines_done = current.len();
        // A worker that panicked would lose its lines: that is a fault of jifen, never silent.
        let mut results: Vec<(usize, T)> = results
            .ok_or_else(|| StreamError::Read(std::io::Error::other("内部错误：评估线程中止")))?
            .into_iter()
            .flatten()
            .collect();
        results.sort_unstable_by_key(|(k, _)| *k);
        pending = results.into_iter().map(|(_, r)| r).collect();
        let read = read?;
        first_line += lines_done;
        emit(Event::Block { lines: first_line - 1, bytes })?;
        bytes += read;
        std::mem::swap(&mut current, &mut next);
    }
    pending.into_iter().try_for_each(|r| emit(Event::Done(r)))
}

/// Answers to a run of lines: their output bytes (one line each) and how many were scored.
#[derive(Default)]
struct Answers {
    bytes: Vec<u8>,
    ok: usize,
    errors: usize,
    ids: SameIds,
}

/// Append one input line's answer: the contract's JSON for the record, or its error with the line
/// number. Scoring runs without a trace: the contract shows values, statuses and reasons only.
fn answer(policy: &Policy, encoder: &Encoder, line: usize, bytes: &[u8], as_of: Option<NaiveDate>, out: &mut Answers) {
    let read = data::read_jsonl_line(policy, line, bytes);
    out.ids.note_read(line, &read);
    let result = read.and_then(|a| {
        // The date given for the whole run, or else the record's own.
        let day = as_of.unwrap_or(a.as_of);
        score(policy, &a.value, day)
            .map(|e| (a.id.clone(), e))
            .map_err(|e| RecordError::new(Some(a.id.clone()), e.message))
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

/// Evaluate every JSON Lines record of `input`, writing one answer line per input line to `out`.
/// `progress` is told the running summary after each block. Also returned: the lines whose id an
/// earlier line already had (a warning for the caller to give).
pub fn eval_jsonl(
    policy: &Policy,
    input: impl BufRead,
    out: &mut impl Write,
    opts: Options,
    progress: &mut dyn FnMut(&Summary),
) -> Result<(Summary, Repeats), StreamError> {
    let started = Instant::now();
    let encoder = Encoder::new(policy);
    let mut summary = Summary::default();
    let mut same = SameIds::default();
    let work = |first_line: usize, lines: &[Vec<u8>]| {
        let mut answers = Answers { bytes: Vec::with_capacity(lines.len() * 2048), ..Answers::default() };
        for (i, line) in lines.iter().enumerate() {
            answer(policy, &encoder, first_line + i, line, opts.as_of, &mut answers);
        }
        answers
    };
    blocks(input, &opts, work, |event| {
        match event {
            Event::Done(answers) => {
                out.write_all(&answers.bytes).map_err(StreamError::Write)?;
                same.extend(answers.ids);
                summary.records += answers.ok + answers.errors;
                summary.ok += answers.ok;
                summary.errors += answers.errors;
            }
            Event::Block { bytes, .. } => {
                summary.bytes = bytes;
                summary.elapsed = started.elapsed();
                progress(&summary);
            }
        }
        Ok(())
    })?;
    out.flush().map_err(StreamError::Write)?;
    summary.elapsed = started.elapsed();
    Ok((summary, same.finish()))
}

/// The records of an input, as its shape holds them: JSON Lines read a block at a time (never
/// held whole), or the records of one JSON document (an object or an array, read whole: a
/// document is at most [`crate::data::input::MAX_DOCUMENT_BYTES`]).
pub enum Records<'a> {
    /// JSON Lines: each line a record, numbered from 1.
    Lines(Box<dyn BufRead + 'a>),
    /// One JSON document's records; `single` when it was one object (answered without a line).
    Document { records: Vec<data::Read>, single: bool },
}

impl<'a> Records<'a> {
    /// The records of an opened input: JSON Lines are left to be read as they are used; a JSON
    /// document is read whole (and refused past its size limit).
    pub fn of(policy: &Policy, mut opened: data::input::Opened<'a>) -> Result<Records<'a>, data::input::DocumentError> {
        use data::input::Shape;
        match opened.shape {
            Shape::Lines => Ok(Records::Lines(opened.reader)),
            shape => {
                let text = opened.read_document()?;
                Ok(Records::Document { records: data::read_json(policy, &text), single: shape == Shape::Object })
            }
        }
    }

    /// Whether the input was one JSON object (one record, answered without a line number).
    pub fn single(&self) -> bool {
        matches!(self, Records::Document { single: true, .. })
    }
}

/// What [`each`] hands over after each block: how far it has got.
pub type Progress<'f> = &'f mut dyn FnMut(&Summary);

/// The shared batch pipeline over records of any shape: `work(line, record)` is applied to every
/// record — in parallel, a block at a time, for JSON Lines — and its results are handed to `emit`
/// in input order, one per record. Memory holds a block of records and their results, whatever the
/// input's size. Returned: the lines whose id an earlier line had.
pub fn each<T: Send>(
    policy: &Policy,
    records: Records,
    opts: &Options,
    work: impl Fn(usize, Result<data::Applicant, RecordError>) -> T + Sync,
    mut emit: impl FnMut(T) -> Result<(), StreamError>,
    progress: Progress,
) -> Result<Repeats, StreamError> {
    let started = Instant::now();
    let mut same = SameIds::default();
    let mut summary = Summary::default();
    match records {
        Records::Document { records, .. } => {
            for (line, read) in records {
                same.note_read(line, &read);
                emit(work(line, read))?;
            }
        }
        Records::Lines(input) => {
            let run = |first_line: usize, lines: &[Vec<u8>]| {
                let mut ids = SameIds::default();
                let done: Vec<T> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, bytes)| {
                        let read = data::read_jsonl_line(policy, first_line + i, bytes);
                        ids.note_read(first_line + i, &read);
                        work(first_line + i, read)
                    })
                    .collect();
                (done, ids)
            };
            blocks(input, opts, run, |event| match event {
                Event::Done((done, ids)) => {
                    same.extend(ids);
                    summary.records += done.len();
                    done.into_iter().try_for_each(&mut emit)
                }
                Event::Block { bytes, .. } => {
                    summary.bytes = bytes;
                    summary.elapsed = started.elapsed();
                    progress(&summary);
                    Ok(())
                }
            })?;
        }
    }
    Ok(same.finish())
}
