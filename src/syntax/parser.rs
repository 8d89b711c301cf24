//! pest → AST: one `parse_<rule>` function per grammar rule.
//!
//! The grammar (`grammar/jifen.pest`) is the language's definition; this file only builds nodes.
//! A syntax error becomes a diagnostic (E0001) that names what was expected in readable words.

use super::ast::*;
use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic, Label, Msg};
use pest::iterators::Pair;
use pest::Parser as _;
use rust_decimal::Decimal;
use std::str::FromStr;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/jifen.pest"]
pub(super) struct JifenParser;

/// Largest policy file accepted, to bound memory and parse time on hostile input.
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// Deepest nesting of brackets accepted.
pub const MAX_NESTING: usize = 64;
/// Most tokens in one declaration: the checker and interpreter recurse over expressions, so an
/// unbounded chain (`1分+1分+…`, `非 非 …`) must be refused before it can exhaust the stack.
pub const MAX_DECLARATION_TOKENS: usize = 1000;
/// Digits accepted in a number literal, so that unit scales (万元) can never overflow a decimal.
const MAX_INTEGER_DIGITS: usize = 15;
const MAX_FRACTION_DIGITS: usize = 10;

fn limit_error(file: FileId, span: (usize, usize), zh: String, en: String, help: Msg) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            Code::SyntaxError,
            Msg::new(zh, en),
            Label::primary(Span::new(file, span.0, span.1), Msg::same("")),
        )
        .with_help(help),
    )
}

/// A parsed file: the declarations that parsed, the ones that did not (known by keyword and name,
/// so that the checker does not report every use of them as unknown), and every syntax error.
#[derive(Debug, Default)]
pub struct Parsed {
    pub file: File,
    pub errors: Vec<Diagnostic>,
}

/// Parse a policy file. Never stops at the first error: the file is cut into declarations (a line
/// that begins at column 0 with a declaration keyword starts one), and each is checked for quotes
/// and brackets and parsed on its own.
pub fn parse_file(file: FileId, text: &str) -> Parsed {
    if text.len() > MAX_FILE_BYTES {
        let d = limit_error(
            file,
            (0, 0),
            format!("文件过大（{} 字节，上限 {} 字节）", text.len(), MAX_FILE_BYTES),
            format!("file too large ({} bytes, limit {})", text.len(), MAX_FILE_BYTES),
            Msg::new("一个文件对应一个法律文件；把它拆成几个 .jf 文件", "split it into several .jf files"),
        );
        return Parsed { file: File::default(), errors: vec![*d] };
    }
    if let Err(d) = check_limits(file, text) {
        return Parsed { file: File::default(), errors: vec![*d] };
    }
    // Record the literal tokens pest tries at the furthest position, for syntax errors in words.
    static ERROR_DETAIL: std::sync::Once = std::sync::Once::new();
    ERROR_DETAIL.call_once(|| pest::set_error_detail(true));
    let mut parsed = Parsed::default();
    for (offset, piece) in declaration_pieces(text) {
        let delimiter_errors = super::delimiters::check(file, offset, piece);
        if !delimiter_errors.is_empty() {
            parsed.errors.extend(delimiter_errors);
            parsed.file.declarations.extend(broken_declaration(file, offset, piece));
            continue;
        }
        let whole = Span::new(file, offset, offset + piece.len());
        let ctx = Ctx { file, offset, whole, errors: std::cell::RefCell::new(Vec::new()) };
        match JifenParser::parse(Rule::declaration_alone, piece) {
            Ok(mut pairs) => {
                let declarations = pairs
                    .next()
                    .into_iter()
                    .flat_map(|p| p.into_inner())
                    .filter(|p| p.as_rule() == Rule::declaration)
                    .map(|p| ctx.parse_declaration(p))
                    .collect::<Vec<_>>();
                let errors = ctx.errors.into_inner();
                if errors.is_empty() {
                    parsed.file.declarations.extend(declarations);
                } else {
                    parsed.errors.extend(errors);
                    parsed.file.declarations.extend(broken_declaration(file, offset, piece));
                }
            }
            Err(e) => {
                parsed.errors.push(super::messages::syntax_error(file, text, offset, piece, e));
                parsed.file.declarations.extend(broken_declaration(file, offset, piece));
            }
        }
    }
    parsed
}

/// The file cut at every line that begins, at column 0, with a declaration keyword. The first piece
/// holds what comes before the first declaration (comments, or a slip). Comments after a
/// declaration belong to it.
pub fn declaration_pieces(text: &str) -> Vec<(usize, &str)> {
    let mut cuts = vec![0];
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line_start > 0 && super::keywords::begins_declaration(line) {
            cuts.push(line_start);
        }
        line_start += line.len();
    }
    cuts.push(text.len());
    cuts.windows(2)
        .filter_map(|w| match w {
            [a, b] => text.get(*a..*b).map(|piece| (*a, piece)),
            _ => None,
        })
        .filter(|(at, piece)| *at == 0 || !piece.is_empty())
        .collect()
}

/// The grammar's `word_char`.
pub fn is_word_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '〇' | 'A'..='Z' | 'a'..='z' | '_')
}

/// A declaration that did not parse, known by its keyword and (when it can be read) its name.
fn broken_declaration(file: FileId, offset: usize, piece: &str) -> Option<Declaration> {
    let keyword: String = piece.chars().take_while(|c| is_word_char(*c)).collect();
    let kind = super::keywords::declaration_kind(&keyword)?;
    // `keyword` is the piece's first characters and `skipped` the length of blank space trimmed
    // from `after`'s front: both cut at a character boundary inside the text, so never "".
    let after = piece.get(keyword.len()..).unwrap_or("");
    let skipped = after.len() - after.trim_start_matches([' ', '\t', '\u{3000}']).len();
    let rest = after.get(skipped..).unwrap_or("");
    let (bracketed, name_at) = match rest.chars().next() {
        Some(c @ ('[' | '【')) => (true, c.len_utf8()),
        _ => (false, 0),
    };
    // `name_at` is 0 or the length of `rest`'s first character: a boundary inside `rest`.
    let name_text: String = rest.get(name_at..).unwrap_or("").chars().take_while(|c| is_word_char(*c)).collect();
    let name_start = offset + keyword.len() + skipped + name_at;
    let name = (!name_text.is_empty()
        && !super::keywords::is_keyword(&name_text)
        && (bracketed || !matches!(kind, DeclarationKind::Item | DeclarationKind::Route)))
    .then(|| Name { span: Span::new(file, name_start, name_start + name_text.len()), text: name_text });
    let head_end = name.as_ref().map_or(offset + keyword.len(), |n| n.span.range().end);
    let span = Span::new(file, offset, offset + piece.trim_end().len());
    Some(Declaration {
        kind: DeclKind::Broken { kind, name },
        head: Span::new(file, offset, head_end),
        span,
        citations: Vec::new(),
        modelled: None,
    })
}

/// Bracket depth, and the size of each declaration (a declaration starts with a keyword at the
/// beginning of a line), measured on the lossless token stream so strings and comments do not count.
fn check_limits(file: FileId, text: &str) -> Result<(), Box<Diagnostic>> {
    use super::lexer::{tokenize, TokenKind};
    let mut depth = 0usize;
    let mut in_declaration = 0usize;
    let mut declaration_start = 0usize;
    let mut line_start = true;
    for t in tokenize(text) {
        // The lexer's tokens are ranges of this very text, cut at character boundaries.
        let s = text.get(t.start..t.end).unwrap_or("");
        match t.kind {
            TokenKind::Whitespace => {
                line_start = s.contains('\n') || (line_start && t.start == 0);
                continue;
            }
            TokenKind::Comment => continue,
            TokenKind::Keyword if line_start || t.start == 0 => {
                in_declaration = 0;
                declaration_start = t.start;
            }
            TokenKind::Punct => match s {
                "(" | "（" | "[" | "【" => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(limit_error(
                            file,
                            (t.start, t.end),
                            format!("括号嵌套超过 {MAX_NESTING} 层"),
                            format!("brackets nested deeper than {MAX_NESTING} levels"),
                            Msg::new("用「常量」给中间结果命名，减少嵌套", "name intermediate results with constants"),
                        ));
                    }
                }
                ")" | "）" | "]" | "】" => depth = depth.saturating_sub(1),
                _ => {}
            },
            _ => {}
        }
        line_start = false;
        in_declaration += 1;
        if in_declaration > MAX_DECLARATION_TOKENS {
            return Err(limit_error(
                file,
                (declaration_start, t.end),
                format!("声明过长：超过 {MAX_DECLARATION_TOKENS} 个记号"),
                format!("declaration too long: more than {MAX_DECLARATION_TOKENS} tokens"),
                Msg::new(
                    "把它拆成几个「常量」或「分项」；每条声明从行首的关键字开始",
                    "split it into several constants or items; each declaration starts with a keyword at the start of a line",
                ),
            ));
        }
    }
    Ok(())
}

struct Ctx {
    file: FileId,
    /// Byte offset of the declaration being parsed in its file (pest sees the declaration alone).
    offset: usize,
    /// The whole declaration, where a fault has no narrower place.
    whole: Span,
    /// Faults found while building nodes (a number too long to be exact).
    errors: std::cell::RefCell<Vec<Diagnostic>>,
}

fn inner_first<'a>(p: &Pair<'a, Rule>) -> Option<Pair<'a, Rule>> {
    p.clone().into_inner().next()
}

impl Ctx {
    /// A fault of jifen found while building a node: it is recorded as an error, so the
    /// declaration is refused (reported, and known only by its name) and the placeholder standing
    /// in for the faulty part is never checked or evaluated.
    fn fault<T>(&self, span: Span, message: Msg, placeholder: T) -> T {
        self.errors.borrow_mut().push(Diagnostic::internal(message).with_label(Label::primary(span, Msg::same(""))));
        placeholder
    }

    /// A part the grammar guarantees, found missing: the grammar and this file disagree.
    fn absent<T>(&self, span: Span, zh: &str, en: &str, placeholder: T) -> T {
        self.fault(span, Msg::new(format!("语法树缺少{zh}"), format!("the syntax tree has no {en}")), placeholder)
    }

    fn absent_name(&self, span: Span, zh: &str, en: &str) -> Name {
        self.absent(span, zh, en, Name { text: String::new(), span })
    }

    fn absent_expr(&self, span: Span, zh: &str, en: &str) -> Expr {
        self.absent(span, zh, en, Expr { kind: ExprKind::Bool(false), span })
    }

    /// A quoted text's content (string → one of str_ascii / str_cjk / str_corner).
    fn string_value(&self, p: Pair<Rule>) -> String {
        let span = self.span(&p);
        match p.into_inner().next() {
            Some(s) => s.as_str().to_string(),
            None => self.absent(span, "引号中的文本", "quoted text", String::new()),
        }
    }

    /// A number literal, exactly; one too long to represent is an error, never a silent 0.
    fn number(&self, p: &Pair<Rule>) -> Decimal {
        let text = p.as_str();
        // A number without a point is all integer part.
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.len() > MAX_INTEGER_DIGITS || frac.len() > MAX_FRACTION_DIGITS {
            self.errors.borrow_mut().push(
                Diagnostic::error(
                    Code::SyntaxError,
                    Msg::new(format!("数字「{text}」过长"), format!("number `{text}` is too long")),
                    Label::primary(self.span(p), Msg::same("")),
                )
                .with_help(Msg::new(
                    format!("整数部分最多 {MAX_INTEGER_DIGITS} 位，小数部分最多 {MAX_FRACTION_DIGITS} 位"),
                    format!("at most {MAX_INTEGER_DIGITS} digits before the point and {MAX_FRACTION_DIGITS} after"),
                )),
            );
            return Decimal::ZERO;
        }
        // The grammar's number is digits with an optional fraction, short enough (checked above)
        // to be exact: failing to read one is a fault of jifen, never a silent 0.
        match Decimal::from_str(text) {
            Ok(d) => d,
            Err(e) => self.fault(
                self.span(p),
                Msg::new(format!("无法读取数字「{text}」：{e}"), format!("cannot read the number `{text}`: {e}")),
                Decimal::ZERO,
            ),
        }
    }

    /// The pair's extent without the trailing whitespace pest's optional groups leave in it.
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        let trimmed = s.as_str().trim_end_matches(|c: char| c.is_whitespace());
        Span::new(self.file, self.offset + s.start(), self.offset + s.start() + trimmed.len())
    }

    fn name(&self, p: Pair<Rule>) -> Name {
        Name { text: p.as_str().to_string(), span: self.span(&p) }
    }

    fn parse_declaration(&self, p: Pair<Rule>) -> Declaration {
        let span = self.span(&p);
        let mut citations = Vec::new();
        let mut modelled = None;
        let Some(d) = inner_first(&p) else {
            return Declaration {
                kind: DeclKind::Broken { kind: DeclarationKind::Policy, name: None },
                head: span,
                span,
                citations,
                modelled,
            };
        };
        let rule = d.as_rule();
        let mut parts: Vec<Pair<Rule>> = Vec::new();
        for part in d.into_inner() {
            match part.as_rule() {
                Rule::citations => citations.extend(self.parse_citations(part)),
                Rule::modelled => modelled = Some(self.parse_modelled(part)),
                _ => parts.push(part),
            }
        }
        let head = match (parts.first(), parts.get(1)) {
            (Some(a), Some(b)) => self.span(a).to(self.span(b)),
            (Some(a), None) => self.span(a),
            _ => span,
        };
        let kind = match rule {
            Rule::policy_decl => self.parse_policy_decl(parts),
            Rule::document_decl => self.parse_document_decl(parts, &mut modelled),
            Rule::articles_decl => self.parse_articles_decl(parts),
            Rule::sample_decl => DeclKind::Sample {
                name: self.first_ident(&parts),
                facts: parts.into_iter().filter(|p| p.as_rule() == Rule::fact).map(|p| self.parse_fact(p)).collect(),
            },
            Rule::test_decl => self.parse_test_decl(parts),
            Rule::clausegroup_decl => DeclKind::ClauseGroup {
                name: self.first_ident(&parts),
                clauses: parts
                    .into_iter()
                    .filter(|p| p.as_rule() == Rule::clause)
                    .map(|p| self.parse_clause(p))
                    .collect(),
            },
            Rule::enum_decl => self.parse_enum_decl(parts),
            Rule::record_decl => self.parse_record_decl(parts),
            Rule::applicant_decl => DeclKind::Applicant {
                fields: parts
                    .into_iter()
                    .filter(|p| p.as_rule() == Rule::field_decl)
                    .map(|p| self.parse_field_decl(p))
                    .collect(),
            },
            Rule::const_decl => self.parse_const_decl(parts),
            Rule::table_decl => self.parse_table_decl(parts),
            Rule::purpose_decl => self.parse_purpose_decl(parts),
            Rule::route_decl => self.parse_route_decl(parts),
            Rule::rank_decl => self.parse_rank_decl(parts),
            Rule::assert_decl => self.parse_assert_decl(parts),
            _ => self.parse_item_decl(parts),
        };
        Declaration { kind, head, span, citations, modelled }
    }

    fn parse_citations(&self, p: Pair<Rule>) -> Vec<Citation> {
        p.into_inner().filter(|c| c.as_rule() == Rule::citation).map(|c| self.parse_citation(c)).collect()
    }

    fn parse_citation(&self, p: Pair<Rule>) -> Citation {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let document = match it.next() {
            Some(d) => self.name(d),
            None => self.absent_name(span, "引用的文件", "the cited document"),
        };
        let mut paragraph = None;
        let target = match it.next() {
            Some(t) if t.as_rule() == Rule::item_ref => CitationTarget::Id(match t.into_inner().next() {
                Some(n) => self.name(n),
                None => self.absent_name(span, "引用的标识", "the cited id"),
            }),
            Some(t) if t.as_rule() == Rule::article_ref => {
                let mut parts = t.into_inner();
                let article = match parts.next() {
                    Some(a) => self.name(a),
                    None => self.absent_name(span, "引用的条文", "the cited article"),
                };
                paragraph = parts
                    .next()
                    .and_then(|p| p.into_inner().find(|n| n.as_rule() == Rule::paragraph_number))
                    .map(|n| self.name(n));
                CitationTarget::Article(article)
            }
            Some(t) => CitationTarget::Article(self.name(t)),
            None => CitationTarget::Article(self.absent_name(span, "引用的条文", "the cited article")),
        };
        Citation { document, target, paragraph, span }
    }

    fn parse_modelled(&self, p: Pair<Rule>) -> Modelled {
        let span = self.span(&p);
        let note = p.into_inner().find(|x| x.as_rule() == Rule::string).map(|s| self.string_value(s));
        Modelled { note, span }
    }

    fn parse_policy_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let effective =
            parts.iter().find(|p| p.as_rule() == Rule::effective).and_then(|p| self.parse_effective(p.clone()));
        let outside = parts.iter().find(|p| p.as_rule() == Rule::expr).map(|e| self.parse_expr(e.clone()));
        let documents = parts
            .iter()
            .filter(|p| p.as_rule() == Rule::includes)
            .flat_map(|p| p.clone().into_inner())
            .filter(|p| p.as_rule() == Rule::ident)
            .map(|p| self.name(p))
            .collect();
        let whole = self.whole;
        let mut strings = parts.into_iter().filter(|p| p.as_rule() == Rule::string).map(|s| self.string_value(s));
        DeclKind::Policy {
            name: strings.next().unwrap_or_else(|| self.absent(whole, "政策名称", "the policy's name", String::new())),
            version: strings
                .next()
                .unwrap_or_else(|| self.absent(whole, "政策版本", "the policy's version", String::new())),
            documents,
            effective,
            outside,
        }
    }

    fn parse_test_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let mut name = String::new();
        let mut based_on = None;
        let mut as_of = None;
        let mut facts = Vec::new();
        let mut expected = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::string => name = self.string_value(p),
                Rule::ident => based_on = Some(self.name(p)),
                Rule::as_of_fact => {
                    as_of = p.into_inner().find(|d| d.as_rule() == Rule::date_lit).map(|d| self.date_lit(d))
                }
                Rule::fact => facts.push(self.parse_fact(p)),
                Rule::expectation => expected.extend(p.into_inner().next().and_then(|e| self.parse_expectation(e))),
                _ => {}
            }
        }
        DeclKind::Test { name, based_on, as_of, facts, expected }
    }

    fn parse_fact(&self, p: Pair<Rule>) -> Fact {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let field = match it.next() {
            Some(n) => self.name(n),
            None => self.absent_name(span, "事实的字段名", "the fact's field"),
        };
        let value = match it.find(|v| v.as_rule() == Rule::fact_value) {
            Some(v) => self.parse_fact_value(v),
            None => self.absent(span, "事实的值", "the fact's value", FactValue::List(Vec::new(), span)),
        };
        Fact { field, value }
    }

    fn parse_fact_value(&self, p: Pair<Rule>) -> FactValue {
        let span = self.span(&p);
        let Some(inner) = p.into_inner().next() else { return FactValue::List(Vec::new(), span) };
        match inner.as_rule() {
            Rule::record_lit => FactValue::Record(
                inner.into_inner().filter(|f| f.as_rule() == Rule::fact).map(|f| self.parse_fact(f)).collect(),
                span,
            ),
            Rule::list_lit => FactValue::List(
                inner
                    .into_inner()
                    .filter(|f| f.as_rule() == Rule::fact_value)
                    .map(|f| self.parse_fact_value(f))
                    .collect(),
                span,
            ),
            Rule::ident => FactValue::Name(self.name(inner)),
            _ => FactValue::Literal(self.parse_expr(inner)),
        }
    }

    fn parse_expectation(&self, p: Pair<Rule>) -> Option<Expectation> {
        let rule = p.as_rule();
        let parts: Vec<Pair<Rule>> = p.into_inner().collect();
        let find = |r: Rule| parts.iter().find(|x| x.as_rule() == r).cloned();
        let status = find(Rule::status).map(|s| (s.as_str().to_string(), self.span(&s)));
        let reason = find(Rule::string).map(|s| self.string_value(s));
        let id = || find(Rule::item_ref).and_then(|r| r.into_inner().next()).map(|n| self.name(n));
        match rule {
            Rule::expect_purpose => {
                Some(Expectation::Purpose { name: self.name(find(Rule::ident)?), status: status?, reason })
            }
            Rule::expect_route => Some(Expectation::Route { id: id()?, status: status?, reason }),
            Rule::expect_item => {
                Some(Expectation::Item { id: id()?, points: self.parse_quantity(find(Rule::quantity)?) })
            }
            Rule::expect_total => Some(Expectation::Total {
                purpose: self.name(find(Rule::ident)?),
                points: self.parse_quantity(find(Rule::quantity)?),
            }),
            _ => None,
        }
    }

    fn parse_articles_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let document = self.first_ident(&parts);
        let entries = parts
            .into_iter()
            .filter(|p| p.as_rule() == Rule::article_entry)
            .map(|entry| {
                let span = self.span(&entry);
                let mut e = ArticleEntry { number: None, id: None, title: None, paragraphs: Vec::new(), span };
                for part in entry.into_inner() {
                    match part.as_rule() {
                        Rule::article => e.number = Some(self.name(part)),
                        Rule::entry_id => e.id = part.into_inner().next().map(|n| self.name(n)),
                        Rule::article_title => e.title = part.into_inner().next().map(|t| t.as_str().to_string()),
                        Rule::string => e.paragraphs.push(self.string_value(part)),
                        _ => {}
                    }
                }
                e
            })
            .collect();
        DeclKind::Articles { document, entries }
    }

    fn parse_effective(&self, p: Pair<Rule>) -> Option<(DateLit, Option<DateLit>)> {
        let mut dates = p.into_inner().filter(|d| d.as_rule() == Rule::date_lit).map(|d| self.date_lit(d));
        let from = dates.next()?;
        Some((from, dates.next()))
    }

    fn parse_document_decl(&self, parts: Vec<Pair<Rule>>, modelled: &mut Option<Modelled>) -> DeclKind {
        let mut name = None;
        let mut title = String::new();
        let mut effective = None;
        for p in parts {
            match p.as_rule() {
                Rule::ident => name = Some(self.name(p)),
                Rule::string => title = self.string_value(p),
                Rule::effective => effective = self.parse_effective(p),
                Rule::modelled => *modelled = Some(self.parse_modelled(p)),
                _ => {}
            }
        }
        let name = name.unwrap_or_else(|| self.absent_name(self.whole, "文件名", "the document's name"));
        DeclKind::Document { name, title, effective }
    }

    fn date_lit(&self, p: Pair<Rule>) -> DateLit {
        DateLit { text: p.as_str().to_string(), span: self.span(&p) }
    }

    fn first_ident(&self, parts: &[Pair<Rule>]) -> Name {
        parts
            .iter()
            .find(|p| p.as_rule() == Rule::ident)
            .map(|p| self.name(p.clone()))
            .unwrap_or_else(|| self.absent_name(self.whole, "声明的名称", "the declaration's name"))
    }

    fn parse_enum_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let name = self.first_ident(&parts);
        let variants = parts
            .into_iter()
            .filter(|p| p.as_rule() == Rule::variant)
            .filter_map(|v| v.into_inner().next())
            .map(|v| self.name(v))
            .collect();
        DeclKind::Enum { name, variants }
    }

    fn parse_record_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let name = self.first_ident(&parts);
        let fields =
            parts.into_iter().filter(|p| p.as_rule() == Rule::field_decl).map(|p| self.parse_field_decl(p)).collect();
        DeclKind::Record { name, fields }
    }

    fn parse_field_decl(&self, p: Pair<Rule>) -> FieldDecl {
        let span = self.span(&p);
        let mut name = None;
        let mut ty = None;
        let mut default = None;
        let mut attrs = Vec::new();
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::field_attr => {
                    let s = self.span(&part);
                    let attr = match part.into_inner().next().map(|a| a.as_rule()) {
                        Some(Rule::k_id) => FieldAttr::Id,
                        Some(Rule::k_asof) => FieldAttr::AsOf,
                        _ => FieldAttr::Label,
                    };
                    attrs.push((attr, s));
                }
                Rule::ident => name = Some(self.name(part)),
                Rule::type_expr => ty = Some(self.parse_type_expr(part)),
                Rule::expr => default = Some(self.parse_expr(part)),
                _ => {}
            }
        }
        let name = name.unwrap_or_else(|| self.absent_name(span, "字段名", "the field's name"));
        let ty = ty.unwrap_or_else(|| {
            let placeholder =
                TypeExpr { kind: TypeExprKind::Named { name: name.clone(), unit: None }, optional: false, span };
            self.absent(span, "字段的类型", "the field's type", placeholder)
        });
        FieldDecl { name, ty, attrs, default, span }
    }

    fn parse_type_expr(&self, p: Pair<Rule>) -> TypeExpr {
        let span = self.span(&p);
        let mut optional = false;
        let mut kind = TypeExprKind::Named { name: Name { text: String::new(), span }, unit: None };
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::optional_mark => optional = true,
                Rule::type_atom => kind = self.parse_type_atom(part),
                _ => {}
            }
        }
        TypeExpr { kind, optional, span }
    }

    fn parse_type_atom(&self, p: Pair<Rule>) -> TypeExprKind {
        let span = self.span(&p);
        let mut it = p.into_inner();
        match it.next() {
            Some(first) if first.as_rule() == Rule::list_type => {
                let mut inner = first.into_inner();
                let constructor = match inner.next() {
                    Some(c) => self.name(c),
                    None => self.absent_name(span, "列表类型的名称", "the list type's name"),
                };
                let element = match inner.next() {
                    Some(e) => self.parse_type_expr(e),
                    None => {
                        let kind = TypeExprKind::Named { name: constructor.clone(), unit: None };
                        self.absent(
                            span,
                            "列表元素的类型",
                            "the list's element type",
                            TypeExpr { kind, optional: false, span },
                        )
                    }
                };
                TypeExprKind::List { constructor, element: Box::new(element) }
            }
            Some(first) => TypeExprKind::Named { name: self.name(first), unit: it.next().map(|u| self.name(u)) },
            None => TypeExprKind::Named { name: self.absent_name(span, "类型名", "the type's name"), unit: None },
        }
    }

    fn parse_const_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let name = self.first_ident(&parts);
        let value = parts
            .into_iter()
            .find(|p| p.as_rule() == Rule::expr)
            .map(|e| self.parse_expr(e))
            .unwrap_or_else(|| self.absent_expr(name.span, "常量的值", "the constant's value"));
        DeclKind::Const { name, value }
    }

    fn parse_table_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let name = self.first_ident(&parts);
        let mut types =
            parts.iter().filter(|p| p.as_rule() == Rule::type_expr).map(|t| self.parse_type_expr(t.clone()));
        let fallback =
            TypeExpr { kind: TypeExprKind::Named { name: name.clone(), unit: None }, optional: false, span: name.span };
        let key_type =
            types.next().unwrap_or_else(|| self.absent(name.span, "表的键类型", "the key type", fallback.clone()));
        let value_type =
            types.next().unwrap_or_else(|| self.absent(name.span, "表的值类型", "the value type", fallback));
        let missing = parts
            .iter()
            .find(|p| p.as_rule() == Rule::table_missing)
            .and_then(|m| m.clone().into_inner().find(|x| x.as_rule() == Rule::expr))
            .map(|e| self.parse_expr(e));
        let rows =
            parts.into_iter().filter(|p| p.as_rule() == Rule::table_row).map(|r| self.parse_table_row(r)).collect();
        DeclKind::Table { name, key_type, value_type, rows, missing }
    }

    fn parse_table_row(&self, p: Pair<Rule>) -> TableRow {
        let span = self.span(&p);
        let mut key = TableKey::Otherwise(span);
        let mut value = None;
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::table_key => {
                    if let Some(k) = part.into_inner().next() {
                        key = match k.as_rule() {
                            Rule::number => TableKey::Number(self.number(&k), self.span(&k)),
                            _ => TableKey::Variant(self.name(k)),
                        };
                    }
                }
                Rule::otherwise_key => key = TableKey::Otherwise(self.span(&part)),
                Rule::expr => value = Some(self.parse_expr(part)),
                _ => {}
            }
        }
        let value = value.unwrap_or_else(|| self.absent_expr(span, "表行的值", "the row's value"));
        TableRow { key, span: Span { end: value.span.end, ..span }, value }
    }

    fn parse_item_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let mut id = None;
        let mut title = None;
        let mut category = Category::Base;
        let mut cap = None;
        let mut body = None;
        for p in parts {
            match p.as_rule() {
                Rule::item_ref => id = p.into_inner().next().map(|n| self.name(n)),
                Rule::string => title = Some(self.string_value(p)),
                Rule::category => category = self.parse_category(p),
                Rule::item_cap => {
                    cap = p.into_inner().find(|q| q.as_rule() == Rule::quantity).map(|q| self.parse_quantity(q))
                }
                Rule::body => body = Some(self.parse_body(p)),
                _ => {}
            }
        }
        let id = id.unwrap_or_else(|| self.absent_name(self.whole, "分项的标识", "the item's id"));
        let body = body.unwrap_or_else(|| {
            let result = self.absent_expr(id.span, "分项的计分式", "the item's body");
            Body { lets: Vec::new(), description: None, result }
        });
        DeclKind::Item { id, title, category, cap, body }
    }

    fn parse_category(&self, p: Pair<Rule>) -> Category {
        match p.into_inner().next().map(|c| c.as_rule()) {
            Some(Rule::k_bonus) => Category::Bonus,
            Some(Rule::k_deduction) => Category::Deduction,
            _ => Category::Base,
        }
    }

    fn parse_clause(&self, p: Pair<Rule>) -> Clause {
        let span = self.span(&p);
        let mut kind = ClauseKind::Condition;
        let mut label = None;
        let mut exprs = Vec::new();
        let mut description = None;
        let mut citations = Vec::new();
        let mut modelled = None;
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::clause_kind => {
                    kind = match part.into_inner().next().map(|k| k.as_rule()) {
                        Some(Rule::k_applies) => ClauseKind::Applies,
                        Some(Rule::k_window) => ClauseKind::Window,
                        _ => ClauseKind::Condition,
                    }
                }
                Rule::item_ref => label = part.into_inner().next().map(|n| self.name(n)),
                Rule::expr => exprs.push(self.parse_expr(part)),
                Rule::describe => description = self.parse_describe(part),
                Rule::citations => citations = self.parse_citations(part),
                Rule::modelled => modelled = Some(self.parse_modelled(part)),
                _ => {}
            }
        }
        let mut exprs = exprs.into_iter();
        let test = exprs.next().unwrap_or_else(|| self.absent_expr(span, "条款的条件", "the clause's test"));
        let message = exprs.next().unwrap_or_else(|| self.absent_expr(span, "条款的理由", "the clause's reason"));
        Clause { kind, label, test, description, message, citations, modelled, span }
    }

    /// `说明 expr`: the expression, when it parsed.
    fn parse_describe(&self, p: Pair<Rule>) -> Option<Expr> {
        p.into_inner().find(|e| e.as_rule() == Rule::expr).map(|e| self.parse_expr(e))
    }

    fn parse_purpose_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let name = self.first_ident(&parts);
        let mut title = None;
        let mut counts = None;
        let mut clauses = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::string => title = Some(self.string_value(p)),
                Rule::counts => {
                    let span = self.span(&p);
                    let mut categories = Vec::new();
                    let mut citations = Vec::new();
                    for c in p.into_inner() {
                        match c.as_rule() {
                            Rule::category => {
                                let s = self.span(&c);
                                categories.push((self.parse_category(c), s));
                            }
                            Rule::citations => citations = self.parse_citations(c),
                            _ => {}
                        }
                    }
                    counts = Some(Counts { categories, citations, span });
                }
                Rule::clause => clauses.push(ClauseItem::Clause(Box::new(self.parse_clause(p)))),
                Rule::reuse => clauses.extend(
                    p.into_inner().find(|n| n.as_rule() == Rule::ident).map(|n| ClauseItem::Reuse(self.name(n))),
                ),
                _ => {}
            }
        }
        DeclKind::Purpose { name, title, counts, clauses }
    }

    fn parse_route_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let mut id = None;
        let mut title = None;
        let mut same_as = None;
        let mut clauses = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::item_ref => id = p.into_inner().next().map(|n| self.name(n)),
                Rule::string => title = Some(self.string_value(p)),
                Rule::same_as => same_as = p.into_inner().find(|x| x.as_rule() == Rule::ident).map(|n| self.name(n)),
                Rule::clause => clauses.push(ClauseItem::Clause(Box::new(self.parse_clause(p)))),
                Rule::reuse => clauses.extend(
                    p.into_inner().find(|n| n.as_rule() == Rule::ident).map(|n| ClauseItem::Reuse(self.name(n))),
                ),
                _ => {}
            }
        }
        let id = id.unwrap_or_else(|| self.absent_name(self.whole, "途径的标识", "the route's id"));
        DeclKind::Route { id, title, same_as, clauses }
    }

    fn parse_rank_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let mut purposes = Vec::new();
        let mut group = None;
        let mut keys = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::ident => purposes.push(self.name(p)),
                Rule::rank_group => {
                    group = p.into_inner().find(|x| x.as_rule() != Rule::k_groupby).map(|x| self.parse_expr(x))
                }
                Rule::rank_key => {
                    let span = self.span(&p);
                    let mut key = None;
                    let mut descending = false;
                    for k in p.into_inner() {
                        match k.as_rule() {
                            Rule::k_desc => descending = true,
                            Rule::k_asc => descending = false,
                            _ => key = Some(self.parse_expr(k)),
                        }
                    }
                    let key = key.unwrap_or_else(|| self.absent_expr(span, "排序的键", "the ranking key"));
                    keys.push(RankKey { key, descending, span });
                }
                _ => {}
            }
        }
        DeclKind::Rank { purposes, group, keys }
    }

    fn parse_assert_decl(&self, parts: Vec<Pair<Rule>>) -> DeclKind {
        let mut title = String::new();
        let mut names = Vec::new();
        let mut exprs = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::string => title = self.string_value(p),
                Rule::ident => names.push(self.name(p)),
                Rule::expr => exprs.push(self.parse_expr(p)),
                _ => {}
            }
        }
        let span = self.whole;
        let mut names = names.into_iter();
        let var = names.next().unwrap_or_else(|| self.absent_name(span, "约束的变量", "the assertion's variable"));
        let table = names.next().unwrap_or_else(|| self.absent_name(span, "约束的表", "the assertion's table"));
        let mut exprs = exprs.into_iter();
        let test = exprs.next().unwrap_or_else(|| self.absent_expr(span, "约束的条件", "the assertion's test"));
        let message = exprs.next().unwrap_or_else(|| self.absent_expr(span, "约束的理由", "the assertion's reason"));
        DeclKind::Assert { title, var, table, test, message }
    }

    fn parse_body(&self, p: Pair<Rule>) -> Body {
        let mut lets = Vec::new();
        let mut description = None;
        let mut result = None;
        let span = self.span(&p);
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::let_binding => {
                    let mut name = None;
                    let mut value = None;
                    for q in part.into_inner() {
                        match q.as_rule() {
                            Rule::ident => name = Some(self.name(q)),
                            Rule::expr => value = Some(self.parse_expr(q)),
                            _ => {}
                        }
                    }
                    if let (Some(n), Some(v)) = (name, value) {
                        lets.push((n, v));
                    }
                }
                Rule::describe => description = self.parse_describe(part),
                Rule::expr => result = Some(self.parse_expr(part)),
                _ => {}
            }
        }
        let result = result.unwrap_or_else(|| self.absent_expr(span, "计分式的结果", "the body's result"));
        Body { lets, description, result }
    }

    fn parse_quantity(&self, p: Pair<Rule>) -> Quantity {
        let span = self.span(&p);
        let mut value = Decimal::ZERO;
        let mut units = Vec::new();
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::number => value = self.number(&part),
                Rule::unit => units.push(part.as_str().to_string()),
                _ => {}
            }
        }
        let mut units = units.into_iter();
        Quantity { value, unit: units.next(), per_unit: units.next(), span }
    }

    // ── expressions ──

    fn parse_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::expr | Rule::primary | Rule::literal => match inner_first(&p) {
                Some(inner) if p.as_rule() == Rule::primary && inner.as_rule() == Rule::expr => {
                    // parenthesised: keep the outer span so diagnostics cover the parentheses
                    let e = self.parse_expr(inner);
                    Expr { kind: e.kind, span }
                }
                Some(inner) => self.parse_expr(inner),
                None => self.absent_expr(span, "表达式", "the expression"),
            },
            Rule::if_expr => self.parse_if_expr(p),
            Rule::iflet_expr => self.parse_iflet_expr(p),
            Rule::match_expr => self.parse_match_expr(p),
            Rule::brackets_expr => self.parse_brackets_expr(p),
            Rule::or_expr | Rule::and_expr => self.parse_logical(p),
            Rule::not_expr => self.parse_not_expr(p),
            Rule::cmp_expr => self.parse_cmp_expr(p),
            Rule::step_expr => self.parse_step_expr(p),
            Rule::default_expr | Rule::add_expr | Rule::mul_expr => self.parse_binary_chain(p),
            Rule::unary => self.parse_unary(p),
            Rule::postfix => self.parse_postfix(p),
            Rule::call => self.parse_call(p),
            Rule::quantity => Expr { kind: ExprKind::Quantity(self.parse_quantity(p)), span },
            Rule::number => {
                let value = self.number(&p);
                Expr { kind: ExprKind::Quantity(Quantity { value, unit: None, per_unit: None, span }), span }
            }
            Rule::date_lit => Expr { kind: ExprKind::Date(p.as_str().to_string()), span },
            Rule::month_day => {
                let text = p.as_str();
                let (next_year, day) = match text.strip_prefix("次年") {
                    Some(rest) => (true, rest),
                    None => (false, text),
                };
                // The grammar's month_day is one or two digits, 月, one or two digits, 日: anything
                // else read here is a fault of jifen, not a month or day 0.
                let digits: Vec<Option<u32>> =
                    day.split(['月', '日']).filter(|x| !x.is_empty()).map(|x| x.parse().ok()).collect();
                match digits.as_slice() {
                    [Some(m), Some(d)] => Expr { kind: ExprKind::MonthDay(*m, *d, next_year), span },
                    _ => self.fault(
                        span,
                        Msg::new(
                            format!("无法读取月日「{text}」"),
                            format!("cannot read the day of the year `{text}`"),
                        ),
                        Expr { kind: ExprKind::Bool(false), span },
                    ),
                }
            }
            Rule::template => self.parse_template(p),
            Rule::k_total => Expr { kind: ExprKind::Total, span },
            Rule::undecided => {
                let reason = p.into_inner().find(|x| x.as_rule() == Rule::literal).map(|l| self.parse_expr(l));
                let reason = reason.unwrap_or_else(|| self.absent_expr(span, "待定的理由", "the undecided reason"));
                Expr { kind: ExprKind::Undecided(Box::new(reason)), span }
            }
            Rule::string => Expr { kind: ExprKind::Text(self.string_value(p)), span },
            Rule::k_true => Expr { kind: ExprKind::Bool(true), span },
            Rule::k_false => Expr { kind: ExprKind::Bool(false), span },
            Rule::empty_list => Expr { kind: ExprKind::EmptyList, span },
            Rule::k_applicant => Expr { kind: ExprKind::Applicant, span },
            Rule::k_asof => Expr { kind: ExprKind::AsOf, span },
            Rule::ident => Expr { kind: ExprKind::Name(self.name(p)), span },
            rule => self.fault(
                span,
                Msg::new(format!("未处理的语法规则 {rule:?}"), format!("unhandled grammar rule {rule:?}")),
                Expr { kind: ExprKind::Bool(false), span },
            ),
        }
    }

    fn parse_template(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut parts = Vec::new();
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::tpl_hole => {
                    if let Some(e) = part.into_inner().find(|x| x.as_rule() == Rule::expr) {
                        parts.push(TemplatePart::Hole(self.parse_expr(e)));
                    }
                }
                _ => parts.push(TemplatePart::Text(part.as_str().to_string())),
            }
        }
        if parts.iter().all(|p| matches!(p, TemplatePart::Text(_))) {
            let text: String = parts
                .into_iter()
                .map(|p| match p {
                    TemplatePart::Text(t) => t,
                    TemplatePart::Hole(_) => String::new(),
                })
                .collect();
            return Expr { kind: ExprKind::Text(text), span };
        }
        Expr { kind: ExprKind::Template(parts), span }
    }

    fn exprs(&self, p: Pair<Rule>, rules: &[Rule]) -> Vec<Expr> {
        p.into_inner().filter(|q| rules.contains(&q.as_rule())).map(|q| self.parse_expr(q)).collect()
    }

    fn three(&self, p: Pair<Rule>, rules: &[Rule]) -> (Expr, Expr, Expr) {
        let span = self.span(&p);
        let mut es = self.exprs(p, rules).into_iter();
        let first = es.next().unwrap_or_else(|| self.absent_expr(span, "「若」的条件", "the condition"));
        let second = es.next().unwrap_or_else(|| self.absent_expr(span, "「则」的值", "the `then` value"));
        // Only a missing 否则 leaves the third out, and `require_else` has reported it (E0006): the
        // placeholder is never checked.
        let third = es.next().unwrap_or(Expr { kind: ExprKind::Bool(false), span });
        (first, second, third)
    }

    /// `若 … 则 …` without its `否则`: reported at the 若, where the drafter can see which one.
    fn require_else(&self, p: &Pair<Rule>) {
        if p.clone().into_inner().any(|q| q.as_rule() == Rule::k_else) {
            return;
        }
        let Some(keyword) = p.clone().into_inner().next() else { return };
        let word = keyword.as_str().to_string();
        self.errors.borrow_mut().push(
            Diagnostic::error(
                Code::MissingElse,
                Msg::new(format!("「{word}」没有「否则」"), format!("`{word}` without `否则` (else)")),
                Label::primary(
                    self.span(&keyword),
                    Msg::new("条件不成立时的值没有写", "no value is given for when the condition does not hold"),
                ),
            )
            .with_label(Label::secondary(self.span(p), Msg::new("这个「若」到这里结束", "this 若 ends here")))
            .with_help(Msg::new(
                "在后面补上「否则 值」：每个「若」都要说明条件不成立时取什么值",
                "add `否则 value`: every 若 says what holds when its condition does not",
            )),
        );
    }

    fn parse_if_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        self.require_else(&p);
        let (cond, then, otherwise) = self.three(p, &[Rule::expr]);
        Expr { kind: ExprKind::If { cond: Box::new(cond), then: Box::new(then), otherwise: Box::new(otherwise) }, span }
    }

    fn parse_iflet_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        self.require_else(&p);
        let name = p
            .clone()
            .into_inner()
            .find(|q| q.as_rule() == Rule::ident)
            .map(|n| self.name(n))
            .unwrap_or_else(|| self.absent_name(span, "「若有」的名称", "the `iflet` name"));
        let (value, then, otherwise) = self.three(p, &[Rule::expr]);
        Expr {
            kind: ExprKind::IfLet {
                name,
                value: Box::new(value),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        }
    }

    fn parse_match_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut scrutinee = None;
        let mut arms = Vec::new();
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::or_expr => scrutinee = Some(self.parse_expr(part)),
                Rule::match_arm => {
                    let arm_span = self.span(&part);
                    let mut patterns = Vec::new();
                    let mut result = None;
                    for q in part.into_inner() {
                        match q.as_rule() {
                            Rule::variant_pattern => patterns.extend(q.into_inner().map(|n| self.name(n))),
                            Rule::or_expr => result = Some(self.parse_expr(q)),
                            _ => {}
                        }
                    }
                    let result = result.unwrap_or_else(|| self.absent_expr(arm_span, "分支的值", "the arm's value"));
                    let span = Span { end: result.span.end, ..arm_span };
                    arms.push(MatchArm { patterns, result, span });
                }
                _ => {}
            }
        }
        let scrutinee = scrutinee.unwrap_or_else(|| self.absent_expr(span, "「匹配」的值", "the matched value"));
        Expr { kind: ExprKind::Match { scrutinee: Box::new(scrutinee), arms }, span }
    }

    fn parse_brackets_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut scrutinee = None;
        let mut arms = Vec::new();
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::or_expr => scrutinee = Some(self.parse_expr(part)),
                Rule::bracket_arm => arms.push(self.parse_bracket_arm(part)),
                _ => {}
            }
        }
        let scrutinee = scrutinee.unwrap_or_else(|| self.absent_expr(span, "「分段」的值", "the bracketed value"));
        Expr { kind: ExprKind::Brackets { scrutinee: Box::new(scrutinee), arms }, span }
    }

    fn parse_bracket_arm(&self, p: Pair<Rule>) -> BracketArm {
        let span = self.span(&p);
        let (mut from, mut below, mut otherwise, mut result) = (None, None, false, None);
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::k_otherwise => otherwise = true,
                Rule::bracket_range => {
                    for bound in part.into_inner() {
                        let rule = bound.as_rule();
                        let q =
                            bound.into_inner().find(|x| x.as_rule() == Rule::quantity).map(|x| self.parse_quantity(x));
                        match rule {
                            Rule::lower_bound => from = q,
                            _ => below = q,
                        }
                    }
                }
                Rule::step_expr => result = Some(self.parse_expr(part)),
                _ => {}
            }
        }
        let result = result.unwrap_or_else(|| self.absent_expr(span, "分段的值", "the bracket's value"));
        BracketArm { from, below, otherwise, span: Span { end: result.span.end, ..span }, result }
    }

    fn parse_logical(&self, p: Pair<Rule>) -> Expr {
        let op = if p.as_rule() == Rule::or_expr { BinOp::Or } else { BinOp::And };
        let operands = self.exprs(p.clone(), &[Rule::and_expr, Rule::not_expr]);
        self.fold_left(operands.into_iter().map(|e| (op, e)), self.span(&p))
    }

    fn fold_left(&self, mut items: impl Iterator<Item = (BinOp, Expr)>, span: Span) -> Expr {
        let Some((_, first)) = items.next() else {
            return self.absent_expr(span, "运算对象", "the operand");
        };
        items.fold(first, |acc, (op, rhs)| {
            let s = acc.span.to(rhs.span);
            Expr { kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)), span: s }
        })
    }

    fn parse_not_expr(&self, p: Pair<Rule>) -> Expr {
        self.parse_prefixed(p, Rule::negation, ExprKind::Not)
    }

    /// An operand under a run of prefix operators (`非 非 x`, `− x`), innermost applied first.
    fn parse_prefixed(&self, p: Pair<Rule>, prefix: Rule, wrap: fn(Box<Expr>) -> ExprKind) -> Expr {
        let span = self.span(&p);
        let mut count = 0usize;
        let mut inner = None;
        for part in p.into_inner() {
            if part.as_rule() == prefix {
                count += 1;
            } else {
                inner = Some(self.parse_expr(part));
            }
        }
        let mut e = inner.unwrap_or_else(|| self.absent_expr(span, "运算对象", "the operand"));
        for _ in 0..count {
            e = Expr { kind: wrap(Box::new(e)), span };
        }
        e
    }

    fn parse_cmp_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let Some(first) = it.next() else {
            return self.absent_expr(span, "比较的左边", "the comparison's left side");
        };
        let lhs = self.parse_expr(first);
        let Some(tail) = it.next() else { return lhs };
        match tail.as_rule() {
            Rule::cmp_tail => {
                let mut t = tail.into_inner();
                let op = match t.next().map(|o| o.as_str().to_string()).as_deref() {
                    Some(">=" | "≥" | "＞＝") => BinOp::Ge,
                    Some("<=" | "≤" | "＜＝") => BinOp::Le,
                    Some("!=" | "≠" | "！＝") => BinOp::Ne,
                    Some(">" | "＞") => BinOp::Gt,
                    Some("<" | "＜") => BinOp::Lt,
                    Some("=" | "＝") => BinOp::Eq,
                    // The grammar's cmp_op has no other spelling. This is an error either way; a
                    // missing operator is shown as empty quotes.
                    other => {
                        self.errors.borrow_mut().push(Diagnostic::error(
                            Code::SyntaxError,
                            Msg::new(
                                format!("未知的比较符「{}」", other.unwrap_or("")),
                                format!("unknown comparison `{}`", other.unwrap_or("")),
                            ),
                            Label::primary(span, Msg::same("")),
                        ));
                        BinOp::Eq
                    }
                };
                let rhs = match t.next() {
                    Some(r) => self.parse_expr(r),
                    None => self.absent_expr(span, "比较的右边", "the comparison's right side"),
                };
                Expr { kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), span }
            }
            Rule::law_tail => self.parse_law_tail(lhs, tail, span),
            Rule::between_tail => {
                let mut bounds = self.exprs(tail, &[Rule::step_expr]).into_iter();
                let low = bounds.next().unwrap_or_else(|| self.absent_expr(span, "「介于」的下限", "the lower bound"));
                let high = bounds.next().unwrap_or_else(|| self.absent_expr(span, "「介于」的上限", "the upper bound"));
                Expr {
                    kind: ExprKind::Between {
                        value: Box::new(lhs),
                        low: Box::new(low),
                        high: Box::new(high),
                        below: false,
                    },
                    span,
                }
            }
            _ => {
                let variants = tail.into_inner().filter(|q| q.as_rule() == Rule::ident).map(|q| self.name(q)).collect();
                Expr { kind: ExprKind::OneOf { value: Box::new(lhs), variants }, span }
            }
        }
    }

    /// 满 N (≥), 未满/不满 N (<), 超过 N (>), 不超过 N (≤), 在 N以上 (≥), 在 N以下 (≤), and the
    /// interval 满 A 未满 B.
    fn parse_law_tail(&self, lhs: Expr, tail: Pair<Rule>, span: Span) -> Expr {
        let binary = |op: BinOp, l: Expr, r: Expr| Expr { kind: ExprKind::Binary(op, Box::new(l), Box::new(r)), span };
        let Some(form) = tail.into_inner().next() else {
            return self.absent_expr(span, "比较的写法", "the comparison's form");
        };
        let rule = form.as_rule();
        let parts: Vec<Pair<Rule>> = form.into_inner().collect();
        let bounds: Vec<Expr> =
            parts.iter().filter(|p| p.as_rule() == Rule::step_expr).map(|p| self.parse_expr(p.clone())).collect();
        let first = bounds.first().cloned().unwrap_or_else(|| self.absent_expr(span, "比较的界限", "the bound"));
        match rule {
            Rule::law_from => match bounds.get(1) {
                Some(upper) => Expr {
                    kind: ExprKind::Between {
                        value: Box::new(lhs),
                        low: Box::new(first),
                        high: Box::new(upper.clone()),
                        below: true,
                    },
                    span,
                },
                None => binary(BinOp::Ge, lhs, first),
            },
            Rule::law_below => binary(BinOp::Lt, lhs, first),
            Rule::law_over => binary(BinOp::Gt, lhs, first),
            Rule::law_atmost => binary(BinOp::Le, lhs, first),
            _ => {
                let above = parts.iter().any(|p| p.as_rule() == Rule::k_ormore);
                binary(if above { BinOp::Ge } else { BinOp::Le }, lhs, first)
            }
        }
    }

    fn parse_step_expr(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut es = self.exprs(p, &[Rule::default_expr]).into_iter();
        let quantity = es.next().unwrap_or_else(|| self.absent_expr(span, "运算对象", "the operand"));
        let Some(every) = es.next() else {
            return quantity;
        };
        let gives = es.next().unwrap_or_else(|| self.absent_expr(span, "「计」的值", "the `gives` value"));
        let cap = es.next();
        Expr { kind: ExprKind::Step(Box::new(Step { quantity, every, gives, cap })), span }
    }

    fn parse_binary_chain(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut items = Vec::new();
        let mut op = BinOp::Add;
        for part in p.into_inner() {
            match part.as_rule() {
                Rule::add_op => op = if matches!(part.as_str(), "+" | "＋") { BinOp::Add } else { BinOp::Sub },
                Rule::mul_op => op = if matches!(part.as_str(), "*" | "×") { BinOp::Mul } else { BinOp::Div },
                Rule::k_default => op = BinOp::Default,
                _ => items.push((op, self.parse_expr(part))),
            }
        }
        self.fold_left(items.into_iter(), span)
    }

    fn parse_unary(&self, p: Pair<Rule>) -> Expr {
        self.parse_prefixed(p, Rule::neg_op, ExprKind::Neg)
    }

    fn parse_postfix(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let mut e = match it.next() {
            Some(x) => self.parse_expr(x),
            None => self.absent_expr(span, "运算对象", "the operand"),
        };
        for part in it {
            let s = e.span.to(self.span(&part));
            match part.as_rule() {
                Rule::field_access => {
                    if let Some(n) = part.into_inner().next() {
                        e = Expr { kind: ExprKind::Field(Box::new(e), self.name(n)), span: s };
                    }
                }
                _ => {
                    if let Some(k) = part.into_inner().next() {
                        e = Expr { kind: ExprKind::Index(Box::new(e), Box::new(self.parse_expr(k))), span: s };
                    }
                }
            }
        }
        e
    }

    fn parse_call(&self, p: Pair<Rule>) -> Expr {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let function = match it.next() {
            Some(f) => self.name(f),
            None => self.absent_name(span, "函数名", "the function's name"),
        };
        match it.next() {
            Some(c) if c.as_rule() == Rule::comprehension => {
                let mut var = None;
                let mut exprs = Vec::new();
                let mut filter = None;
                let mut value = None;
                let mut range_end = None;
                let mut after_where = false;
                for q in c.into_inner() {
                    match q.as_rule() {
                        Rule::ident => var = Some(self.name(q)),
                        Rule::k_where => after_where = true,
                        Rule::or_expr if after_where && filter.is_none() && !exprs.is_empty() => {
                            filter = Some(self.parse_expr(q))
                        }
                        Rule::or_expr => exprs.push(self.parse_expr(q)),
                        Rule::range_or_expr => {
                            let mut r = self.exprs(q, &[Rule::or_expr]).into_iter();
                            value = r.next();
                            range_end = r.next();
                        }
                        _ => {}
                    }
                }
                let var = var.unwrap_or_else(|| self.absent_name(span, "逐项的名称", "the element's name"));
                let list = exprs.into_iter().next().unwrap_or_else(|| self.absent_expr(span, "逐项的列表", "the list"));
                let comp = Comprehension { var, list, filter, value, range_end };
                Expr { kind: ExprKind::Comprehension { function, comp: Box::new(comp) }, span }
            }
            Some(a) => Expr { kind: ExprKind::Call { function, args: self.exprs(a, &[Rule::expr]) }, span },
            None => Expr { kind: ExprKind::Call { function, args: Vec::new() }, span },
        }
    }
}
