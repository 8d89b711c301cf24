//! The lossless token stream (logos): every byte of a policy file belongs to exactly one token,
//! comments and whitespace included, so tools that rewrite or colour text never lose anything.

use super::keywords::is_keyword;
use logos::Logos;

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawToken {
    #[regex(r"[ \t\r\n\u{3000}]+")]
    Whitespace,
    #[regex(r"(#|//)[^\n]*", allow_greedy = true)]
    Comment,
    #[regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")]
    #[regex(r"(次年)?[0-9]{1,2}月[0-9]{1,2}日")]
    Date,
    #[regex(r"[0-9]+(\.[0-9]+)?(平方米|万元|个月|周岁|小时|元|分|年|日|天|次)(/(平方米|万元|个月|周岁|小时|元|分|年|日|天|次))?")]
    Quantity,
    #[regex(r"[0-9]+(\.[0-9]+)?")]
    Number,
    // A quoted text never crosses a line end (an unclosed quote is punctuation, reported by
    // src/syntax/delimiters.rs).
    #[regex(r#""[^"\r\n]*""#)]
    #[regex(r"“[^”\r\n]*”")]
    #[regex(r"「[^」\r\n]*」")]
    String,
    #[regex(r"[\u{4E00}-\u{9FFF}\u{3400}-\u{4DBF}\u{F900}-\u{FAFF}〇A-Za-z_]+")]
    Word,
    #[regex(r".", priority = 0)]
    Punct,
}

/// What a token is, for highlighting and for the formatter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Whitespace,
    Comment,
    Keyword,
    Ident,
    Date,
    Quantity,
    Number,
    String,
    Punct,
    /// A byte sequence no token matches (an unterminated string, say).
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

/// Tokenize the whole text; the tokens' ranges tile the text exactly.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut lexer = RawToken::lexer(text);
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let kind = match result {
            Ok(RawToken::Whitespace) => TokenKind::Whitespace,
            Ok(RawToken::Comment) => TokenKind::Comment,
            Ok(RawToken::Date) => TokenKind::Date,
            Ok(RawToken::Quantity) => TokenKind::Quantity,
            Ok(RawToken::Number) => TokenKind::Number,
            Ok(RawToken::String) => TokenKind::String,
            Ok(RawToken::Word) if is_keyword(lexer.slice()) => TokenKind::Keyword,
            Ok(RawToken::Word) => TokenKind::Ident,
            Ok(RawToken::Punct) => TokenKind::Punct,
            Err(()) => TokenKind::Error,
        };
        out.push(Token { kind, start: span.start, end: span.end });
    }
    out
}
