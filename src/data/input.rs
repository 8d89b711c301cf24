//! How an input holds its records, judged from what it holds, not from its name: one JSON object
//! (pretty-printed or not), a JSON array of them, or JSON Lines. A leading UTF-8 BOM is skipped.
//! The judgement needs only the input's first line, so a stream is judged without being read whole.

use crate::diag::Msg;
use std::io::{BufRead, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON object: one record, answered without a line number.
    Object,
    /// A JSON array: each element a record, numbered from 1.
    Array,
    /// JSON Lines: each line a record (a blank or broken line is an invalid record in its place).
    Lines,
}

/// How far the first line is looked for: a record is at most 1 MiB.
const HEAD_LIMIT: usize = crate::data::MAX_RECORD_BYTES + 1;

const BOM: &str = "\u{feff}";

/// The input from its first character of content: after a BOM and any blank space.
fn content(head: &[u8]) -> &[u8] {
    // No BOM: the input starts at once. All blank: nothing is left (start is the end, so the slice
    // is always there).
    let head = head.strip_prefix(BOM.as_bytes()).unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    head.get(start..).unwrap_or_default()
}

/// The first line of content and what follows it (from its newline on, empty when there is none).
fn first_line(head: &[u8]) -> (&[u8], &[u8]) {
    let rest = content(head);
    // No newline: the first line is all there is.
    rest.split_at(rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len()))
}

fn blank(bytes: &[u8]) -> bool {
    bytes.iter().all(|b| b.is_ascii_whitespace())
}

/// The shape of an input whose first bytes are `head`. `whole` says `head` is all of it; `lines_by_name`
/// breaks the one tie there is — a whole input that is a single object on a single line is a JSON
/// Lines file of one record when its name says so (`.jsonl`, `.ndjson`), else one object.
pub fn sniff(head: &[u8], whole: bool, lines_by_name: bool) -> Shape {
    let (first, after) = first_line(head);
    match first.first() {
        Some(b'[') => return Shape::Array,
        Some(b'{') => {}
        // Blank, or not JSON: every line is answered in its place.
        _ => return Shape::Lines,
    }
    if serde_json::from_slice::<serde::de::IgnoredAny>(first).is_err() {
        // An object that goes on past its first line: pretty-printed JSON (or a broken first
        // line, which the reader reports with this same judgement of where the record ends).
        return if after.is_empty() && !whole { Shape::Lines } else { Shape::Object };
    }
    if !blank(after) || !whole || lines_by_name {
        Shape::Lines
    } else {
        Shape::Object
    }
}

/// An input opened for reading, with its shape judged from its first line; the bytes looked at
/// are read again by whoever reads the input.
pub struct Opened<'a> {
    pub shape: Shape,
    pub reader: Box<dyn BufRead + 'a>,
}

/// Judge `input` by its first line (reading at most 1 MiB ahead) and hand it back whole.
pub fn open<'a>(mut input: impl Read + 'a, lines_by_name: bool) -> std::io::Result<Opened<'a>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut whole = false;
    // Enough to hold the first line of content (after a BOM and blank lines), or all of the input.
    while head.len() < HEAD_LIMIT {
        let n = input.read(&mut chunk)?;
        let Some(read) = chunk.get(..n).filter(|r| !r.is_empty()) else {
            whole = true;
            break;
        };
        head.extend_from_slice(read);
        if judged(&head, lines_by_name) {
            break;
        }
    }
    let shape = sniff(&head, whole, lines_by_name);
    Ok(Opened { shape, reader: Box::new(std::io::BufReader::new(std::io::Cursor::new(head).chain(input))) })
}

/// Whether `head` says enough: the first line of content is complete and, unless the name already
/// breaks the tie, something follows it (a one-line object alone in its file is one object).
fn judged(head: &[u8], lines_by_name: bool) -> bool {
    let (first, after) = first_line(head);
    !first.is_empty() && !after.is_empty() && (lines_by_name || !blank(after))
}

/// The largest JSON document (one object or an array) read: a document is parsed whole, so its
/// size is memory. Batches larger than this are JSON Lines, which are read a block at a time.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Why a JSON document's text could not be had.
#[derive(Debug)]
pub enum DocumentError {
    /// The input could not be read.
    Read(std::io::Error),
    /// The document is larger than [`MAX_DOCUMENT_BYTES`].
    TooLarge,
    /// The document is not UTF-8 text: `at` is the first byte (1-based) that cannot be decoded.
    NotUtf8 { at: usize },
}

impl DocumentError {
    /// What went wrong and what to do instead, in both languages (a read error as the system
    /// words it).
    pub fn message(&self) -> Msg {
        match self {
            DocumentError::Read(e) => Msg::new(format!("读取失败：{e}"), format!("cannot read the input: {e}")),
            DocumentError::TooLarge => {
                let mib = MAX_DOCUMENT_BYTES / (1024 * 1024);
                Msg::new(
                    format!(
                        "JSON 文档超过 {mib} MiB 的上限：更大的批次请用 JSON Lines（每行一条记录），按块读取、内存不随批次增长"
                    ),
                    format!(
                        "the JSON document is over the {mib} MiB limit: give a larger batch as JSON Lines (one \
                         record a line), read a block at a time in memory that does not grow with the batch"
                    ),
                )
            }
            DocumentError::NotUtf8 { at } => crate::data::not_utf8(*at),
        }
    }
}

/// The Chinese message (as the command line has always shown it).
impl std::fmt::Display for DocumentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().zh)
    }
}

impl std::error::Error for DocumentError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DocumentError::Read(e) => Some(e),
            _ => None,
        }
    }
}

impl Opened<'_> {
    /// The whole of a JSON document's text: refused past [`MAX_DOCUMENT_BYTES`] (and when it is
    /// not UTF-8) with a message that says what to do instead.
    pub fn read_document(&mut self) -> Result<String, DocumentError> {
        let mut bytes = Vec::new();
        (&mut self.reader).take(MAX_DOCUMENT_BYTES + 1).read_to_end(&mut bytes).map_err(DocumentError::Read)?;
        if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_DOCUMENT_BYTES {
            return Err(DocumentError::TooLarge);
        }
        String::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8 { at: e.utf8_error().valid_up_to() + 1 })
    }
}

/// Text of a JSON document (object or array) without its BOM.
pub fn document_text(text: &str) -> &str {
    // Without a BOM the text is the document.
    text.strip_prefix(BOM).unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_by_content() {
        let one = br#"{"a": 1}"#;
        assert_eq!(sniff(one, true, false), Shape::Object);
        assert_eq!(sniff(one, true, true), Shape::Lines);
        assert_eq!(sniff(b"{\"a\": 1}\n{\"a\": 2}\n", true, false), Shape::Lines);
        assert_eq!(sniff(b"\xef\xbb\xbf{\n  \"a\": 1\n}\n", true, true), Shape::Object);
        assert_eq!(sniff(b"  \n[{\"a\": 1}]", true, true), Shape::Array);
        assert_eq!(sniff(b"\n", true, false), Shape::Lines);
        assert_eq!(sniff(b"", true, false), Shape::Lines);
        assert_eq!(sniff(b"not json\n", true, false), Shape::Lines);
        // A stream cut after its first line: more may follow.
        assert_eq!(sniff(b"{\"a\": 1}\n", false, false), Shape::Lines);
    }

    #[test]
    fn a_one_line_object_alone_is_one_object_unless_named_as_lines() {
        let line = "{\"a\": 1}\n";
        let shape = |named| open(line.as_bytes(), named).map(|o| o.shape).ok();
        assert_eq!(shape(false), Some(Shape::Object));
        assert_eq!(shape(true), Some(Shape::Lines));
        let two = line.repeat(2);
        assert_eq!(open(two.as_bytes(), false).map(|o| o.shape).ok(), Some(Shape::Lines));
    }

    #[test]
    fn opening_hands_back_every_byte() {
        let text = "\u{feff}{\n  \"a\": 1\n}\n".repeat(3000);
        let opened = open(text.as_bytes(), false);
        let Ok(mut opened) = opened else { return assert!(opened.is_ok()) };
        assert_eq!(opened.shape, Shape::Object);
        let mut back = String::new();
        assert!(opened.reader.read_to_string(&mut back).is_ok());
        assert_eq!(back, text);
    }

    #[test]
    fn a_document_too_large_or_not_utf8_says_so_in_both_languages() {
        let messages = [DocumentError::TooLarge.message(), DocumentError::NotUtf8 { at: 3 }.message()];
        for m in messages {
            assert!(!m.zh.is_empty() && m.en.is_ascii(), "{m:?}");
        }
    }
}
