//! A list that may grow with the population (every applicant a diff moved, every unreadable
//! record) without growing memory: the first items are kept in memory, and past a limit the list
//! goes on in an unnamed temporary file, one JSON line an item, read back in order when it is
//! written out. The file has no name, so it is removed even when the program is killed.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

/// How many items stay in memory before the list moves to a file.
pub const IN_MEMORY: usize = 4096;

pub struct Spilled<T> {
    /// The items after those in the file, in order.
    kept: Vec<T>,
    file: Option<BufWriter<File>>,
    in_file: usize,
    limit: usize,
    /// The first failure to write the file: reported when the list is read.
    failed: Option<io::Error>,
}

impl<T> std::fmt::Debug for Spilled<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spilled").field("in_memory", &self.kept.len()).field("in_file", &self.in_file).finish()
    }
}

impl<T: Serialize + DeserializeOwned + Clone> Spilled<T> {
    /// A list that moves to a file once it holds more than `limit` items.
    pub fn new(limit: usize) -> Self {
        Spilled { kept: Vec::new(), file: None, in_file: 0, limit, failed: None }
    }

    /// A list that stays in memory: for lists bounded by their maker.
    pub fn in_memory(items: Vec<T>) -> Self {
        Spilled { kept: items, file: None, in_file: 0, limit: usize::MAX, failed: None }
    }

    pub fn len(&self) -> usize {
        self.in_file + self.kept.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items, when none has gone to the file (always, for a list made [`Spilled::in_memory`]).
    pub fn all_in_memory(&self) -> Option<&[T]> {
        (self.in_file == 0).then_some(self.kept.as_slice())
    }

    pub fn push(&mut self, item: T) {
        self.kept.push(item);
        if self.kept.len() > self.limit && self.failed.is_none() {
            if let Err(e) = self.spill() {
                self.failed = Some(e);
            }
        }
    }

    fn spill(&mut self) -> io::Result<()> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(BufWriter::new(tempfile::tempfile()?)),
        };
        for item in &self.kept {
            serde_json::to_writer(&mut *file, item)?;
            file.write_all(b"\n")?;
        }
        // Flushed at every spill, so what the file holds is all that was spilled when it is read.
        file.flush()?;
        self.in_file += self.kept.len();
        self.kept.clear();
        Ok(())
    }

    /// Every item, in the order pushed. Each call reads the file from its start, independently of
    /// any other reading.
    pub fn read(&self) -> io::Result<impl Iterator<Item = io::Result<T>> + '_> {
        if let Some(e) = &self.failed {
            return Err(io::Error::new(e.kind(), format!("临时文件写入失败：{e}")));
        }
        let lines = self
            .file
            .as_ref()
            .map(|writer| BufReader::new(FileFrom { file: writer.get_ref(), offset: 0 }).lines().take(self.in_file));
        let from_file = lines.into_iter().flatten().map(|line| {
            let line = line?;
            serde_json::from_str(&line).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        });
        Ok(from_file.chain(self.kept.iter().cloned().map(Ok)))
    }
}

/// Reads a file from a position of its own, not the handle's shared one, so the writer and any
/// number of readings do not disturb each other.
struct FileFrom<'a> {
    file: &'a File,
    offset: u64,
}

impl Read for FileFrom<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.offset)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.offset)?;
        self.offset += u64::try_from(n).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_across_memory_and_file() {
        let mut list = Spilled::new(3);
        for i in 0..10u32 {
            list.push(i);
        }
        assert_eq!(list.len(), 10);
        assert!(list.in_file > 0, "past its limit the list is in a file");
        let read = |l: &Spilled<u32>| l.read().map(|it| it.collect::<io::Result<Vec<u32>>>());
        let all: Vec<u32> = (0..10).collect();
        assert_eq!(read(&list).ok().and_then(Result::ok), Some(all.clone()));
        // A second reading sees the same items, and pushing after a reading still appends.
        assert_eq!(read(&list).ok().and_then(Result::ok), Some(all));
        list.push(10);
        assert_eq!(read(&list).ok().and_then(Result::ok).map(|v| v.len()), Some(11));
    }

    #[test]
    fn in_memory_lists_never_spill() {
        let mut list = Spilled::in_memory(vec!["a".to_string()]);
        for _ in 0..100 {
            list.push("b".into());
        }
        assert_eq!(list.in_file, 0);
        assert_eq!(list.len(), 101);
    }
}
