//! Citations against the law: every declaration cites its source (W0001), the cited document is
//! declared (E0106), and when the document declares its articles (条文), the cited article or id is
//! one of them (E0107, E0108), in the document's own numbering (E0109). The policy names the
//! documents it consists of (包括), and each must be declared (E0401, E0403).

use super::{names, Checker};
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::Article;
use crate::syntax::ast::{self, DeclKind, DeclarationKind};
use crate::syntax::span::Span;
use std::collections::HashMap;

impl Checker<'_> {
    /// Give each document the articles its 条文 declaration lists.
    pub(super) fn attach_articles(&mut self) {
        let decls = std::mem::take(&mut self.article_decls);
        let mut seen: HashMap<String, Span> = HashMap::new();
        for decl in &decls {
            let DeclKind::Articles { document, entries } = &decl.kind else { continue };
            if let Some(first) = seen.get(&document.text) {
                let first = *first;
                self.duplicate(Msg::new("条文", "articles of"), document, first);
                continue;
            }
            seen.insert(document.text.clone(), document.span);
            let Some(index) = self.documents.iter().position(|(d, _)| d.name == document.text) else {
                if !self.is_broken(&[DeclarationKind::Document], Some(&document.text)) {
                    self.unknown_document(document);
                }
                continue;
            };
            let mut numbers: HashMap<String, Span> = HashMap::new();
            let mut articles = Vec::new();
            for e in entries {
                for key in [&e.number, &e.id].into_iter().flatten() {
                    match numbers.get(&key.text) {
                        Some(first) => {
                            let first = *first;
                            self.duplicate(Msg::new("条文", "article"), key, first);
                        }
                        None => {
                            numbers.insert(key.text.clone(), key.span);
                        }
                    }
                }
                if let Some(n) = &e.number {
                    if article_number(&n.text).is_none() {
                        self.error(
                            Diagnostic::warning(
                                Code::CitationFormat,
                                Msg::new(
                                    format!("条号「{}」的写法不规范", n.text),
                                    format!("article `{}` is not written as 第…条", n.text),
                                ),
                                Label::primary(
                                    n.span,
                                    Msg::new("应为「第十条」这样的条号", "expected an article such as 第十条"),
                                ),
                            )
                            .with_help(article_help(&n.text)),
                        );
                    }
                }
                articles.push(Article {
                    number: e.number.as_ref().map(|n| n.text.clone()),
                    id: e.id.as_ref().map(|n| n.text.clone()),
                    title: e.title.clone(),
                    paragraphs: e.paragraphs.clone(),
                });
            }
            if let Some((d, _)) = self.documents.get_mut(index) {
                d.articles = articles;
            }
        }
        self.article_decls = decls;
    }

    fn unknown_document(&mut self, document: &ast::Name) {
        let names: Vec<String> = self.documents.iter().map(|(d, _)| d.name.clone()).collect();
        let mut d = Diagnostic::error(
            Code::UnknownDocument,
            Msg::new(format!("未声明的文件「{}」", document.text), format!("unknown document `{}`", document.text)),
            Label::primary(document.span, Msg::new("政策中没有这个文件", "no such document in the policy")),
        );
        d = match names::closest(&document.text, names.iter().map(String::as_str)) {
            Some(s) => d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?"))),
            None => d.with_help(Msg::new(
                format!("已声明的文件：{}", names.join("、")),
                format!("declared documents: {}", names.join(", ")),
            )),
        };
        self.error(d);
    }

    /// Citations (where a declaration or clause has none, W0001) and what each one names.
    pub(super) fn check_citation_list(&mut self, head: Span, citations: &[ast::Citation]) {
        if citations.is_empty() {
            self.error(
                Diagnostic::warning(
                    Code::MissingCitation,
                    Msg::new("声明没有注明依据", "declaration without a citation"),
                    Label::primary(head, Msg::new("这条规则出自哪一条？", "which article does this implement?")),
                )
                .with_help(Msg::new(
                    "加上依据，如：依据 办法 第十条，或 依据 标准 [分项标识]",
                    "add a citation such as `per 办法 第十条` or `per 标准 [分项标识]`",
                )),
            );
        }
        for c in citations {
            let Some(articles) =
                self.documents.iter().find(|(d, _)| d.name == c.document.text).map(|(d, _)| d.articles.clone())
            else {
                if !self.is_broken(&[DeclarationKind::Document], Some(&c.document.text)) {
                    self.unknown_document(&c.document);
                }
                continue;
            };
            if articles.is_empty() && self.is_broken(&[DeclarationKind::Articles], Some(&c.document.text)) {
                continue;
            }
            match &c.target {
                ast::CitationTarget::Id(id) => self.check_cited_id(&c.document, id, &articles),
                ast::CitationTarget::Article(a) => {
                    self.check_cited_article(&c.document, a, c.paragraph.as_ref(), &articles)
                }
            }
        }
    }

    fn check_cited_id(&mut self, document: &ast::Name, id: &ast::Name, articles: &[Article]) {
        // Without 条文, an id names a scoring item or a route of the policy.
        let ids: Vec<String> = if articles.is_empty() {
            self.item_decls
                .iter()
                .chain(self.route_decls.iter())
                .filter_map(|d| match &d.kind {
                    DeclKind::Item { id, .. } | DeclKind::Route { id, .. } => Some(id.text.clone()),
                    _ => None,
                })
                .collect()
        } else {
            articles.iter().filter_map(|a| a.id.clone()).collect()
        };
        let broken =
            articles.is_empty() && self.is_broken(&[DeclarationKind::Item, DeclarationKind::Route], Some(&id.text));
        if ids.contains(&id.text) || broken {
            return;
        }
        let mut d = Diagnostic::error(
            Code::UnknownCitationTarget,
            Msg::new(
                format!("「{}」中没有标识为 [{}] 的条目", document.text, id.text),
                format!("`{}` has no entry with id [{}]", document.text, id.text),
            ),
            Label::primary(id.span, Msg::new("未声明的标识", "unknown id")),
        );
        if ids.is_empty() && !articles.is_empty() {
            d = d.with_help(Msg::new(
                format!("「{}」按条编排：写成 {} 第N条", document.text, document.text),
                format!("`{}` is numbered by articles: cite {} 第N条", document.text, document.text),
            ));
        } else if let Some(s) = names::closest(&id.text, ids.iter().map(String::as_str)) {
            d = d.with_help(Msg::new(format!("是不是 [{s}]？"), format!("did you mean [{s}]?")));
        } else if !articles.is_empty() {
            let listed: Vec<String> = ids.iter().map(|i| format!("[{i}]")).collect();
            d = d.with_help(Msg::new(
                format!("已有的标识：{}", listed.join("、")),
                format!("its ids: {}", listed.join(", ")),
            ));
        }
        self.error(d);
    }

    fn check_cited_article(
        &mut self,
        document: &ast::Name,
        a: &ast::Name,
        paragraph: Option<&ast::Name>,
        articles: &[Article],
    ) {
        if !is_article(&a.text) {
            self.error(
                Diagnostic::warning(
                    Code::CitationFormat,
                    Msg::new(
                        format!("条款「{}」的写法不规范", a.text),
                        format!("article `{}` is not written as 第…条", a.text),
                    ),
                    Label::primary(
                        a.span,
                        Msg::new("应为「第十条」或章节序号「三」", "expected 第十条 or a section number"),
                    ),
                )
                .with_help(article_help(&a.text)),
            );
            return;
        }
        if articles.is_empty() {
            return;
        }
        if let Some(article) = articles.iter().find(|x| x.number.as_deref() == Some(a.text.as_str())) {
            if let Some(p) = paragraph {
                self.check_cited_paragraph(document, a, p, article);
            }
            return;
        }
        if articles.iter().all(|x| x.number.is_none()) {
            // An entry without an article number has an id (the grammar's article_entry), so this
            // finds one; the generic word would only stand in a hint.
            let example = articles.iter().find_map(|x| x.id.clone()).unwrap_or_else(|| "标识".into());
            self.error(
                Diagnostic::error(
                    Code::ArticleNumbering,
                    Msg::new(
                        format!("「{}」按 [标识] 编排，没有「{}」", document.text, a.text),
                        format!("`{}` is numbered by ids, not by articles such as `{}`", document.text, a.text),
                    ),
                    Label::primary(a.span, Msg::new("这个文件没有条号", "this document has no article numbers")),
                )
                .with_help(Msg::new(
                    format!("写成 {} [{example}] 这样的标识引用", document.text),
                    format!("cite it by id, as in {} [{example}]", document.text),
                )),
            );
            return;
        }
        let wanted = article_number(&a.text);
        let mut nearest: Vec<(u32, &str, &Article)> = articles
            .iter()
            .filter_map(|x| {
                let number = x.number.as_deref()?;
                Some((article_number(number)?, number, x))
            })
            .collect();
        // A citation whose number cannot be read is nearest the first articles.
        nearest.sort_by_key(|(n, _, _)| (n.abs_diff(wanted.unwrap_or(0)), *n));
        let mut shown: Vec<(u32, String)> = nearest
            .iter()
            .take(3)
            .map(|(n, number, x)| {
                // An article without a title is shown by its number alone.
                let title = x.title.as_ref().map(|t| format!("【{t}】")).unwrap_or_default();
                (*n, format!("{number}{title}"))
            })
            .collect();
        shown.sort();
        let shown: Vec<String> = shown.into_iter().map(|(_, s)| s).collect();
        // Some article has a number: the document is not numbered by ids alone (returned above).
        let last = articles.iter().rev().find_map(|x| x.number.clone()).unwrap_or_default();
        self.error(
            Diagnostic::error(
                Code::UnknownArticle,
                Msg::new(
                    format!("「{}」没有「{}」", document.text, a.text),
                    format!("`{}` has no article `{}`", document.text, a.text),
                ),
                Label::primary(a.span, Msg::new(format!("条文共到{last}"), format!("its articles end at {last}"))),
            )
            .with_help(Msg::new(
                format!("最接近的条文：{}", shown.join("、")),
                format!("the nearest articles: {}", shown.join(", ")),
            )),
        );
    }

    /// `第七条（二）`: the article has a paragraph numbered （二）.
    fn check_cited_paragraph(&mut self, document: &ast::Name, a: &ast::Name, p: &ast::Name, article: &Article) {
        let numbered: Vec<String> = article.paragraphs.iter().filter_map(|t| crate::ir::paragraph_number(t)).collect();
        if numbered.contains(&p.text) {
            return;
        }
        let listed: Vec<String> = numbered.iter().map(|n| format!("（{n}）")).collect();
        let help = if listed.is_empty() {
            Msg::new(
                format!("{}没有（一）（二）这样编号的项：引用整条，写成 {} {}", a.text, document.text, a.text),
                format!("{} has no numbered paragraphs: cite the whole article, {} {}", a.text, document.text, a.text),
            )
        } else {
            Msg::new(
                format!("{}的项：{}", a.text, listed.join("")),
                format!("the paragraphs of {}: {}", a.text, listed.join("")),
            )
        };
        self.error(
            Diagnostic::error(
                Code::UnknownArticle,
                Msg::new(
                    format!("「{}」{}没有（{}）", document.text, a.text, p.text),
                    format!("`{}` {} has no paragraph ({})", document.text, a.text, p.text),
                ),
                Label::primary(p.span, Msg::new("条文中没有这一项", "no such paragraph in the article")),
            )
            .with_help(help),
        );
    }

    /// 包括: each listed document is declared, and each declared document is listed.
    pub(super) fn check_included_documents(&mut self) {
        let Some((listed, head)) = self.included.clone() else { return };
        if listed.is_empty() {
            return;
        }
        for name in &listed {
            let declared = self.documents.iter().any(|(d, _)| d.name == name.text)
                || self.is_broken(&[DeclarationKind::Document], Some(&name.text));
            if !declared {
                self.error(
                    Diagnostic::error(
                        Code::MissingDeclaration,
                        Msg::new(
                            format!("政策包括的文件「{}」没有声明", name.text),
                            format!("the policy includes `{}`, which no file declares", name.text),
                        ),
                        Label::primary(name.span, Msg::new("找不到这个文件的声明", "no declaration of this document")),
                    )
                    .with_help(Msg::new(
                        format!("政策目录中缺少 {}.jf？它应以「文件 {} “标题”」开头", name.text, name.text),
                        format!(
                            "is {}.jf missing from the policy directory? it begins `文件 {} “title”`",
                            name.text, name.text
                        ),
                    )),
                );
            }
        }
        let undeclared: Vec<(String, Span)> = self
            .documents
            .iter()
            .filter(|(d, _)| !listed.iter().any(|n| n.text == d.name))
            .map(|(d, span)| (d.name.clone(), *span))
            .collect();
        for (name, span) in undeclared {
            self.error(
                Diagnostic::error(
                    Code::DocumentNotIncluded,
                    Msg::new(
                        format!("文件「{name}」不在政策的「包括」之列"),
                        format!("document `{name}` is not among the policy's `包括`"),
                    ),
                    Label::primary(span, Msg::new("这个文件", "this document")),
                )
                .with_label(Label::secondary(
                    head,
                    Msg::new("政策在这里列出它包括的文件", "the policy lists its documents here"),
                ))
                .with_help(Msg::new(
                    format!("在「政策 … 包括」中加上「{name}」，或删去这个文件"),
                    format!("add `{name}` to the policy's `包括`, or remove the document"),
                )),
            );
        }
    }
}

/// `第十三条` → 13; `第一百零五条` → 105. Nothing for anything else.
pub(super) fn article_number(text: &str) -> Option<u32> {
    let numeral = text.strip_prefix('第')?.strip_suffix('条')?;
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in numeral.chars() {
        let d = "零一二三四五六七八九".chars().position(|x| x == c);
        // 十 and 百 without a digit before them are one ten and one hundred (十二 is 12); a number
        // too large for a u32 is no article number.
        let (digit_before, scale) = match (d, c) {
            (Some(d), _) => {
                digit = Some(u32::try_from(d).ok()?);
                continue;
            }
            (None, '十') => (digit.unwrap_or(1), 10),
            (None, '百') => (digit.unwrap_or(1), 100),
            _ => return None,
        };
        total = total.checked_add(digit_before.checked_mul(scale)?)?;
        digit = None;
    }
    // No digit after the last 十 or 百: it ends in a round number.
    let n = total.checked_add(digit.unwrap_or(0))?;
    (n > 0).then_some(n)
}

/// The article in Chinese numerals when it was written with Arabic ones (`第1条` → `第一条`).
fn article_help(text: &str) -> Msg {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<u32>().ok().filter(|n| (1..100).contains(n)) {
        Some(n) => {
            let fixed = format!("第{}条", chinese_numeral(n));
            Msg::new(format!("写成「{fixed}」"), format!("write `{fixed}`"))
        }
        None => Msg::new(
            "写成「第十条」这样的条号，或用方括号引用分项标识 [分项标识]",
            "write 第十条, or cite an item id in brackets",
        ),
    }
}

fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    // n is below 100 (article_help keeps to 1..100), so each digit is 0..=9 and in the table; the
    // u32 → usize cast widens losslessly.
    let digit = |d: u32| DIGITS.get(d as usize).copied().unwrap_or("");
    match (n / 10, n % 10) {
        (0, u) => digit(u).to_string(),
        (1, 0) => "十".to_string(),
        (1, u) => format!("十{}", digit(u)),
        (t, 0) => format!("{}十", digit(t)),
        (t, u) => format!("{}十{}", digit(t), digit(u)),
    }
}

/// `第十条`, `第十二条`, or a section number `三`.
fn is_article(s: &str) -> bool {
    const NUMERALS: &str = "零一二三四五六七八九十百千";
    let numerals = |t: &str| !t.is_empty() && t.chars().all(|c| NUMERALS.contains(c));
    match s.strip_prefix('第').and_then(|t| t.strip_suffix('条')) {
        Some(n) => numerals(n),
        None => numerals(s),
    }
}

#[cfg(test)]
mod tests {
    use super::article_number;

    #[test]
    fn article_numbers_in_chinese_numerals() {
        assert_eq!(article_number("第一条"), Some(1));
        assert_eq!(article_number("第十条"), Some(10));
        assert_eq!(article_number("第十三条"), Some(13));
        assert_eq!(article_number("第二十一条"), Some(21));
        assert_eq!(article_number("第九十九条"), Some(99));
        assert_eq!(article_number("第一百零五条"), Some(105));
        assert_eq!(article_number("第1条"), None);
        assert_eq!(article_number("十条"), None);
    }
}
