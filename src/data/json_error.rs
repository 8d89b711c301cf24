//! A record's JSON syntax error, worded for the person who wrote the record: the line and column
//! once (the input's own line, so a line of JSON Lines is numbered as in the file), what is wrong
//! and what to do about it in both languages, and the offending line quoted.
//!
//! serde_json's error kinds are not public; its messages are fixed English texts (its `ErrorCode`
//! `Display`), so each is recognised by its text and worded here, and any other one (a future
//! version's) gets a generic wording, never serde's English inside a Chinese sentence.

use super::TextAt;
use crate::diag::Msg;

/// Longest excerpt of the offending line quoted (in characters), before and after the column.
const BEFORE: usize = 40;
const AFTER: usize = 20;

/// The syntax error `e` met in `text`, whose first line is line `first_line` of the input: where
/// it is (line and column in characters, both 1-based) and the message that says it.
pub(super) fn syntax_error(e: &serde_json::Error, text: &str, first_line: usize) -> (Msg, TextAt) {
    let code = code_text(e);
    let (mut line, mut byte_col) = place(e, text, &code);
    let after = text_before(text, line, byte_col);
    let here = nth_line(text, line).as_bytes().get(byte_col.saturating_sub(1)).copied();
    // A comma before a closing bracket is a trailing comma, however the parser met it (the reader
    // of arrays meets it as a key or value that is missing); it is shown on the comma, which is
    // what to remove, not on what follows it.
    let trailing_comma = code == "trailing comma"
        || (after == Some(b',') && (here, code.as_str()) == (Some(b'}'), "key must be a string"))
        || (after == Some(b',') && (here, code.as_str()) == (Some(b']'), "expected value"));
    let code = if trailing_comma { "trailing comma".to_string() } else { code };
    if let Some(comma) = trailing_comma.then(|| comma_before(text, line, byte_col)).flatten() {
        (line, byte_col) = comma;
    }
    let line_text = nth_line(text, line);
    let column = chars_before(line_text, byte_col) + 1;
    let cause = cause(code, after, here);
    let at = TextAt { line: first_line + line - 1, column };
    let excerpt = excerpt(line_text, column);
    let zh_quote = if excerpt.is_empty() { String::new() } else { format!("：「{excerpt}」") };
    let en_quote = if excerpt.is_empty() { String::new() } else { format!(": `{excerpt}`") };
    let msg = Msg::new(
        format!("第 {} 行第 {} 列：JSON 语法错误：{}{zh_quote}", at.line, at.column, cause.zh),
        format!("line {}, column {}: JSON syntax error: {}{en_quote}", at.line, at.column, cause.en),
    );
    (msg, at)
}

/// serde_json's message without its ` at line L column C` tail: the text of its error kind.
fn code_text(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    full.strip_suffix(&tail).map(str::to_string).unwrap_or(full)
}

/// The error's line (1-based, within `text`) and byte column (1-based). An error just past a line
/// end (column 0: a text running over its line) is placed at that line end, on the line it is
/// about; an input that ends too soon, just past its last character.
fn place(e: &serde_json::Error, text: &str, code: &str) -> (usize, usize) {
    let (mut line, mut col) = (e.line().max(1), e.column());
    if col == 0 && line > 1 {
        line -= 1;
        col = nth_line(text, line).len() + 1;
    }
    if code.starts_with("EOF while parsing") {
        col = col.max(nth_line(text, line).len() + 1);
    }
    (line, col.max(1))
}

/// The comma before the byte column `col` of `line`, past any blank space: its line and column.
fn comma_before(text: &str, line: usize, col: usize) -> Option<(usize, usize)> {
    let offset = line_start(text, line)? + col.saturating_sub(1);
    let before = text.as_bytes().get(..offset)?;
    let at = before.iter().rposition(|b| !b.is_ascii_whitespace())?;
    if before.get(at) != Some(&b',') {
        return None;
    }
    let start = before.get(..at)?.iter().rposition(|b| *b == b'\n').map_or(0, |n| n + 1);
    let line = 1 + before.get(..start)?.iter().filter(|b| **b == b'\n').count();
    Some((line, at - start + 1))
}

/// Byte offset at which line `line` (1-based) of `text` starts.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.bytes().enumerate().filter(|(_, b)| *b == b'\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// Line `line` (1-based) of `text`, without its line end; empty past the end.
fn nth_line(text: &str, line: usize) -> &str {
    let l = text.split('\n').nth(line.saturating_sub(1)).unwrap_or_default();
    l.strip_suffix('\r').unwrap_or(l)
}

/// The characters of `line` before the byte column `col` (1-based), however its bytes fall.
fn chars_before(line: &str, col: usize) -> usize {
    let bytes = line.as_bytes();
    let n = col.saturating_sub(1).min(bytes.len());
    // A column inside a character counts the character it is in as before it only when whole.
    String::from_utf8_lossy(bytes.get(..n).unwrap_or_default()).chars().filter(|c| *c != '\u{fffd}').count()
}

/// The last character of content before the error: what the error follows (a comma, a colon…).
fn text_before(text: &str, line: usize, col: usize) -> Option<u8> {
    let offset = line_start(text, line)? + col.saturating_sub(1);
    text.as_bytes().get(..offset)?.iter().rev().find(|b| !b.is_ascii_whitespace()).copied()
}

/// The offending line around the column, cut to a readable length (`…` where it is cut).
fn excerpt(line: &str, column: usize) -> String {
    let chars: Vec<char> = line.chars().collect();
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(BEFORE);
    let end = (at + AFTER).min(chars.len()).max(start);
    let body: String = chars.get(start..end).unwrap_or_default().iter().collect();
    let body = if start == 0 { body.trim_start().to_string() } else { format!("…{body}") };
    let body = body.trim_end().to_string();
    if end < chars.len() {
        format!("{body}…")
    } else {
        body
    }
}

/// What is wrong, worded from serde_json's error kind and what the error follows (`after`) and
/// meets (`here`).
fn cause(code: String, after: Option<u8>, here: Option<u8>) -> Msg {
    let single_quote = here == Some(b'\'');
    match code.as_str() {
        "key must be a string" if single_quote => Msg::new(
            "应为带双引号的字段名（JSON 不用单引号）",
            "a field name in double quotes is expected (JSON has no single quotes)",
        ),
        "key must be a string" if after == Some(b',') => Msg::new(
            "应为带双引号的字段名（多了一个逗号？或上一条记录没有结束？）",
            "a field name in double quotes is expected (an extra comma? or a record left unfinished?)",
        ),
        "key must be a string" => {
            Msg::new("应为带双引号的字段名（字段名须加双引号）", "a field name in double quotes is expected")
        }
        "trailing comma" => Msg::new("最后一项后面多了一个逗号：删去它", "a comma after the last item: remove it"),
        "EOF while parsing an object" => Msg::new(
            "对象没有结束，缺少 `}`（被截断了？）",
            "the object does not end, a `}` is missing (was it cut short?)",
        ),
        "EOF while parsing a list" => Msg::new(
            "列表没有结束，缺少 `]`（被截断了？）",
            "the list does not end, a `]` is missing (was it cut short?)",
        ),
        "EOF while parsing a string" => Msg::new(
            "文本没有结束，缺少右引号（被截断了？）",
            "the text does not end, its closing quote is missing (was it cut short?)",
        ),
        "EOF while parsing a value" => Msg::new(
            "内容在此中途结束，后面缺了内容（被截断了？）",
            "the text ends here, unfinished (was it cut short?)",
        ),
        "expected `:`" => Msg::new("字段名后应为冒号 `:`", "a `:` is expected after the field name"),
        "expected `,` or `]`" => Msg::new(
            "列表的两项之间应为逗号，列表以 `]` 结束（漏了逗号？）",
            "a comma between two items of a list, or `]` to end it, is expected (a missing comma?)",
        ),
        "expected `,` or `}`" => Msg::new(
            "两个字段之间应为逗号，对象以 `}` 结束（漏了逗号？）",
            "a comma between two fields, or `}` to end the object, is expected (a missing comma?)",
        ),
        "expected ident" => Msg::new(
            "应为 true、false 或 null（须小写；文本须加双引号）",
            "true, false or null is expected (in lower case; a text goes in double quotes)",
        ),
        "expected value" if single_quote => {
            Msg::new("应为一个值（文本须用双引号，JSON 不用单引号）", "a value is expected (text in double quotes: JSON has no single quotes)")
        }
        "expected value" => Msg::new(
            "此处应为一个值：文本加双引号，数字、true、false、null 照写（JSON 没有注释、NaN）",
            "a value is expected here: text in double quotes; numbers, true, false and null as they are (JSON has no comments or NaN)",
        ),
        "expected `\"`" => Msg::new("应为双引号 `\"`", "a double quote `\"` is expected"),
        "invalid escape" => Msg::new(
            "无效的转义：文本中的反斜杠 `\\` 须写成 `\\\\`",
            "an invalid escape: a backslash `\\` in a text is written `\\\\`",
        ),
        "invalid number" => Msg::new("无效的数字", "an invalid number"),
        "number out of range" => Msg::new("数字超出范围", "a number out of range"),
        "invalid unicode code point" | "lone leading surrogate in hex escape" | "unexpected end of hex escape" => {
            Msg::new("无效的 `\\u` 转义", "an invalid `\\u` escape")
        }
        "control character (\\u0000-\\u001F) found while parsing a string" => Msg::new(
            "文本中有控制字符：换行、制表符须写成 `\\n`、`\\t`（或是缺少右引号？）",
            "a control character inside a text: a line break or tab is written `\\n`, `\\t` (or is a closing quote missing?)",
        ),
        "trailing characters" => Msg::new(
            "一个完整的 JSON 值之后还有内容（一行只能有一条记录）",
            "more text after a complete JSON value (one record a line)",
        ),
        "recursion limit exceeded" => {
            Msg::new("嵌套过深（JSON 最多嵌套 128 层）", "nested too deeply (JSON is read to 128 levels)")
        }
        _ => Msg::new("不符合 JSON 语法", "not valid JSON syntax"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worded(text: &str, first_line: usize) -> (Msg, TextAt) {
        match serde_json::from_str::<serde_json::Value>(text) {
            Ok(_) => (Msg::same("ok"), TextAt { line: 0, column: 0 }),
            Err(e) => syntax_error(&e, text, first_line),
        }
    }

    #[test]
    fn a_trailing_comma_is_shown_where_the_comma_is() {
        let text = "{\n  \"编号\": \"A1\",\n  \"学历\": \"本科\",\n}\n";
        let (msg, at) = worded(text, 1);
        assert_eq!(at, TextAt { line: 3, column: 13 });
        assert_eq!(msg.zh, "第 3 行第 13 列：JSON 语法错误：最后一项后面多了一个逗号：删去它：「\"学历\": \"本科\",」");
        assert!(msg.en.starts_with("line 3, column 13: JSON syntax error: a comma after the last item"), "{}", msg.en);
    }

    #[test]
    fn a_trailing_comma_is_one_however_the_parser_meets_it() {
        for text in ["[{\"a\": 1,\n}]", "[{\"a\": [1,\n]}]"] {
            let parsed = serde_json::from_str::<Vec<Box<serde_json::value::RawValue>>>(text);
            let Err(e) = parsed else { return assert!(parsed.is_err(), "{text}") };
            let (msg, at) = syntax_error(&e, text, 1);
            assert_eq!(at.line, 1, "{}", msg.zh);
            assert!(msg.zh.contains("最后一项后面多了一个逗号"), "{}", msg.zh);
        }
    }

    #[test]
    fn a_line_of_json_lines_is_numbered_as_in_the_input() {
        let (msg, at) = worded("{\"编号\": \"X1\", \"日期\": \"2021-05-10\",", 7);
        assert_eq!(at.line, 7);
        assert_eq!(at.column, 33);
        assert!(msg.zh.starts_with("第 7 行第 33 列：JSON 语法错误：") && msg.zh.contains("截断"), "{}", msg.zh);
        assert!(
            msg.en.starts_with("line 7, column 33: JSON syntax error: ") && msg.en.contains("cut short"),
            "{}",
            msg.en
        );
    }

    #[test]
    fn each_kind_is_worded_in_both_languages() {
        let cases = [
            ("{\"a\": 1,, \"b\": 2}", "多了一个逗号"),
            ("{'a': 1}", "不用单引号"),
            ("{\"a\" 1}", "冒号"),
            ("{\"a\": 1 \"b\": 2}", "漏了逗号"),
            ("[1 2]", "漏了逗号"),
            ("{\"a\": tru}", "true、false 或 null"),
            ("{\"a\": }", "应为一个值"),
            ("{\"a\": \"x\\q\"}", "无效的转义"),
            ("{\"a\": \"x\ty\"}", "控制字符"),
            ("{\"a\": 1} x", "还有内容"),
            ("{\"a\": \"x", "缺少右引号"),
            ("[1,", "中途结束"),
            ("[1", "缺少 `]`"),
        ];
        for (text, want) in cases {
            let (msg, _) = worded(text, 1);
            assert!(msg.zh.contains(want), "{text}: {}", msg.zh);
            assert!(!msg.en.contains("JSON 语法"), "{text}: {}", msg.en);
        }
    }

    #[test]
    fn a_text_running_over_its_line_is_placed_on_its_line() {
        let (msg, at) = worded("{\n  \"a\": \"x\n\"}", 1);
        assert_eq!(at.line, 2, "{}", msg.zh);
    }

    #[test]
    fn a_long_line_is_quoted_around_the_column() {
        let line = format!("{{\"a\": \"{}\", \"b\" 1}}", "x".repeat(500));
        let (msg, _) = worded(&line, 1);
        assert!(msg.zh.contains("「…") && msg.zh.chars().count() < 200, "{}", msg.zh);
    }
}
