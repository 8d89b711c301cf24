//! `jifen fmt`: a conservative formatter over the lossless token stream. It never changes what a
//! policy means (a test compiles every policy before and after and compares the IR), only its
//! layout:
//!
//! - line endings become `\n`, trailing spaces go, the file ends with one newline, and runs of
//!   blank lines shrink to one;
//! - a line that opens a declaration (分项, 表, 用途 …) starts at column 0, and any other line is
//!   indented two spaces a level, whatever the input used (tabs, four spaces, a mixture); lines
//!   that continue an expression line up with what they continue (`indent.rs`);
//! - runs of spaces between tokens shrink to one (full-width spaces included), but a comment keeps
//!   two spaces before it;
//! - in a block of consecutive lines that each hold an arrow (table rows, 匹配 and 分段 arms) the
//!   arrows are aligned, and so are the comments that end consecutive lines, using display width
//!   so Chinese text lines up.
//!
//! - every mark has one spelling and every space one rule (`canonical.rs`): `->` and `→` format
//!   alike, and so do `昆山市→2021-12-31` and `昆山市   → 2021-12-31`.

mod canonical;
pub mod files;
mod indent;

use crate::syntax::lexer::{tokenize, TokenKind};
use unicode_width::UnicodeWidthStr;

/// Whether a line opens a declaration: the parser's rule, on the line's text.
fn opens_declaration(line: &Line) -> bool {
    let text: String = line.tokens.iter().map(|t| t.0.as_str()).collect();
    crate::syntax::keywords::begins_declaration(&text)
}

/// Two spaces before a citation (依据 / per) or a 模拟取值 mark keep the rule and its source apart.
fn is_citation_keyword(tok: &(String, TokenKind)) -> bool {
    tok.1 == TokenKind::Keyword && matches!(tok.0.as_str(), "依据" | "per" | "模拟取值" | "modelled")
}

/// One line as tokens (text, kind), without its leading indentation and line break.
struct Line {
    indent: usize,
    tokens: Vec<(String, TokenKind)>,
}

/// The column after `part`, leading whitespace that starts at column `start`: a tab goes to the
/// next multiple of four (the only thing that matters is how the lines' indentations compare).
fn indent_width(start: usize, part: &str) -> usize {
    part.chars().fold(start, |col, c| match c {
        '\t' => (col / 4 + 1) * 4,
        c => col + unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
    })
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = vec![Line { indent: 0, tokens: Vec::new() }];
    let mut at_start = true;
    for t in tokenize(text) {
        // The lexer's tokens are ranges of this very text, cut at character boundaries.
        let s = text.get(t.start..t.end).unwrap_or("");
        if t.kind == TokenKind::Whitespace {
            let mut parts = s.split('\n').peekable();
            let mut first = true;
            while let Some(part) = parts.next() {
                if !first {
                    lines.push(Line { indent: 0, tokens: Vec::new() });
                    at_start = true;
                }
                first = false;
                let part = part.trim_end_matches('\r');
                if let Some(line) = lines.last_mut() {
                    if at_start {
                        line.indent = indent_width(line.indent, part);
                    } else if !part.is_empty() && parts.peek().is_none() {
                        // As written: code's spacing is normalised later (canonical_code), but a
                        // 【title】 keeps it, being the law's wording and part of the IR.
                        line.tokens.push((part.to_string(), TokenKind::Whitespace));
                    }
                }
            }
            continue;
        }
        at_start = false;
        if let Some(line) = lines.last_mut() {
            line.tokens.push((s.to_string(), t.kind));
        }
    }
    lines
}

fn is_arrow(tok: &(String, TokenKind)) -> bool {
    tok.1 == TokenKind::Punct && (tok.0 == "→" || tok.0 == "-")
}

/// The line's text with single spaces between tokens; `arrow_at` pads before the first arrow and
/// `comment_at` before a trailing comment.
fn render_line(line: &Line, indent: usize, arrow_at: Option<usize>, comment_at: Option<usize>) -> String {
    render(line, indent, arrow_at, comment_at).0
}

/// The line as `render_line` writes it, and the column where each of its tokens starts.
fn render(line: &Line, indent: usize, arrow_at: Option<usize>, comment_at: Option<usize>) -> (String, Vec<usize>) {
    let mut out = " ".repeat(indent);
    let mut width = indent;
    let mut columns = Vec::with_capacity(line.tokens.len());
    let mut arrow_done = false;
    let tokens: Vec<&(String, TokenKind)> = line.tokens.iter().collect();
    for (i, tok) in tokens.iter().enumerate() {
        let pad = |out: &mut String, width: &mut usize, n: usize| {
            out.push_str(&" ".repeat(n));
            *width += n;
        };
        if tok.1 == TokenKind::Whitespace {
            columns.push(width);
            let next = tokens.get(i + 1);
            match next {
                Some(n) if n.1 == TokenKind::Comment => {
                    // A comment not aligned with others stands two spaces after the code.
                    let n = comment_at.map(|c| c.saturating_sub(width)).unwrap_or(2).max(2);
                    pad(&mut out, &mut width, n);
                }
                Some(n) if is_citation_keyword(n) => pad(&mut out, &mut width, 2),
                Some(n) if is_arrow_token(n, i + 1, &tokens) && arrow_at.is_some() && !arrow_done => {}
                Some(_) => pad(&mut out, &mut width, 1),
                None => {}
            }
            continue;
        }
        if is_arrow_token(tok, i, &tokens) && !arrow_done {
            if let Some(col) = arrow_at {
                // Back to the last token, never into the indentation (a line may begin with `→`).
                out.truncate(out.trim_end().len().max(indent));
                width = UnicodeWidthStr::width(out.as_str());
                let n = col.saturating_sub(width).max(1);
                pad(&mut out, &mut width, n);
            }
            arrow_done = true;
        }
        columns.push(width);
        out.push_str(&tok.0);
        width += UnicodeWidthStr::width(tok.0.as_str());
    }
    out.truncate(out.trim_end().len());
    (out, columns)
}

/// `→`, or `->` written as two tokens: the first of them counts.
fn is_arrow_token(tok: &(String, TokenKind), i: usize, tokens: &[&(String, TokenKind)]) -> bool {
    if !is_arrow(tok) {
        return false;
    }
    if tok.0 == "-" {
        return tokens.get(i + 1).is_some_and(|n| n.1 == TokenKind::Punct && n.0 == ">");
    }
    true
}

fn arrow_column(line: &Line, indent: usize) -> Option<usize> {
    if opens_declaration(line) && line.indent == 0 {
        return None;
    }
    let tokens: Vec<&(String, TokenKind)> = line.tokens.iter().collect();
    let i = (0..tokens.len()).find(|&i| tokens.get(i).is_some_and(|t| is_arrow_token(t, i, &tokens)))?;
    if i == 0 {
        // A line that begins with its arrow begins where it is indented: it is not aligned.
        return None;
    }
    let before = Line { indent: 0, tokens: line.tokens.iter().take(i).cloned().collect() };
    Some(UnicodeWidthStr::width(render_line(&before, indent, None, None).as_str()) + 1)
}

/// Where a trailing comment would start with two spaces before it, given the arrow column.
fn comment_column(line: &Line, indent: usize, arrow_at: Option<usize>) -> Option<usize> {
    let last = line.tokens.iter().rposition(|t| t.1 != TokenKind::Whitespace)?;
    let has_code = line.tokens.iter().take(last).any(|t| t.1 != TokenKind::Whitespace);
    if line.tokens.get(last).map(|t| t.1) != Some(TokenKind::Comment) || !has_code {
        return None;
    }
    let before = Line { indent: 0, tokens: line.tokens.iter().take(last).cloned().collect() };
    Some(UnicodeWidthStr::width(render_line(&before, indent, arrow_at, None).as_str()) + 2)
}

/// Give every run of consecutive lines for which `column` is defined the widest of their columns.
fn align_blocks(n: usize, column: impl Fn(usize) -> Option<usize>) -> Vec<Option<usize>> {
    let mut out = vec![None; n];
    let mut i = 0;
    while i < n {
        let start = i;
        let mut widest = 0;
        while let Some(c) = (i < n).then(|| column(i)).flatten() {
            widest = widest.max(c);
            i += 1;
        }
        for slot in out.iter_mut().take(i).skip(start) {
            *slot = Some(widest);
        }
        if i == start {
            i += 1;
        }
    }
    out
}

/// What `jifen fmt` does with one file.
#[derive(Debug)]
pub enum Formatted {
    /// Already formatted.
    Unchanged,
    /// The formatted text, and a unified diff from the file's text to it.
    Changed { text: String, diff: String },
    /// The file does not parse: it is left as it is, and these are its syntax errors (render them
    /// with the returned source map).
    SyntaxErrors(crate::syntax::span::SourceMap, Vec<crate::diag::Diagnostic>),
}

/// Format one policy file (`path` is how it is shown). A file that does not parse is never
/// rewritten: a formatter that guesses at broken text could change what the drafter meant.
pub fn format_file(path: &str, text: &str) -> Formatted {
    let mut sources = crate::syntax::span::SourceMap::default();
    // Without a BOM the text is formatted as it is.
    let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
    let id = sources.add(path, unmarked);
    let parsed = crate::syntax::parser::parse_file(id, unmarked);
    if !parsed.errors.is_empty() {
        return Formatted::SyntaxErrors(sources, parsed.errors);
    }
    let formatted = format(text);
    if formatted == text {
        return Formatted::Unchanged;
    }
    let diff = similar::TextDiff::from_lines(text, &formatted)
        .unified_diff()
        .context_radius(2)
        .header(path, &format!("{path}（格式化后）"))
        .to_string();
    Formatted::Changed { text: formatted, diff }
}

/// Format a policy file's text.
pub fn format(text: &str) -> String {
    // Without a BOM the text is formatted as it is.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = split_lines(text);
    for line in &mut lines {
        line.tokens = canonical::canonical_line(&line.tokens);
    }
    // Indentation is meaningful: a declaration keyword begins a declaration only at column 0 (an
    // indented `用途 …` is a line of a 测试), so only lines already there go there.
    let is_declaration = |i: usize| lines.get(i).is_some_and(|l| l.indent == 0 && opens_declaration(l));
    // Blocks of consecutive lines with an arrow share one arrow column, and a line that continues
    // an expression lines up with the tokens of the lines before it, arrows aligned: so the two
    // are found together, until they agree (one round without arrows, two with; more only when a
    // continuation line holds an arrow, and never more than four).
    let mut arrow_cols: Vec<Option<usize>> = vec![None; lines.len()];
    let mut indents = Vec::new();
    for _ in 0..4 {
        indents = indent::indents(&lines, is_declaration, |i, indent| {
            let arrow_at = arrow_cols.get(i).copied().flatten();
            lines.get(i).map(|l| render(l, indent, arrow_at, None).1).unwrap_or_default()
        });
        let indent_of = |i: usize| indents.get(i).copied().unwrap_or(0);
        let next = align_blocks(lines.len(), |i| lines.get(i).and_then(|l| arrow_column(l, indent_of(i))));
        if next == arrow_cols {
            break;
        }
        arrow_cols = next;
    }
    // Then the comments that end consecutive lines share a column.
    // One indent per line (collected from `lines`): the 0 is never used.
    let indent_of = |i: usize| indents.get(i).copied().unwrap_or(0);
    let comment_cols = align_blocks(lines.len(), |i| {
        lines.get(i).and_then(|l| comment_column(l, indent_of(i), arrow_cols.get(i).copied().flatten()))
    });
    let mut out = String::new();
    let mut blank_run = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.tokens.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() && blank_run > 0 {
            out.push('\n');
        }
        blank_run = 0;
        let at = |v: &[Option<usize>]| v.get(i).copied().flatten();
        out.push_str(&render_line(line, indent_of(i), at(&arrow_cols), at(&comment_cols)));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn spaces_indentation_and_blank_lines() {
        let text =
            "分项 [甲]  基础分   依据 办法 第一条\r\n申请人.缴费月数   每满 1个月 计 0.5分   \n\n\n\n  常量 乙 = 1分";
        assert_eq!(
            format(text),
            // An indented 常量 is not a declaration (it does not parse): it stays where it is.
            "分项 [甲] 基础分  依据 办法 第一条\n  申请人.缴费月数 每满 1个月 计 0.5分\n\n  常量 乙 = 1分\n"
        );
    }

    #[test]
    fn an_indented_line_that_starts_with_a_declaration_keyword_stays_indented() {
        let text = "测试 “甲” 基于 乙：\n  预期：\n    用途 丙 符合条件\n      途径 [甲] 不适用\n";
        assert_eq!(format(text), "测试 “甲” 基于 乙：\n  预期：\n    用途 丙 符合条件\n      途径 [甲] 不适用\n");
    }

    #[test]
    fn arrows_align_by_display_width() {
        let text = "表 分值：学历 → 分  依据 办法 第一条\n  初中及以下 → 5分\n  本科 → 80分   # 注释\n";
        assert_eq!(
            format(text),
            "表 分值：学历 → 分  依据 办法 第一条\n  初中及以下 → 5分\n  本科       → 80分  # 注释\n"
        );
    }
}
