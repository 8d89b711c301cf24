//! Byte spans into the files of a policy, and the source map that owns the files' text.

use serde::Serialize;

/// Index of a file in the [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span { file, start: clamp_u32(start), end: clamp_u32(end) }
    }

    /// The smallest span covering both (same file assumed; the first file wins otherwise).
    pub fn to(self, other: Span) -> Span {
        if self.file != other.file {
            return self;
        }
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        // u32 → usize widens losslessly (usize has at least 32 bits: see lib.rs).
        self.start as usize..self.end as usize
    }
}

/// Offsets and file numbers as stored. Saturating cannot show a user a wrong place: a file over
/// `MAX_FILE_BYTES` (1 MiB) is refused, with a span at its start, before any declaration of it is
/// parsed, so every offset that locates a diagnostic or a trace step fits in u32 — and a file
/// number would need 2^32 files in one policy.
fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One policy file: its path as shown to users, and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// All files of a policy, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: impl Into<String>, text: impl Into<String>) -> FileId {
        self.files.push(SourceFile { path: path.into(), text: text.into() });
        FileId(clamp_u32(self.files.len() - 1))
    }

    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        // u32 → usize widens losslessly (usize has at least 32 bits: see lib.rs).
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(clamp_u32(i)), f))
    }

    /// The text a span covers ("" when the span is out of range).
    pub fn snippet(&self, span: Span) -> &str {
        // Its one use compares the text with the names an allowance lists, none of them empty: a
        // span out of range matches none, so the warning is kept rather than silenced.
        self.file(span.file).and_then(|f| f.text.get(span.range())).unwrap_or("")
    }

    /// 1-based line and column (in characters) of the span's start; (0, 0), which no place has,
    /// for a span outside the policy's files.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs); so in line_text.
        let Some(before) = self.file(span.file).and_then(|f| f.text.get(..span.start as usize)) else {
            return (0, 0);
        };
        let line = before.matches('\n').count() + 1;
        // rsplit yields at least one piece (the whole text when it has no newline): never 0.
        let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    /// The full text of the line holding the span's start, without its newline ("" for a span
    /// outside the policy's files, whose place `line_col` gives as line 0).
    pub fn line_text(&self, span: Span) -> &str {
        let start = span.start as usize;
        let Some((file, before, after)) =
            self.file(span.file).and_then(|f| Some((f, f.text.get(..start)?, f.text.get(start..)?)))
        else {
            return "";
        };
        // The line runs from just after the newline before the start (or the text's start) to the
        // newline after it (or the text's end).
        let head = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let tail = after.find('\n').map(|i| i + start).unwrap_or(file.text.len());
        // head ≤ start ≤ tail, each at a newline or at the span's start: always a slice of the text.
        file.text.get(head..tail).unwrap_or("").trim_end_matches('\r')
    }
}
