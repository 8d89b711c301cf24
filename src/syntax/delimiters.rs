//! Quotes and brackets, checked before parsing so that a missing character is reported where the
//! drafter made the slip, never where the parser happens to give up.
//!
//! A text in quotes never crosses a line end: a forgotten `”` would otherwise run on to the next
//! `”` and swallow whatever lay between (a whole clause). Brackets may span lines but never leave
//! their declaration. Every opener without its closer is reported at the opener; a closer of the
//! wrong kind at the closer, with the opener it fails to match.

use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic, Label, Msg};

/// The closer each quote opener needs; `"` closes itself.
fn quote_closer(open: char) -> Option<char> {
    match open {
        '“' => Some('”'),
        '「' => Some('」'),
        '"' => Some('"'),
        _ => None,
    }
}

fn bracket_closer(open: char) -> Option<char> {
    match open {
        '(' => Some(')'),
        '（' => Some('）'),
        '[' => Some(']'),
        '【' => Some('】'),
        _ => None,
    }
}

/// Whether `close` closes `open`: a full-width bracket may be closed by its ASCII twin.
fn bracket_pairs(open: char, close: char) -> bool {
    matches!((open, close), ('(' | '（', ')' | '）') | ('[' | '【', ']' | '】'))
}

fn is_bracket_closer(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '】')
}

struct Scanner<'t> {
    file: FileId,
    /// Byte offset of `text` in its file.
    offset: usize,
    text: &'t str,
    diags: Vec<Diagnostic>,
}

/// Check the quotes and brackets of one declaration (`text`, found at byte `offset` of `file`).
pub fn check(file: FileId, offset: usize, text: &str) -> Vec<Diagnostic> {
    let mut s = Scanner { file, offset, text, diags: Vec::new() };
    s.scan();
    s.diags
}

impl Scanner<'_> {
    fn span(&self, at: usize, c: char) -> Span {
        Span::new(self.file, self.offset + at, self.offset + at + c.len_utf8())
    }

    fn scan(&mut self) {
        let mut open: Vec<(usize, char)> = Vec::new();
        let mut at = 0;
        while let Some(c) = self.text.get(at..).and_then(|s| s.chars().next()) {
            // The character was just read from this very slice; a comment without a newline
            // runs to the end of the text.
            let rest = self.text.get(at..).unwrap_or("");
            if c == '#' || rest.starts_with("//") {
                at += rest.find('\n').unwrap_or(rest.len());
                continue;
            }
            if quote_closer(c).is_some() {
                at = self.quoted(at, c);
                continue;
            }
            if bracket_closer(c).is_some() {
                open.push((at, c));
            } else if is_bracket_closer(c) {
                match open.pop() {
                    Some((_, o)) if bracket_pairs(o, c) => {}
                    Some((o_at, o)) => self.mismatched_bracket(o_at, o, at, c),
                    None => self.stray_closer(at, c),
                }
            } else if matches!(c, '”' | '」') {
                self.stray_closer(at, c);
            }
            at += c.len_utf8();
        }
        for (o_at, o) in open {
            self.unclosed_bracket(o_at, o);
        }
    }

    /// A quoted text opening at `start` with `open`; returns where scanning resumes. Holes
    /// (`{表达式}`) may hold quoted texts of their own.
    fn quoted(&mut self, start: usize, open: char) -> usize {
        let Some(close) = quote_closer(open) else { return start + open.len_utf8() };
        let mut at = start + open.len_utf8();
        let mut hole_depth = 0usize;
        while let Some(c) = self.text.get(at..).and_then(|s| s.chars().next()) {
            if c == '\n' || c == '\r' {
                break;
            }
            if hole_depth > 0 {
                match c {
                    '}' | '｝' => hole_depth -= 1,
                    '{' | '｛' => hole_depth += 1,
                    _ if quote_closer(c).is_some() => {
                        at = self.quoted(at, c);
                        continue;
                    }
                    _ => {}
                }
            } else if c == close {
                return at + c.len_utf8();
            } else if matches!(c, '{' | '｛') {
                hole_depth += 1;
            } else if c == open && open == '“' {
                self.nested_quote(start, at);
                return self.line_end(at);
            }
            at += c.len_utf8();
        }
        // The line ended inside the text: a closer of another kind is the usual slip.
        // From just after the opener to where the scan stopped: both character boundaries, in order.
        let line = self.text.get(start + open.len_utf8()..at).unwrap_or("");
        let wrong = line.char_indices().find(|(_, c)| matches!(c, '”' | '"' | '」') && *c != close);
        match wrong {
            Some((i, w)) => self.mismatched_quote(start, open, start + open.len_utf8() + i, w),
            None => self.unclosed_quote(start, open),
        }
        at
    }

    fn line_end(&self, at: usize) -> usize {
        // The last line ends with the text.
        at + self.text.get(at..).and_then(|s| s.find('\n')).unwrap_or(self.text.len().saturating_sub(at))
    }

    fn unclosed_quote(&mut self, at: usize, open: char) {
        // Called for quote openers only, each of which has its closer.
        let close = quote_closer(open).unwrap_or(open);
        self.diags.push(
            Diagnostic::error(
                Code::UnclosedDelimiter,
                Msg::new(
                    format!("这里的「{open}」没有配对的「{close}」"),
                    format!("this `{open}` is never closed by `{close}`"),
                ),
                Label::primary(
                    self.span(at, open),
                    Msg::new(
                        format!("引号从这里开始，到行尾也没有「{close}」"),
                        format!("the text opens here and the line ends without `{close}`"),
                    ),
                ),
            )
            .with_help(Msg::new(
                format!("在文字结尾补上「{close}」；引号里的文字不能跨行"),
                format!("add `{close}` where the text ends; a quoted text never crosses a line end"),
            )),
        );
    }

    fn mismatched_quote(&mut self, at: usize, open: char, wrong_at: usize, wrong: char) {
        // Called for quote openers only, each of which has its closer.
        let close = quote_closer(open).unwrap_or(open);
        self.diags.push(
            Diagnostic::error(
                Code::MismatchedDelimiter,
                Msg::new(
                    format!("「{open}」要用「{close}」闭合，这里用了「{wrong}」"),
                    format!("`{open}` must be closed by `{close}`, not `{wrong}`"),
                ),
                Label::primary(
                    self.span(wrong_at, wrong),
                    Msg::new(format!("写成「{close}」"), format!("write `{close}`")),
                ),
            )
            .with_label(Label::secondary(self.span(at, open), Msg::new("引号从这里开始", "the text opens here")))
            .with_help(Msg::new(
                format!("把「{wrong}」改成「{close}」：中文引号成对写作“…”，英文引号写作\"…\""),
                format!("change `{wrong}` to `{close}`: quotes pair as “…” or \"…\""),
            )),
        );
    }

    fn nested_quote(&mut self, outer: usize, inner: usize) {
        self.diags.push(
            Diagnostic::error(
                Code::MismatchedDelimiter,
                Msg::new("引号里又出现了「“」", "a `“` inside a quoted text"),
                Label::primary(self.span(inner, '“'), Msg::new("第二个「“」", "a second `“`")),
            )
            .with_label(Label::secondary(self.span(outer, '“'), Msg::new("外层的「“」还没有闭合", "the outer `“` is still open")))
            .with_help(Msg::new(
                "引文中的引号写成「」（如 “取得「优秀」称号”）；如果是前一段文字漏了「”」，在这里之前补上",
                "quote inside a text with 「」 (“取得「优秀」称号”); if the text before lacks its `”`, add it before here",
            )),
        );
    }

    fn unclosed_bracket(&mut self, at: usize, open: char) {
        // Called for bracket openers only, each of which has its closer.
        let close = bracket_closer(open).unwrap_or(open);
        self.diags.push(
            Diagnostic::error(
                Code::UnclosedDelimiter,
                Msg::new(
                    format!("这里的「{open}」没有配对的「{close}」"),
                    format!("this `{open}` is never closed by `{close}`"),
                ),
                Label::primary(
                    self.span(at, open),
                    Msg::new(
                        format!("到这条声明结束也没有「{close}」"),
                        format!("the declaration ends without `{close}`"),
                    ),
                ),
            )
            .with_help(Msg::new(
                format!("在括号内容结束处补上「{close}」"),
                format!("add `{close}` where the bracketed part ends"),
            )),
        );
    }

    fn mismatched_bracket(&mut self, open_at: usize, open: char, at: usize, close: char) {
        // Called for bracket openers only, each of which has its closer.
        let want = bracket_closer(open).unwrap_or(open);
        self.diags.push(
            Diagnostic::error(
                Code::MismatchedDelimiter,
                Msg::new(
                    format!("「{open}」要用「{want}」闭合，这里是「{close}」"),
                    format!("`{open}` must be closed by `{want}`, found `{close}`"),
                ),
                Label::primary(self.span(at, close), Msg::new("括号不配对", "does not match")),
            )
            .with_label(Label::secondary(self.span(open_at, open), Msg::new("括号从这里开始", "opened here")))
            .with_help(Msg::new(
                format!("改成「{want}」，或在它之前补上漏掉的括号"),
                format!("write `{want}`, or add the bracket missing before it"),
            )),
        );
    }

    fn stray_closer(&mut self, at: usize, close: char) {
        let open = match close {
            ')' | '）' => "（",
            ']' | '】' => "【",
            '”' => "“",
            _ => "「",
        };
        self.diags.push(
            Diagnostic::error(
                Code::MismatchedDelimiter,
                Msg::new(
                    format!("多余的「{close}」：前面没有「{open}」"),
                    format!("unmatched `{close}`: no `{open}` before it"),
                ),
                Label::primary(self.span(at, close), Msg::new("没有与之配对的开括号或开引号", "nothing opens here")),
            )
            .with_help(Msg::new(
                format!("删去它，或在前面补上「{open}」"),
                format!("remove it, or add the `{open}` it closes"),
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, usize)> {
        check(FileId(0), 0, text)
            .iter()
            .map(|d| (d.code.as_str(), d.labels.first().map_or(0, |l| l.span.range().start)))
            .collect()
    }

    #[test]
    fn balanced_text_is_clean() {
        assert!(codes("条件 甲（乙【1】） 不符合 “不满{数值（甲）}（{乙}）”\n").is_empty());
        assert!(codes("# 注释里的「“」不算\n常量 甲 = “a「b」c”").is_empty());
        assert!(codes("常量 甲 = \"a”b\"").is_empty());
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_opening() {
        let text = "不符合 “未满18周岁\n  条件 甲 不符合 “乙”";
        assert_eq!(codes(text), vec![("E0004", "不符合 ".len())]);
    }

    #[test]
    fn a_quote_closed_by_its_ascii_twin_is_an_error_at_the_closer() {
        let text = "不符合 “未满18周岁\" 依据";
        assert_eq!(codes(text), vec![("E0005", "不符合 “未满18周岁".len())]);
    }

    #[test]
    fn nested_quotes_ask_for_corner_brackets() {
        assert_eq!(codes("“取得“优秀”称号”").first().map(|c| c.0), Some("E0005"));
    }

    #[test]
    fn brackets_are_matched_across_lines() {
        assert!(codes("任一（子女：\n  甲）").is_empty());
        assert_eq!(codes("任一（子女：\n  甲"), vec![("E0004", "任一".len())]);
        assert_eq!(codes("甲（乙】"), vec![("E0005", "甲（乙".len())]);
        assert_eq!(codes("甲）"), vec![("E0005", "甲".len())]);
    }
}
