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
        self.start as usize..self.end as usize
    }
}

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
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(clamp_u32(i)), f))
    }

    /// The text a span covers ("" when the span is out of range).
    pub fn snippet(&self, span: Span) -> &str {
        self.file(span.file).and_then(|f| f.text.get(span.range())).unwrap_or("")
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let Some(file) = self.file(span.file) else {
            return (0, 0);
        };
        let before = file.text.get(..span.start as usize).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    /// The full text of the line holding the span's start, without its newline.
    pub fn line_text(&self, span: Span) -> &str {
        let Some(file) = self.file(span.file) else {
            return "";
        };
        let start = span.start as usize;
        let head = file.text.get(..start).and_then(|s| s.rfind('\n')).map(|i| i + 1).unwrap_or(0);
        let tail = file.text.get(start..).and_then(|s| s.find('\n')).map(|i| i + start).unwrap_or(file.text.len());
        file.text.get(head..tail).unwrap_or("").trim_end_matches('\r')
    }
}
