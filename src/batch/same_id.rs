//! Records of one batch that share an id (编号): usually the same applicant sent twice, whose
//! results would be counted twice. A batch may hold millions of records, so ids are not kept:
//! each is remembered as a 96-bit fingerprint with its line (16 bytes a record), and the pairs
//! are found by sorting at the end of the batch.

use std::hash::{Hash, Hasher};

/// Two lines that hold the same id; the id itself is on both lines of the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SameId {
    pub first: usize,
    pub again: usize,
}

#[derive(Default)]
pub struct SameIds {
    seen: Vec<(u64, u32, u32)>,
}

fn fingerprint(id: &str) -> (u64, u32) {
    // Two independent hashes (the std hasher, keyed by a leading byte): 96 bits, so ids that
    // differ are taken for the same with odds below one in 10¹⁵ in a batch of ten million.
    let hash = |key: u8| {
        let mut h = std::hash::DefaultHasher::new();
        key.hash(&mut h);
        id.hash(&mut h);
        h.finish()
    };
    let low = u32::try_from(hash(1) & u64::from(u32::MAX)).unwrap_or(0);
    (hash(0), low)
}

impl SameIds {
    /// Remember that `line` holds `id`. Lines past 4,294,967,295 are not compared (no batch
    /// this tool reads comes near).
    pub fn note(&mut self, id: &str, line: usize) {
        if let Ok(line) = u32::try_from(line) {
            let (a, b) = fingerprint(id);
            self.seen.push((a, b, line));
        }
    }

    pub fn extend(&mut self, other: SameIds) {
        self.seen.extend(other.seen);
    }

    /// Each line whose id an earlier line already had, with that earliest line, in input order.
    pub fn finish(mut self) -> Vec<SameId> {
        self.seen.sort_unstable();
        let mut found = Vec::new();
        let mut first: Option<&(u64, u32, u32)> = None;
        for entry in &self.seen {
            match first {
                Some(f) if (f.0, f.1) == (entry.0, entry.1) => {
                    // A u32 always fits a usize on the 32- and 64-bit targets this builds for.
                    found.push(SameId { first: f.2 as usize, again: entry.2 as usize });
                }
                _ => first = Some(entry),
            }
        }
        found.sort_unstable_by_key(|s| s.again);
        found
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
            found,
            vec![SameId { first: 1, again: 3 }, SameId { first: 2, again: 5 }, SameId { first: 1, again: 6 }]
        );
    }
}
