//! Where each line starts: indentation is canonical, two columns a level, whatever the input used
//! (two or four spaces, tabs, a mixture), so that two drafters' editors give one formatted file.
//!
//! Indentation means nothing to the grammar but one thing: a line at column 0 that begins with a
//! declaration keyword begins a declaration. So a declaration line stays at column 0, and every
//! other line (but a whole-line comment already there) starts at column 2 or deeper; the rest is
//! layout. A line is one of:
//!
//! - a **block line**, nested as the input nests it: deeper than the line it belongs to, level with
//!   its siblings (the offside rule, on the input's relative indentation, so the width of a level
//!   does not matter). Its canonical place is two columns a level.
//! - a **continuation line**, which continues an expression from the lines before it. Its place is
//!   found from the tokens alone, never from its input indentation:
//!   - `则` / `否则` under the `若` or `若有` they belong to;
//!   - the line after one that ends with `则` or `否则`: two columns right of that `若`;
//!   - inside a bracket opened on an earlier line: under the bracket's first token (two columns right
//!     of the line that opened it when nothing follows the bracket there);
//!   - `或` / `且`: under the operand that began the line before (or under that line's own `或`).
//! - a **comment line**: at column 0 if it is there, else where the code line after it goes if that
//!   line continues an expression, else nested as the input nests it.
//!
//! The result is idempotent: a line's kind depends on tokens alone, and the nesting read back from
//! the output is the nesting it was given (`stack` keeps input and output indentation in the same
//! order, levels at least two columns apart).

use super::Line;
use crate::syntax::lexer::TokenKind;

type Tok = (String, TokenKind);

fn is_keyword(tok: Option<&Tok>, spellings: &[&str]) -> bool {
    tok.is_some_and(|t| t.1 == TokenKind::Keyword && spellings.contains(&t.0.as_str()))
}

const IF: &[&str] = &["若", "if", "若有", "iflet"];
const THEN: &[&str] = &["则", "then"];
const ELSE: &[&str] = &["否则", "else"];
const OR_AND: &[&str] = &["或", "or", "且", "and"];

fn is_punct(tok: &Tok, marks: &[&str]) -> bool {
    tok.1 == TokenKind::Punct && marks.contains(&tok.0.as_str())
}

/// A line of the nesting read so far: its input indentation (in half columns, so that a line at
/// column 0 that is not a declaration sits between the declaration and its indented lines) and
/// where it was put.
#[derive(Clone, Copy)]
struct Entry {
    input: usize,
    out: usize,
}

/// A `若` or `若有` whose `否则` has not come yet: where it stands, inside how many brackets, and
/// whether its `则` has come.
struct If {
    col: usize,
    depth: usize,
    then: bool,
}

/// The last code line: where it starts, where its second token starts, whether it begins with 或/且.
#[derive(Clone, Copy)]
struct Previous {
    start: usize,
    second: Option<usize>,
    or_and: bool,
}

struct State {
    stack: Vec<Entry>,
    /// For each open bracket, the column of the lines inside it.
    brackets: Vec<usize>,
    ifs: Vec<If>,
    /// The column of the line after one that ended with 则 or 否则.
    after_branch: Option<usize>,
    previous: Option<Previous>,
}

const ROOT: Entry = Entry { input: 0, out: 0 };

impl State {
    fn new() -> State {
        State { stack: vec![ROOT], brackets: Vec::new(), ifs: Vec::new(), after_branch: None, previous: None }
    }

    fn top(&self) -> Entry {
        self.stack.last().copied().unwrap_or(ROOT)
    }

    /// The column a continuation line goes to, or `None` for a block line.
    fn continuation(&self, line: &Line) -> Option<usize> {
        let first = line.tokens.first();
        let depth = self.brackets.len();
        let open_if = |then: bool| self.ifs.iter().rev().find(|f| f.depth == depth && f.then == then).map(|f| f.col);
        if is_keyword(first, THEN) {
            if let Some(col) = open_if(false) {
                return Some(col);
            }
        }
        if is_keyword(first, ELSE) {
            if let Some(col) = open_if(true) {
                return Some(col);
            }
        }
        if let Some(col) = self.after_branch.or_else(|| self.brackets.last().copied()) {
            return Some(col);
        }
        let previous = self.previous.filter(|_| is_keyword(first, OR_AND))?;
        Some(if previous.or_and { previous.start } else { previous.second.unwrap_or(previous.start + 2) })
    }

    /// A block line at `input` (half columns): level with the line it matches, or one level deeper
    /// than the line it is below.
    fn block(&mut self, input: usize) -> usize {
        if input == AT_ZERO {
            // Not a declaration, so not where it stands: the first level, whatever its width.
            while self.stack.len() > 1 && self.top().out > 2 {
                self.stack.pop();
            }
            return 2;
        }
        while self.stack.len() > 1 && self.top().input > input {
            self.stack.pop();
        }
        let top = self.top();
        if self.stack.len() > 1 && top.input == input {
            return top.out;
        }
        let out = top.out + 2;
        self.stack.push(Entry { input, out });
        out
    }

    /// A continuation line put at `out`: lines nested below it in the input nest below it here.
    fn continued(&mut self, input: usize, out: usize) {
        let mut same = None;
        // Levels stay at least two columns apart, in the input's order: what the output would
        // give back when read again.
        while self.stack.len() > 1 && self.top().out + 2 > out {
            same = self.stack.pop().filter(|e| e.out == out).or(same);
        }
        let input = same.map_or_else(|| input.max(self.top().input + 1), |e| e.input);
        self.stack.push(Entry { input, out });
    }

    /// Where a comment line at `input` goes if the code after it does not continue an expression:
    /// as a block line would, without becoming a line that others nest below.
    fn peek(&self, input: usize) -> usize {
        match self.stack.iter().rev().find(|e| e.input <= input) {
            Some(e) if e.input == input && e.input > 0 => e.out,
            Some(e) => e.out + 2,
            None => 2,
        }
    }

    /// Follow the brackets and the `若 … 则 … 否则` of a line whose tokens start at `cols`.
    fn scan(&mut self, line: &Line, out: usize, cols: &[usize]) {
        let code: Vec<usize> = (0..line.tokens.len())
            .filter(|&i| line.tokens.get(i).is_some_and(|t| !matches!(t.1, TokenKind::Whitespace | TokenKind::Comment)))
            .collect();
        let col = |i: usize| cols.get(i).copied().unwrap_or(out);
        let mut branch = None;
        for (k, &i) in code.iter().enumerate() {
            let Some(tok) = line.tokens.get(i) else { continue };
            let depth = self.brackets.len();
            branch = None;
            if is_punct(tok, &["（", "(", "["]) {
                self.brackets.push(code.get(k + 1).map_or(out + 2, |&next| col(next)));
            } else if is_punct(tok, &["）", ")", "]"]) {
                self.brackets.pop();
                let depth = self.brackets.len();
                self.ifs.retain(|f| f.depth <= depth);
            } else if is_keyword(Some(tok), IF) {
                self.ifs.push(If { col: col(i), depth, then: false });
            } else if is_keyword(Some(tok), THEN) {
                if let Some(f) = self.ifs.iter_mut().rev().find(|f| f.depth == depth && !f.then) {
                    f.then = true;
                    branch = Some(f.col);
                }
            } else if is_keyword(Some(tok), ELSE) {
                if let Some(at) = self.ifs.iter().rposition(|f| f.depth == depth && f.then) {
                    branch = self.ifs.get(at).map(|f| f.col);
                    self.ifs.truncate(at);
                }
            }
        }
        self.after_branch = branch.map(|c| c + 2);
        self.previous = Some(Previous {
            start: out,
            second: code.get(1).map(|&i| col(i)),
            or_and: is_keyword(line.tokens.first(), OR_AND),
        });
    }
}

/// The input indentation of a line at column 0 that is not a declaration.
const AT_ZERO: usize = 1;

/// A line's input indentation in half columns: a line at column 0 that is not a declaration comes
/// after the declaration and before its indented lines.
fn half_columns(line: &Line) -> usize {
    if line.indent == 0 {
        AT_ZERO
    } else {
        line.indent.saturating_mul(2)
    }
}

/// The indentation of every line. `is_declaration(i)` says whether line `i` begins a declaration
/// (at column 0); `columns(i, indent)` gives where the tokens of line `i` start when it is indented
/// by `indent`.
pub(super) fn indents(
    lines: &[Line],
    is_declaration: impl Fn(usize) -> bool,
    columns: impl Fn(usize, usize) -> Vec<usize>,
) -> Vec<usize> {
    let mut out = vec![0; lines.len()];
    let mut state = State::new();
    // Comment lines wait for the line after them: (line, where the nesting puts it).
    let mut comments: Vec<(usize, usize)> = Vec::new();
    let mut continues = vec![false; lines.len()];
    for (i, line) in lines.iter().enumerate() {
        let Some(first) = line.tokens.first() else { continue };
        let indent = if is_declaration(i) {
            state = State::new();
            0
        } else if first.1 == TokenKind::Comment {
            if line.indent > 0 {
                comments.push((i, state.peek(half_columns(line))));
            }
            continue;
        } else if let Some(col) = state.continuation(line) {
            let col = col.max(2);
            state.continued(half_columns(line), col);
            if let Some(c) = continues.get_mut(i) {
                *c = true;
            }
            col
        } else {
            state.block(half_columns(line))
        };
        if let Some(slot) = out.get_mut(i) {
            *slot = indent;
        }
        state.scan(line, indent, &columns(i, indent));
        if is_declaration(i) {
            // A continuation line's `或` never aligns under a declaration's name.
            state.previous = None;
        }
    }
    for (i, nested) in comments {
        let next = (i + 1..lines.len())
            .find(|&j| lines.get(j).and_then(|l| l.tokens.first()).is_some_and(|t| t.1 != TokenKind::Comment));
        let indent = match next {
            Some(j) if continues.get(j).copied().unwrap_or(false) => out.get(j).copied().unwrap_or(nested),
            _ => nested,
        };
        if let Some(slot) = out.get_mut(i) {
            *slot = indent;
        }
    }
    out
}
