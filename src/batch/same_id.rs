//! Records of one batch that share an id (编号): usually the same applicant sent twice, whose
//! results would be counted twice. A batch may hold millions of records, so ids are not kept:
//! each is remembered as a 96-bit fingerprint with its line (16 bytes a record), in chunks that
//! never reallocate, and the pairs are found by sorting at the end. Memory is capped: past
//! [`CHECKED`] records the rest of a batch is not checked, and the caller is told so.

use crate::data::{Applicant, Read, RecordError};
use std::hash::{Hash, Hasher};

/// How many records a batch checks: 64 MiB of fingerprints.
pub const CHECKED: usize = 1 << 22;

/// Fingerprints per chunk (1 MiB): a growing batch adds chunks instead of copying what it holds.
const CHUNK: usize = 1 << 16;

/// Two lines that hold the same id; the id itself is on both lines of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SameId {
    pub first: usize,
    pub again: usize,
}

/// What a batch's check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repeats {
    /// Each line whose id an earlier line already had, with that earliest line, in input order.
    pub found: Vec<SameId>,
    /// The first line not checked, when the batch held more than [`CHECKED`] records.
    pub unchecked_from: Option<usize>,
}

type Entry = (u64, u32, u32);

pub struct SameIds {
    chunks: Vec<Vec<Entry>>,
    noted: usize,
    limit: usize,
    unchecked_from: Option<usize>,
}

impl Default for SameIds {
    fn default() -> Self {
        SameIds::checking(CHECKED)
    }
}

fn fingerprint(id: &str) -> (u64, u32) {
    // Two independent hashes (the std hasher, keyed by a leading byte): 96 bits, so ids that
    // differ are taken for the same with odds below one in 10¹⁵ in a batch of millions.
    let hash = |key: u8| {
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    // Masked to its low 32 bits, the hash always fits a u32.
    let low = u32::try_from(hash(1) & u64::from(u32::MAX)).unwrap_or(0);
    (hash(0), low)
}

impl SameIds {
    /// A check of at most `limit` records.
    pub fn checking(limit: usize) -> Self {
        SameIds { chunks: Vec::new(), noted: 0, limit, unchecked_from: None }
    }

    /// Remember the id a record of `line` names: read, or unreadable but naming its applicant.
    pub fn note_read(&mut self, line: usize, read: &Result<Applicant, RecordError>) {
        if let Some(id) = read.as_ref().map_or_else(|e| e.applicant.as_deref(), |a| Some(a.id.as_str())) {
            self.note(id, line);
        }
    }

    /// The repeats of a batch read whole.
    pub fn of(records: &[Read]) -> Repeats {
        let mut same = SameIds::default();
        records.iter().for_each(|(line, read)| same.note_read(*line, read));
        same.finish()
    }

    /// Remember that `line` holds `id`.
    pub fn note(&mut self, id: &str, line: usize) {
        let Ok(line32) = u32::try_from(line) else { return self.stop_at(line) };
        let (a, b) = fingerprint(id);
        self.push((a, b, line32));
    }

    fn push(&mut self, entry: Entry) {
        if self.noted >= self.limit {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            return self.stop_at(entry.2 as usize);
        }
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(entry),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(entry);
                self.chunks.push(chunk);
            }
        }
        self.noted += 1;
    }

    fn stop_at(&mut self, line: usize) {
        self.unchecked_from = Some(self.unchecked_from.map_or(line, |l| l.min(line)));
    }

    /// Another part of the same batch (parts may come in any order).
    pub fn extend(&mut self, other: SameIds) {
        for entry in other.chunks.into_iter().flatten() {
            self.push(entry);
        }
        if let Some(l) = other.unchecked_from {
            self.stop_at(l);
        }
    }

    pub fn finish(self) -> Repeats {
        let mut all: Vec<Entry> = Vec::with_capacity(self.noted);
        for chunk in self.chunks {
            all.extend(chunk);
        }
        all.sort_unstable();
        let mut found = Vec::new();
        let mut first: Option<&Entry> = None;
        for entry in &all {
            match first {
                // A u32 always fits a usize on the 32- and 64-bit targets this builds for.
                Some(f) if (f.0, f.1) == (entry.0, entry.1) => {
                    found.push(SameId { first: f.2 as usize, again: entry.2 as usize })
                }
                _ => first = Some(entry),
            }
        }
        found.sort_unstable_by_key(|s| s.again);
        Repeats { found, unchecked_from: self.unchecked_from }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_repeat_with_its_first_line() {
        let mut ids = SameIds::default();
        for (line, id) in ["A", "B", "A", "C", "B", "A"].into_iter().enumerate() {
            ids.note(id, line + 1);
        }
        let found = ids.finish();
        assert_eq!(
            found.found,
            vec![SameId { first: 1, again: 3 }, SameId { first: 2, again: 5 }, SameId { first: 1, again: 6 }]
        );
        assert_eq!(found.unchecked_from, None);
    }

    #[test]
    fn parts_in_any_order_give_the_same_repeats_and_chunks_hold_them_all() {
        let ids: Vec<String> = (0..3 * CHUNK).map(|i| format!("X{}", i % (CHUNK + 7))).collect();
        let mut whole = SameIds::default();
        ids.iter().enumerate().for_each(|(i, id)| whole.note(id, i + 1));
        let (mut early, mut late) = (SameIds::default(), SameIds::default());
        ids.iter().enumerate().filter(|(i, _)| *i < CHUNK).for_each(|(i, id)| early.note(id, i + 1));
        ids.iter().enumerate().filter(|(i, _)| *i >= CHUNK).for_each(|(i, id)| late.note(id, i + 1));
        let mut parts = SameIds::default();
        parts.extend(late);
        parts.extend(early);
        let (a, b) = (whole.finish(), parts.finish());
        assert_eq!(a, b);
        assert_eq!(a.found.len(), 3 * CHUNK - (CHUNK + 7));
    }

    #[test]
    fn past_its_limit_a_check_says_where_it_stopped() {
        let mut ids = SameIds::checking(3);
        for (line, id) in ["A", "B", "A", "B", "A"].into_iter().enumerate() {
            ids.note(id, line + 1);
        }
        let r = ids.finish();
        assert_eq!(r.found, vec![SameId { first: 1, again: 3 }]);
        assert_eq!(r.unchecked_from, Some(4));
    }
}
