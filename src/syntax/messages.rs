//! Syntax errors in the drafter's words.
//!
//! pest reports the grammar rules it tried at the furthest position; no list of rules ever reaches
//! a user. Instead the message names the whole offending token, says what the line should look like
//! in the construct it belongs to (a table row, a clause, a bracket of 分段…), and targets the
//! common slips: a misspelt keyword, full-width digits, a thousands separator, a number without its
//! unit, a year key written `2027年`, a glued keyword, an indented or unindented line.

use super::keywords::{declaration_kind, is_keyword, DeclarationKind, DECLARATION_KEYWORDS, KEYWORDS};
use super::lexer::{tokenize, Token, TokenKind};
use super::parser::{is_word_char, Rule};
use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic, Label, Msg};

/// The diagnostic for a pest error in the declaration `piece`, found at byte `offset` of the file
/// whose text is `text`.
pub fn syntax_error(file: FileId, text: &str, offset: usize, piece: &str, e: pest::error::Error<Rule>) -> Diagnostic {
    let at = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let expected: Vec<Rule> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    // With error detail on, pest also records the literal tokens (→, 否则, a unit) it tried at the
    // furthest position it reached, which is where the slip is.
    let attempts = e.parse_attempts();
    let at = attempts.as_ref().map_or(at, |a| a.max_position.max(at));
    let tokens: Vec<String> = attempts
        .map(|a| {
            a.expected_tokens()
                .into_iter()
                .map(|t| t.to_string())
                .filter(|t| !t.trim().is_empty() && t != "#" && t != "//" && !t.is_ascii())
                .collect()
        })
        // No attempts recorded: no literal token to suggest.
        .unwrap_or_default();
    let site = Site::new(text, offset, piece, at);
    let expectation = site.expectation(&expected, &tokens);
    let wants_unit = tokens.iter().any(|t| t == "周岁") && tokens.iter().any(|t| t == "个月");
    let found = site.found_token().filter(|(t, _)| t.kind != TokenKind::Whitespace);
    let (mut message, span) = match (&found, site.token_before()) {
        // `未满 36 →`: the number is what lacks something, not the space after it.
        (None, Some((t, s))) if wants_unit && t.kind == TokenKind::Number => (
            Msg::new(format!("语法错误：「{s}」缺少单位"), format!("syntax error: `{s}` lacks its unit")),
            Span::new(file, t.start, t.end),
        ),
        (Some((t, s)), _) => (
            Msg::new(format!("语法错误：「{s}」不能出现在这里"), format!("syntax error: unexpected `{s}`")),
            Span::new(file, t.start, t.end),
        ),
        (None, Some((t, s))) => (
            Msg::new(
                format!("语法错误：「{s}」之后缺少内容"),
                format!("syntax error: something is missing after `{s}`"),
            ),
            Span::new(file, t.start, t.end),
        ),
        (None, None) => (Msg::new("语法错误", "syntax error"), Span::new(file, site.pos, site.pos)),
    };
    let slip = site.slip(found.as_ref().map(|(_, s)| s.as_str()), &expected);
    let label = slip.as_ref().map_or(expectation.label, |s| s.label.clone());
    if found.is_none() && slip.is_none() && !wants_unit {
        message = Msg::new(format!("{}（声明不完整）", message.zh), format!("{} (unfinished declaration)", message.en));
    }
    let mut d = Diagnostic::error(Code::SyntaxError, message, Label::primary(span, label));
    if let Some(form) = expectation.form {
        d = d.with_note(form);
    }
    d.help = slip.map(|s| s.help).or(expectation.help);
    if d.help.is_none() && wants_unit {
        d.help = site.unit_like_the_line();
    }
    d
}

/// A common slip recognised around a syntax error: what to call it, and the fix.
struct Slip {
    label: Msg,
    help: Msg,
}

impl Slip {
    fn new(label: Msg, help: Msg) -> Option<Self> {
        Some(Slip { label, help })
    }
}

struct Expectation {
    /// What belongs at the error, in words.
    label: Msg,
    /// The form of the construct the error is in (`表的每一行应为：键 → 值`).
    form: Option<Msg>,
    help: Option<Msg>,
}

/// Where a syntax error is: the file, the declaration, the line.
struct Site<'t> {
    text: &'t str,
    /// The declaration's offset in the file and its text.
    offset: usize,
    piece: &'t str,
    /// The error's byte offset in the file.
    pos: usize,
    line_start: usize,
}

impl<'t> Site<'t> {
    fn new(text: &'t str, offset: usize, piece: &'t str, at: usize) -> Self {
        let pos = offset + at;
        let line_start = text.get(..pos).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
        Site { text, offset, piece, pos, line_start }
    }

    // `pos` is pest's position (a character boundary in the text) and `line_start` follows a
    // newline before it: the slices below are always there, and split yields at least one piece.
    fn line(&self) -> &'t str {
        let rest = self.text.get(self.line_start..).unwrap_or("");
        rest.split('\n').next().unwrap_or("")
    }

    /// The line's text before the error.
    fn before(&self) -> &'t str {
        // As above: line_start ≤ pos, both boundaries.
        self.text.get(self.line_start..self.pos).unwrap_or("")
    }

    /// The whole token at the error (a word, a number with its unit, a quoted text…), unless the
    /// declaration has ended there.
    fn found_token(&self) -> Option<(Token, String)> {
        let piece_end = self.offset + self.piece.trim_end().len();
        if self.pos >= piece_end {
            return None;
        }
        let line = self.line();
        let at = self.pos - self.line_start;
        let token = tokenize(line).into_iter().find(|t| t.start <= at && at < t.end)?;
        let token = Token { kind: token.kind, start: self.line_start + token.start, end: self.line_start + token.end };
        let s = self.text.get(token.start..token.end)?.to_string();
        // A run of punctuation or an unknown character is shown up to the next space.
        if matches!(token.kind, TokenKind::Punct | TokenKind::Error) {
            let rest = self.text.get(token.start..)?;
            let run: String = rest.chars().take_while(|c| !c.is_whitespace() && !is_word_char(*c)).take(8).collect();
            if !run.is_empty() {
                let end = token.start + run.len();
                return Some((Token { end, ..token }, run));
            }
        }
        Some((token, s))
    }

    /// For a number without its unit: the unit another number on the same line has.
    fn unit_like_the_line(&self) -> Option<Msg> {
        let (number, _) = self.token_before().filter(|(t, _)| t.kind == TokenKind::Number)?;
        let number = self.text.get(number.start..number.end)?;
        let line = self.line();
        let quantity = tokenize(line).into_iter().find(|t| t.kind == TokenKind::Quantity)?;
        let q = line.get(quantity.start..quantity.end)?;
        let unit = q.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        Some(Msg::new(
            format!("写成「{number}{unit}」（与同一行的「{q}」同一单位）"),
            format!("write `{number}{unit}` (the unit of `{q}` on the same line)"),
        ))
    }

    /// The last token before the error that is not a space or a comment.
    fn token_before(&self) -> Option<(Token, String)> {
        let upto = self.text.get(self.offset..self.pos)?;
        let t =
            tokenize(upto).into_iter().rev().find(|t| !matches!(t.kind, TokenKind::Whitespace | TokenKind::Comment))?;
        let t = Token { kind: t.kind, start: self.offset + t.start, end: self.offset + t.end };
        let s = self.text.get(t.start..t.end)?.to_string();
        Some((t, s))
    }

    fn declaration(&self) -> Option<DeclarationKind> {
        let word: String = self.piece.chars().take_while(|c| is_word_char(*c)).collect();
        declaration_kind(&word)
    }

    /// The first word of the error's line (a clause keyword, 依据, 满…).
    fn line_lead(&self) -> String {
        self.line().trim_start().chars().take_while(|c| is_word_char(*c)).collect()
    }

    fn on_first_line(&self) -> bool {
        self.line_start <= self.offset
    }

    /// Whether the error's line is inside a 分段 or 匹配 (a previous line of the declaration, or
    /// this one before the error, opened it).
    fn inside(&self, keyword: &str) -> bool {
        // The declaration starts at `offset`, at or before the error: always a slice.
        let upto = self.text.get(self.offset..self.pos).unwrap_or("");
        upto.split(|c: char| !is_word_char(c)).any(|w| w == keyword)
    }

    fn expectation(&self, expected: &[Rule], tokens: &[String]) -> Expectation {
        let wants = |r: Rule| expected.contains(&r);
        let tried = |t: &str| tokens.iter().any(|x| x == t);
        let plain = |zh: &str, en: &str| Expectation { label: Msg::new(zh, en), form: None, help: None };
        let lead = self.line_lead();
        let form = self.form(&lead);
        let with_form = |zh: &str, en: &str| Expectation { label: Msg::new(zh, en), form: form.clone(), help: None };
        // One keyword or mark the construct needs next.
        if tokens.len() <= 3 {
            for (token, zh, en) in [
                ("则", "这里缺少「则」：若 条件 则 值 否则 值", "`则` (then) is missing: 若 cond 则 value 否则 value"),
                ("计", "这里缺少「计」：每满 N 计 M，最高 C", "`计` is missing: 每满 N 计 M，最高 C"),
                ("至", "这里缺少「至」：介于 A 至 B", "`至` is missing: 介于 A 至 B"),
                ("之一", "这里缺少「之一」：是 甲、乙 之一", "`之一` is missing: 是 A、B 之一"),
                ("不符合", "这里缺少「不符合 “理由”」", "`不符合 “reason”` is missing"),
                ("版本", "这里缺少「版本 “…”」", "`版本 “…”` (version) is missing"),
            ] {
                if tried(token) {
                    return with_form(zh, en);
                }
            }
        }
        if tried("→") && tokens.len() <= 2 {
            return with_form("这里缺少「→」", "`→` is missing here");
        }
        if tried("分") && tried("周岁") && tried("个月") {
            return with_form(
                "数字后面缺少单位：分、元、万元、个月、年、周岁、日、平方米、小时、次",
                "the number needs its unit: 分, 元, 万元, 个月, 年, 周岁, 日, 平方米, 小时, 次",
            );
        }
        if self.found_token().is_none() {
            let label = if tried("否则") {
                Msg::new("声明在这里结束了，还缺「否则 值」", "the declaration ends here without `否则 value`")
            } else {
                Msg::new("声明在这里结束了，但还不完整", "the declaration ends here, unfinished")
            };
            return Expectation { label, form, help: None };
        }
        let label = if wants(Rule::citation) || lead == "依据" || lead == "per" {
            Msg::new(
                "这里应为引用：文件名 第N条，或 文件名 [标识]",
                "expected a citation: document 第N条 or document [id]",
            )
        } else if wants(Rule::category) {
            Msg::new("这里应为类别：基础分、附加分 或 扣减分", "expected a category: 基础分, 附加分 or 扣减分")
        } else if wants(Rule::string) && expected.len() == 1 {
            Msg::new("这里应为引号中的文字，如 “…”", "expected a quoted text “…”")
        } else if wants(Rule::date_lit) && expected.len() == 1 {
            Msg::new("这里应为日期，如 2021-01-01", "expected a date such as 2021-01-01")
        } else if wants(Rule::item_ref) && expected.len() == 1 {
            Msg::new("这里应为方括号中的标识，如 [分项标识]", "expected an id in brackets, such as [item-id]")
        } else if wants(Rule::type_expr) || wants(Rule::type_atom) {
            Msg::new("这里应为类型，如 日期、整数 个月、文本？", "expected a type (日期, 整数 个月, 文本？)")
        } else if tried("且") && tried("或") && !expected.iter().any(|r| is_expression_rule(*r)) {
            Msg::new("前面的表达式到这里应已结束", "the expression before should end here")
        } else if expected.iter().any(|r| is_expression_rule(*r)) {
            Msg::new("这里应为一个值或条件", "expected a value or a condition")
        } else if form.is_some() {
            Msg::new("这一行不完整或多了内容", "this line is incomplete or has something extra")
        } else {
            Msg::new("这里的写法不对", "this is not written as expected")
        };
        let _ = plain;
        Expectation { label, form, help: None }
    }

    /// The form of the construct the error's line belongs to.
    fn form(&self, lead: &str) -> Option<Msg> {
        let kw = |zh: &str| KEYWORDS.iter().any(|k| k.zh == zh && (k.zh == lead || k.en == lead));
        if kw("条件") || kw("适用") || kw("期间") {
            return Some(Msg::new(
                format!("「{lead}」一条应为：{lead} 条件表达式，下一行 不符合 “理由” 依据 文件 第N条"),
                format!("a `{lead}` clause reads: {lead} condition, then 不符合 “reason” 依据 document 第N条"),
            ));
        }
        if kw("不符合") {
            return Some(Msg::new(
                "「不符合」一行应为：不符合 “理由” 依据 文件 第N条",
                "a `不符合` line reads: 不符合 “reason” 依据 document 第N条",
            ));
        }
        if kw("计入") {
            return Some(Msg::new(
                "「计入」一行应为：计入 基础分、附加分 依据 …",
                "a `计入` line reads: 计入 基础分、附加分 依据 …",
            ));
        }
        if kw("满") || kw("未满") || (self.inside("分段") && !self.on_first_line()) {
            return Some(Msg::new(
                "「分段」的每一行应为：满 N周岁 未满 M周岁 → 分值；最后一行可为 其他情形 → 分值",
                "each line of 分段 reads: 满 N周岁 未满 M周岁 → value; the last may be 其他情形 → value",
            ));
        }
        if self.inside("匹配") && !self.on_first_line() {
            return Some(Msg::new(
                "「匹配」的每一行应为：取值 → 结果（几个取值用「、」隔开）；最后一行可为 其他情形 → 结果",
                "each line of 匹配 reads: value → result (values separated by 、); the last may be 其他情形 → result",
            ));
        }
        let decl = self.declaration()?;
        let first = self.on_first_line();
        let (zh, en) = match decl {
            DeclarationKind::Table if !first => (
                "表的每一行应为：键 → 值（如 2021 → 50分、某区 → 2023-06-30）；可在最后写 未列出 “理由”",
                "each row of a table reads: key → value (2021 → 50分); 未列出 “reason” may end it",
            ),
            DeclarationKind::Record | DeclarationKind::Applicant if !first => (
                "每个字段一行：名称：类型（可缺省的加「？」，默认值写「= 值」），如 缴费月数：整数 个月",
                "one field per line: name: type (`？` if optional, `= value` for a default)",
            ),
            DeclarationKind::Item if !first => (
                "分项的公式从第二行起：得出「分」的一个值，如 申请人.某月数 每满 1个月 计 0.5分，最高 60分",
                "an item's formula, from its second line, is one value in 分",
            ),
            DeclarationKind::Const if !first => ("常量的值写在「=」之后：一个值或条件", "a constant's value follows `=`: one value or condition"),
            DeclarationKind::Purpose | DeclarationKind::Route if !first => (
                "每一条应为：计入 类别、类别 依据 …，或 适用|期间|条件 条件表达式 不符合 “理由” 依据 文件 第N条",
                "each clause reads: 计入 categories 依据 …, or 适用|期间|条件 condition 不符合 “reason” 依据 document 第N条",
            ),
            DeclarationKind::Rank if !first => ("排序的每个键应为：值 降序 或 值 升序，用「，」隔开", "each ranking key reads: value 降序|升序, separated by `，`"),
            DeclarationKind::Enum => ("枚举应为：枚举 名称 依据 …：取值、取值、取值", "an enumeration reads: 枚举 name 依据 …：value、value"),
            DeclarationKind::Table => ("表的第一行应为：表 名称：键类型 → 值类型 依据 …", "a table begins: 表 name：key type → value type 依据 …"),
            DeclarationKind::Const => ("常量应为：常量 名称 依据 … = 值", "a constant reads: 常量 name 依据 … = value"),
            DeclarationKind::Item => (
                "分项的第一行应为：分项 [标识] “标题” 基础分|附加分|扣减分 最高 N分 依据 …",
                "an item begins: 分项 [id] “title” 基础分|附加分|扣减分 最高 N分 依据 …",
            ),
            DeclarationKind::Purpose => ("用途的第一行应为：用途 名称 “标题” 依据 …", "a purpose begins: 用途 name “title” 依据 …"),
            DeclarationKind::Route => ("途径的第一行应为：途径 [标识] “标题” 依据 …", "a route begins: 途径 [id] “title” 依据 …"),
            DeclarationKind::Policy => (
                "政策应为：政策 “名称” 版本 “2020” 施行 2021-01-01 依据 …",
                "a policy header reads: 政策 “name” 版本 “2020” 施行 2021-01-01 依据 …",
            ),
            DeclarationKind::Document => (
                "文件应为：文件 名称 “标题” 施行 2021-01-01 模拟取值 “说明”",
                "a document reads: 文件 name “title” 施行 2021-01-01 模拟取值 “note”",
            ),
            DeclarationKind::Articles if !first => (
                "每一条应为：第N条【标题】 后接各段 “…”（一段一行），或 [标识]【标题】 “…”",
                "each article reads: 第N条【title】 then its paragraphs “…” (one per line), or [id]【title】 “…”",
            ),
            DeclarationKind::Articles => ("条文应为：条文 文件名：", "an articles declaration begins: 条文 document："),
            DeclarationKind::ClauseGroup if !first => (
                "条款组的每一条应为：适用|期间|条件 条件表达式 不符合 “理由” 依据 文件 第N条",
                "each clause of a group reads: 适用|期间|条件 condition 不符合 “reason” 依据 document 第N条",
            ),
            DeclarationKind::ClauseGroup => ("条款组应为：条款组 名称 依据 …：后接各条", "a clause group begins: 条款组 name 依据 …： then its clauses"),
            DeclarationKind::Test if !first => (
                "测试的内容：评估日 日期，逐行「字段 = 值」，然后「预期：」下逐行写 用途 名称 状态 “理由”、途径 [标识] 状态、分项 [标识] = N分、总分 用途 = N分",
                "a test holds: 评估日 date, `field = value` lines, then `预期：` with lines such as 用途 name status “reason”, 途径 [id] status, 分项 [id] = N分, 总分 purpose = N分",
            ),
            DeclarationKind::Test => ("测试应为：测试 “名称” 基于 样例名：", "a test begins: 测试 “name” 基于 sample："),
            DeclarationKind::Sample => ("样例应为：样例 名称：后接逐行「字段 = 值」", "a sample reads: 样例 name： then `field = value` lines"),
            DeclarationKind::Rank => ("排序应为：排序 用途、用途 依据 …：键 降序，键 升序", "a ranking reads: 排序 purpose 依据 …：key 降序，key 升序"),
            DeclarationKind::Assert => (
                "约束应为：约束 “标题” 依据 …：每个 变量 属于 表：条件 不符合 “理由”",
                "an assertion reads: 约束 “title” 依据 …：每个 x 属于 table：condition 不符合 “reason”",
            ),
            DeclarationKind::Record => ("记录的第一行应为：记录 名称 依据 …", "a record begins: 记录 name 依据 …"),
            DeclarationKind::Applicant => ("申请人记录的第一行应为：申请人 依据 …", "the applicant schema begins: 申请人 依据 …"),
        };
        Some(Msg::new(zh, en))
    }

    /// The common slips, when the text around the error shows one.
    fn slip(&self, found: Option<&str>, expected: &[Rule]) -> Option<Slip> {
        // Nothing found at the error (the declaration ended), or no word before it on its line:
        // there is no text there to recognise a slip in.
        let found = found.unwrap_or("");
        let before = self.before();
        let last_word = before.split_whitespace().last().unwrap_or("");
        if let Some(h) = full_width_digits(found).or_else(|| full_width_digits(last_word)) {
            return Slip::new(Msg::new("全角数字", "full-width digits"), h);
        }
        if let Some(h) = thousands_separator(before, found) {
            return Slip::new(Msg::new("数字里的千位分隔符", "a thousands separator"), h);
        }
        if let Some(year) = found.strip_suffix('年').filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()))
        {
            if self.declaration() == Some(DeclarationKind::Table) && !self.on_first_line() {
                return Slip::new(
                    Msg::new("按年度的键不带「年」", "a year key takes no 年"),
                    Msg::new(
                        format!("年度写成数字「{year}」，不带「年」（按年度取值的表以年份数字为键）"),
                        format!("write the year as the number `{year}`, without 年 (tables by year are keyed by the number)"),
                    ),
                );
            }
        }
        if let Some(h) = number_without_unit(before, found) {
            return Slip::new(Msg::new("不是带单位的数", "not a number with a unit"), h);
        }
        if let Some((keyword, h)) = self.misspelt_keyword(found, expected) {
            return Slip::new(Msg::new(format!("写成「{keyword}」"), format!("write `{keyword}`")), h);
        }
        if self.pos == self.line_start && !is_keyword(found) && !found.is_empty() {
            return Slip::new(
                Msg::new("这一行顶格书写", "this line starts at column 0"),
                Msg::new(
                    "这一行顶格书写，但不是声明的开头：续行要缩进（只有声明的关键字写在行首）",
                    "this line starts at column 0 but does not begin a declaration: indent continuation lines",
                ),
            );
        }
        if declaration_kind(found).is_some() && self.pos > self.line_start {
            return Slip::new(
                Msg::new("声明没有从行首开始", "a declaration not at the start of a line"),
                Msg::new(
                    format!("声明要从行首写起：把「{found}」移到新的一行的开头（前面不留空格）"),
                    format!("a declaration starts at column 0: put `{found}` at the start of a new line"),
                ),
            );
        }
        if let Some((word, keyword)) = glued_word_before(self.line(), self.pos - self.line_start) {
            return Slip::new(
                Msg::new(format!("「{word}」被读成了一个名称"), format!("`{word}` reads as one name")),
                Msg::new(
                    format!("「{word}」被读成了一个名称：在关键字「{keyword}」后面加一个空格"),
                    format!("`{word}` reads as one name: put a space after the keyword `{keyword}`"),
                ),
            );
        }
        None
    }

    /// A word one character away from a keyword the parser could have taken here (依照 → 依据), or
    /// from a declaration keyword at the start of a line (常亮 → 常量).
    fn misspelt_keyword(&self, found: &str, expected: &[Rule]) -> Option<(&'static str, Msg)> {
        if found.is_empty() || !found.chars().all(is_word_char) || is_keyword(found) {
            return None;
        }
        let mut candidates: Vec<&str> = Vec::new();
        if self.pos == self.line_start {
            candidates.extend(DECLARATION_KEYWORDS.iter().flat_map(|(zh, en, _)| [*zh, *en]));
        }
        for r in expected {
            if let Some(k) = keyword_of_rule(*r) {
                candidates.extend([k.zh, k.en]);
            }
        }
        // A clause, a citation or a 否则 may follow almost anything: always worth a guess.
        candidates.extend(["依据", "否则", "不符合", "条件", "适用", "期间", "则", "计", "至", "之一", "未满", "满"]);
        let close =
            candidates.into_iter().filter(|k| one_character_apart(found, k)).min_by_key(|k| k.chars().count())?;
        Some((close, Msg::new(format!("是不是关键字「{close}」？"), format!("did you mean the keyword `{close}`?"))))
    }
}

fn is_expression_rule(r: Rule) -> bool {
    matches!(
        r,
        Rule::expr
            | Rule::or_expr
            | Rule::and_expr
            | Rule::not_expr
            | Rule::cmp_expr
            | Rule::step_expr
            | Rule::default_expr
            | Rule::add_expr
            | Rule::mul_expr
            | Rule::unary
            | Rule::postfix
            | Rule::primary
            | Rule::literal
            | Rule::body
    )
}

/// The keyword a `k_…` rule spells: each is named after the keyword's English alias (tested).
fn keyword_of_rule(r: Rule) -> Option<&'static super::keywords::Keyword> {
    let name = format!("{r:?}");
    let alias = name.strip_prefix("k_")?;
    KEYWORDS.iter().find(|k| k.en == alias)
}

/// Same length and one character different (常亮/常量, 否责/否则), or one character more or less
/// in a word of three or more (模拟值/模拟取值).
fn one_character_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() == b.len() {
        return a.len() >= 2 && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1;
    }
    let (short, long) = if a.len() < b.len() { (&a, &b) } else { (&b, &a) };
    if long.len() != short.len() + 1 || short.len() < 2 {
        return false;
    }
    (0..long.len()).any(|skip| long.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, c)| c).eq(short.iter()))
}

fn full_width_digits(s: &str) -> Option<Msg> {
    if !s.chars().any(|c| ('０'..='９').contains(&c) || c == '．') {
        return None;
    }
    let fixed: String = s
        .chars()
        .map(|c| match c {
            // char → u32 is exact, and ０..＝９ map onto 0..=9, always a char.
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .collect();
    Some(Msg::new(
        format!("「{s}」用了全角数字：数字写成半角，即「{fixed}」"),
        format!("`{s}` uses full-width digits: write `{fixed}`"),
    ))
}

/// `300,000元`: the parser stops at the `,` or just after it.
fn thousands_separator(before: &str, found: &str) -> Option<Msg> {
    let digits_before: String =
        before.chars().rev().take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '，')).collect();
    let digits_before: String = digits_before.chars().rev().collect();
    let glued = matches!(found.chars().next(), Some(',' | '，'))
        || (digits_before.ends_with([',', '，']) && found.starts_with(|c: char| c.is_ascii_digit()));
    if !glued {
        return None;
    }
    let joined = format!("{digits_before}{found}");
    let mut groups = joined.split([',', '，']);
    // split yields at least one piece.
    let head = groups.next().unwrap_or("");
    let tail: Vec<&str> = groups.collect();
    let grouped = !head.is_empty()
        && head.chars().all(|c| c.is_ascii_digit())
        && !tail.is_empty()
        && tail.iter().all(|g| g.chars().take_while(char::is_ascii_digit).count() == 3);
    if !grouped {
        return None;
    }
    let fixed: String = joined.chars().filter(|c| !matches!(c, ',' | '，')).collect();
    Some(Msg::new(
        format!("数字不用千位分隔符：「{joined}」写成「{fixed}」"),
        format!("numbers take no thousands separators: write `{fixed}` for `{joined}`"),
    ))
}

/// `30万`, `24月`, `18岁`: a number directly followed by a word that is not one of the units.
fn number_without_unit(before: &str, found: &str) -> Option<Msg> {
    let number: String = before.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let number: String = number.chars().rev().collect();
    if number.is_empty() || found.is_empty() {
        return None;
    }
    let (unit, suggestion) = [
        ("万", "万元"),
        ("月", "个月"),
        ("岁", "周岁"),
        ("平米", "平方米"),
        ("平方", "平方米"),
        ("块", "元"),
        ("点", "分"),
        ("周", "日"),
    ]
    .into_iter()
    .find(|(u, _)| found.starts_with(u))?;
    if suggestion.is_empty() {
        return None;
    }
    Some(Msg::new(
        format!("「{number}{unit}」不是带单位的数：写成「{number}{suggestion}」"),
        format!("`{number}{unit}` is not a number with a unit: write `{number}{suggestion}`"),
    ))
}

/// A word on the error's line, before it, that begins with a keyword (`若申请人`): the usual cause
/// of a syntax error in text without spaces.
fn glued_word_before(line: &str, pos: usize) -> Option<(String, &'static str)> {
    let line = line.get(..pos)?;
    tokenize(line)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Ident)
        .filter_map(|t| {
            let word = line.get(t.start..t.end)?;
            super::keywords::glued_keyword(word, &is_keyword).map(|k| (word.to_string(), k))
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_one_character_apart() {
        assert!(one_character_apart("依照", "依据"));
        assert!(one_character_apart("常亮", "常量"));
        assert!(one_character_apart("否责", "否则"));
        assert!(!one_character_apart("则", "计"));
        assert!(!one_character_apart("本科", "专科本"));
    }

    #[test]
    fn slips_in_numbers() {
        assert!(full_width_digits("１２个月").is_some_and(|m| m.zh.contains("12个月")));
        assert!(thousands_separator("  最高 300", ",000元").is_some_and(|m| m.zh.contains("300000元")));
        assert!(thousands_separator("  2021 → 300,", "000元").is_some_and(|m| m.zh.contains("300000元")));
        assert!(thousands_separator("  取最高（1", ",2）").is_none());
        assert!(number_without_unit("= 30", "万").is_some_and(|m| m.zh.contains("30万元")));
    }

    #[test]
    fn every_keyword_rule_is_named_after_its_alias() {
        let grammar = include_str!("../../grammar/jifen.pest");
        let rules: Vec<&str> = grammar.lines().filter(|l| l.starts_with("k_")).collect();
        assert!(rules.len() > 50);
        for line in rules {
            let name = line.split_whitespace().next().expect("a rule name");
            let zh = line.split('"').nth(1).expect("a quoted spelling");
            let k = KEYWORDS.iter().find(|k| k.zh == zh);
            assert_eq!(k.map(|k| format!("k_{}", k.en)).as_deref(), Some(name), "{line}");
        }
        assert_eq!(keyword_of_rule(Rule::k_else).map(|k| k.zh), Some("否则"));
        assert_eq!(keyword_of_rule(Rule::k_per).map(|k| k.zh), Some("依据"));
    }
}
