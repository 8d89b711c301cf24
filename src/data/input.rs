//! How an input holds its records: one JSON object (pretty-printed or not), a JSON array of them,
//! or JSON Lines. A name that says JSON Lines (`.jsonl`, `.ndjson`) settles it; any other input is
//! judged from what it holds. A leading UTF-8 BOM is skipped.
//!
//! The judgement reads a bounded head of the input (its first lines), so a stream is judged
//! without being read whole. A first line cut short does not turn JSON Lines into one broken
//! document: when the lines after it are records, each a JSON object on its line, the input is
//! JSON Lines and only the cut line is an invalid record. In every shape, no line goes unanswered.

use crate::diag::Msg;
use std::io::{BufRead, Read};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One JSON object: one record, answered without a line number.
    Object,
    /// A JSON array: each element a record, numbered from 1.
    Array,
    /// JSON Lines: each line a record (a blank or broken line is an invalid record in its place).
    Lines,
}

/// What an input's name says about its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    /// `.jsonl` or `.ndjson`: JSON Lines, whatever the content (a broken line is a broken record).
    Lines,
    /// Standard input: judged by its content, and a single object on one line is a record of JSON
    /// Lines (so a stream is judged on its first line, without waiting for a second).
    Stdin,
    /// Any other name: judged by its content, and a single object on one line is one object.
    Other,
}

impl Name {
    /// What `path` says: `-` is standard input, `.jsonl` and `.ndjson` are JSON Lines.
    pub fn of(path: &Path) -> Name {
        if path == Path::new("-") {
            Name::Stdin
        } else if path.extension().is_some_and(|x| x == "jsonl" || x == "ndjson") {
            Name::Lines
        } else {
            Name::Other
        }
    }
}

/// How far the head is read: the first line and the two after it, each a record of at most 1 MiB.
const HEAD_LIMIT: usize = 3 * (crate::data::MAX_RECORD_BYTES + 1);

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

/// Whether `bytes` are one whole JSON value.
fn is_json(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
}

/// Whether `bytes` are one whole JSON object: a record on its line.
fn is_object(bytes: &[u8]) -> bool {
    bytes.trim_ascii().starts_with(b"{") && is_json(bytes)
}

/// The first non-blank line after the first line of content: its number (the first line is 1), its
/// bytes, and whether it is complete (its newline read, or the input read whole).
fn next_line(head: &[u8], whole: bool) -> Option<(usize, &[u8], bool)> {
    let mut lines = content(head).split(|b| *b == b'\n').enumerate().skip(1);
    let (i, line) = lines.find(|(_, l)| !blank(l))?;
    // The line is followed by a newline exactly when split gives another piece after it.
    let complete = whole || lines.next().is_some();
    Some((i + 1, line, complete))
}

/// Complete lines of content in `head` (each ended by a newline).
fn complete_lines(head: &[u8]) -> usize {
    content(head).iter().filter(|b| **b == b'\n').count()
}

/// Whether the lines after a broken first line are records: the next line is a whole JSON object,
/// and the input read as one document breaks no later than just after it — so it is not a
/// document whose first line merely goes on (a document that breaks further down, with a trailing
/// comma on its line 20, stays one document and is reported at its line 20).
fn records_follow(head: &[u8], whole: bool) -> bool {
    let Some((n, line, true)) = next_line(head, whole) else { return false };
    if !is_object(line) {
        return false;
    }
    let mut document = serde_json::Deserializer::from_slice(content(head));
    match serde::de::Deserialize::deserialize(&mut document) {
        Ok(serde::de::IgnoredAny) => false,
        Err(e) => e.line() <= n + 1,
    }
}

/// The shape of an input named as `name` whose first bytes are `head`; `whole` says `head` is all
/// of it.
pub fn sniff(head: &[u8], whole: bool, name: Name) -> Shape {
    if name == Name::Lines {
        return Shape::Lines;
    }
    let (first, after) = first_line(head);
    match first.first() {
        Some(b'[') => return Shape::Array,
        Some(b'{') => {}
        // Blank, or not JSON: every line is answered in its place.
        _ => return Shape::Lines,
    }
    if !is_json(first) {
        if records_follow(head, whole) {
            // JSON Lines whose first line is broken (cut short): that line is an invalid record.
            return Shape::Lines;
        }
        // An object that goes on past its first line: pretty-printed JSON (or a broken first
        // line, which the reader reports with this same judgement of where the record ends).
        return if after.is_empty() && !whole { Shape::Lines } else { Shape::Object };
    }
    if !blank(after) || !whole || name == Name::Stdin {
        Shape::Lines
    } else {
        Shape::Object
    }
}

/// An input opened for reading, with its shape judged from its head; the bytes looked at are read
/// again by whoever reads the input.
pub struct Opened<'a> {
    pub shape: Shape,
    pub reader: Box<dyn BufRead + 'a>,
}

/// Judge `input`, named as `name`, by its head (reading at most three lines of 1 MiB ahead, and
/// nothing when the name settles it) and hand it back whole.
pub fn open<'a>(mut input: impl Read + 'a, name: Name) -> std::io::Result<Opened<'a>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    let mut whole = false;
    // Enough to judge (see `judged`), or all of the input.
    while name != Name::Lines && head.len() < HEAD_LIMIT {
        let n = input.read(&mut chunk)?;
        let Some(read) = chunk.get(..n).filter(|r| !r.is_empty()) else {
            whole = true;
            break;
        };
        head.extend_from_slice(read);
        if judged(&head, name) {
            break;
        }
    }
    let shape = sniff(&head, whole, name);
    Ok(Opened { shape, reader: Box::new(std::io::BufReader::new(std::io::Cursor::new(head).chain(input))) })
}

/// Whether `head` says enough. The first line of content must be complete. A whole JSON value on
/// it needs something after it, unless standard input breaks the tie (a one-line object alone in
/// its file is one object). A broken one needs the next non-blank line, and the line after that,
/// unless the next one is no record (then it is a document).
fn judged(head: &[u8], name: Name) -> bool {
    let (first, after) = first_line(head);
    if first.is_empty() || after.is_empty() {
        return false;
    }
    if is_json(first) {
        return name == Name::Stdin || !blank(after);
    }
    if !first.starts_with(b"{") {
        return true;
    }
    match next_line(head, false) {
        Some((_, line, true)) if !is_object(line) => true,
        Some((n, _, true)) => complete_lines(head) > n,
        _ => false,
    }
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
        assert_eq!(sniff(one, true, Name::Other), Shape::Object);
        assert_eq!(sniff(one, true, Name::Stdin), Shape::Lines);
        assert_eq!(sniff(one, true, Name::Lines), Shape::Lines);
        assert_eq!(sniff(b"{\"a\": 1}\n{\"a\": 2}\n", true, Name::Other), Shape::Lines);
        assert_eq!(sniff(b"\xef\xbb\xbf{\n  \"a\": 1\n}\n", true, Name::Stdin), Shape::Object);
        assert_eq!(sniff(b"  \n[{\"a\": 1}]", true, Name::Stdin), Shape::Array);
        assert_eq!(sniff(b"\n", true, Name::Other), Shape::Lines);
        assert_eq!(sniff(b"", true, Name::Other), Shape::Lines);
        assert_eq!(sniff(b"not json\n", true, Name::Other), Shape::Lines);
        // A stream cut after its first line: more may follow.
        assert_eq!(sniff(b"{\"a\": 1}\n", false, Name::Other), Shape::Lines);
    }

    #[test]
    fn a_name_that_says_json_lines_settles_the_shape() {
        for text in ["{\n  \"a\": 1\n}\n", "[{\"a\": 1}]", "{\"a\": 1}"] {
            let opened = open(text.as_bytes(), Name::Lines).map(|o| o.shape).ok();
            assert_eq!(opened, Some(Shape::Lines), "{text}");
        }
    }

    #[test]
    fn a_broken_first_line_before_records_is_json_lines() {
        let record = "{\"a\": 1, \"b\": {\"c\": [1, 2]}}\n";
        for cut in ["{\"a\": 1, \"b\": ", "{\"a\": 1,", "{\"a\": 1, \"b", "{\"a\": 1, \"b\": {\"c\": [1"] {
            for rest in [1, 2, 25] {
                let text = format!("{cut}\n{}", record.repeat(rest));
                for name in [Name::Other, Name::Stdin] {
                    let shape = open(text.as_bytes(), name).map(|o| o.shape).ok();
                    assert_eq!(shape, Some(Shape::Lines), "{name:?} {text}");
                }
            }
        }
    }

    #[test]
    fn a_pretty_document_stays_one_document() {
        let broken_far_down = format!("{{\n{}  \"z\": 1,\n}}\n", "  \"a\": {\"b\": 1},\n".repeat(30));
        let nested_objects = "{\n  \"list\": [\n    {\"a\": 1},\n    {\"a\": 2}\n  ],\n}\n";
        let odd = "{\"x\":\n{\"a\": 1}\n}\n";
        let array = "[\n{\"a\": 1}\n]\n";
        for (text, shape) in [
            (broken_far_down.as_str(), Shape::Object),
            (nested_objects, Shape::Object),
            (odd, Shape::Object),
            (array, Shape::Array),
        ] {
            for name in [Name::Other, Name::Stdin] {
                assert_eq!(open(text.as_bytes(), name).map(|o| o.shape).ok(), Some(shape), "{name:?} {text}");
            }
        }
    }

    #[test]
    fn a_one_line_object_alone_is_one_object_unless_named_as_lines() {
        let line = "{\"a\": 1}\n";
        let shape = |name| open(line.as_bytes(), name).map(|o| o.shape).ok();
        assert_eq!(shape(Name::Other), Some(Shape::Object));
        assert_eq!(shape(Name::Stdin), Some(Shape::Lines));
        assert_eq!(shape(Name::Lines), Some(Shape::Lines));
        let two = line.repeat(2);
        assert_eq!(open(two.as_bytes(), Name::Other).map(|o| o.shape).ok(), Some(Shape::Lines));
    }

    #[test]
    fn opening_hands_back_every_byte() {
        let text = "\u{feff}{\n  \"a\": 1\n}\n".repeat(3000);
        for (name, shape) in [(Name::Other, Shape::Object), (Name::Lines, Shape::Lines)] {
            let opened = open(text.as_bytes(), name);
            let Ok(mut opened) = opened else { return assert!(opened.is_ok()) };
            assert_eq!(opened.shape, shape);
            let mut back = String::new();
            assert!(opened.reader.read_to_string(&mut back).is_ok());
            assert_eq!(back, text);
        }
    }

    #[test]
    fn a_document_too_large_or_not_utf8_says_so_in_both_languages() {
        let messages = [DocumentError::TooLarge.message(), DocumentError::NotUtf8 { at: 3 }.message()];
        for m in messages {
            assert!(!m.zh.is_empty() && m.en.is_ascii(), "{m:?}");
        }
    }
}
