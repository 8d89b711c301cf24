//! The counter page as HTML to hand over: self-contained (styles inline, no scripts, no fonts or
//! images fetched), laid out for A4 with Chinese typography, one page per applicant, so a browser
//! prints it as it is shown.

use super::modelled::modelled_footnote;
use super::{articles_cited, Page};
use crate::eval::decide::Status;
use crate::eval::value::canonical;
use crate::ir::{Category, Policy};
use std::fmt::Write as _;

/// Text in HTML: the five characters that would be read as markup are escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
@page { size: A4; margin: 16mm 15mm; }
html { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "WenQuanYi Zen Hei",
  "Noto Sans CJK SC", serif; font-size: 10.5pt; line-height: 1.6; color: #111; }
body { margin: 0 auto; max-width: 180mm; }
article { break-after: page; page-break-after: always; }
article:last-of-type { break-after: auto; page-break-after: auto; }
h1 { font-size: 16pt; margin: 0 0 2pt; letter-spacing: 0.05em; }
h2 { font-size: 12pt; margin: 12pt 0 4pt; border-bottom: 1px solid #999; }
h3 { font-size: 10.5pt; margin: 8pt 0 2pt; }
p.subtitle { margin: 0 0 8pt; color: #444; }
p.warning { border-left: 3pt solid #b60; padding-left: 6pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #ccc; padding: 2pt 4pt; text-align: left; vertical-align: top; }
td.name, td.points { white-space: nowrap; } td.points { text-align: right; }
td.status { white-space: nowrap; font-weight: bold; }
td.cite, span.cite { color: #444; font-size: 9pt; white-space: nowrap; }
.eligible { color: #060; } .ineligible, .closed { color: #a00; } .error { color: #a60; } .not_applicable { color: #555; }
ul.conditions { list-style: none; padding-left: 0; margin: 0; }
ul.conditions li { display: flex; gap: 6pt; break-inside: avoid; }
ul.conditions li .text { flex: 1; }
.mark { width: 1.2em; font-weight: bold; } .met .mark { color: #060; } .failed .mark { color: #a00; }
p.total { font-weight: bold; margin: 8pt 0; }
blockquote { margin: 2pt 0 6pt 1.5em; color: #333; } blockquote p { margin: 0; }
blockquote p.cited { font-weight: bold; color: #111; }
footer { margin-top: 10pt; border-top: 1px solid #999; font-size: 9pt; color: #333; }
"#;

/// The document's opening, up to the first page: the title and the style.
pub fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(title)
    )
}

/// The document's close, after the last page.
pub const TAIL: &str = "</body>\n</html>\n";

/// The document around the pages: one `<article>` per applicant, each printed on pages of its own.
pub fn document(title: &str, articles: &[String]) -> String {
    let mut out = head(title);
    for a in articles {
        out.push_str(a);
    }
    out.push_str(TAIL);
    out
}

fn marked(text: &str, modelled: bool) -> String {
    super::marked(&escape(text), modelled)
}

/// One applicant's page, as an `<article>`.
pub fn article(policy: &Policy, page: &Page) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<article>");
    let _ = writeln!(
        out,
        "<header><h1>{}</h1><p class=\"subtitle\">{}</p></header>",
        escape(&page.who),
        escape(&page.subtitle)
    );
    for w in &page.warnings {
        let _ = writeln!(out, "<p class=\"warning\">⚠ {}</p>", escape(w));
    }
    for (heading, of_route) in [("结论", false), ("途径", true)] {
        let rows: Vec<_> = page.verdicts.iter().filter(|v| v.route == of_route).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "<section class=\"verdict\"><h2>{heading}</h2><table>");
        for v in rows {
            let _ = writeln!(
                out,
                "<tr><td class=\"name\">{}</td><td class=\"status {}\">{}</td><td>{}</td><td class=\"cite\">{}</td></tr>",
                escape(&v.name),
                status_class(v.status),
                v.status.zh(),
                marked(&v.summary, v.modelled),
                escape(&v.cites)
            );
        }
        let _ = writeln!(out, "</table></section>");
    }
    for (i, line) in page.composition.lines().enumerate() {
        let class = if i == 0 { "total" } else { "total-other" };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(line.trim()));
    }
    if !page.conditions.is_empty() {
        let _ = writeln!(out, "<section class=\"conditions\"><h2>条件</h2>");
        for section in &page.conditions {
            let _ = writeln!(out, "<h3>{}</h3><ul class=\"conditions\">", escape(&section.title));
            for line in &section.lines {
                let class = match line.mark {
                    "✓" => "met",
                    "✗" => "failed",
                    _ => "undecided",
                };
                let _ = writeln!(
                    out,
                    "<li class=\"{class}\"><span class=\"mark\">{}</span><span class=\"text\">{}</span><span class=\"cite\">{}</span></li>",
                    line.mark,
                    marked(&line.text, line.modelled),
                    escape(&line.cite)
                );
            }
            let _ = writeln!(out, "</ul>");
        }
        let _ = writeln!(out, "</section>");
    }
    if !page.items.is_empty() {
        let _ = writeln!(out, "<section class=\"items\"><h2>计分</h2>");
        for group in &page.items {
            let _ = writeln!(out, "<h3>{} {}</h3>", group.category.zh(), canonical(group.total));
            if !group.scored.is_empty() {
                let _ = writeln!(out, "<table>");
                for line in &group.scored {
                    let _ = writeln!(
                        out,
                        "<tr><td class=\"name\">{}</td><td class=\"points\">{}分</td><td>{}</td><td class=\"cite\">{}</td></tr>",
                        escape(&line.name),
                        canonical(line.points),
                        marked(&line.text, line.modelled),
                        escape(&line.cite)
                    );
                }
                let _ = writeln!(out, "</table>");
            }
            if !group.nothing.is_empty() {
                let verb = if group.category == Category::Deduction { "未扣分" } else { "未计分" };
                let _ = writeln!(out, "<p class=\"nothing\">{verb}：{}</p>", escape(&group.nothing.join("；")));
            }
        }
        let _ = writeln!(out, "</section>");
    }
    let articles = articles_cited(policy, &page.cited);
    if !articles.is_empty() {
        let _ = writeln!(out, "<section class=\"articles\"><h2>条文</h2>");
        for (cited, paragraphs) in articles {
            match cited.article {
                Some(a) => {
                    let title = a.title.as_ref().map(|t| format!("【{t}】")).unwrap_or_default();
                    let _ = writeln!(out, "<h3>{}{}</h3><blockquote>", escape(&cited.heading), escape(&title));
                    for text in &a.paragraphs {
                        let hit = crate::ir::paragraph_number(text).is_some_and(|n| paragraphs.contains(&n));
                        let class = if hit { " class=\"cited\"" } else { "" };
                        let _ = writeln!(out, "<p{class}>{}</p>", escape(text));
                    }
                    let _ = writeln!(out, "</blockquote>");
                }
                None => {
                    let _ = writeln!(out, "<h3>{}</h3><p>（政策未载条文）</p>", escape(&cited.heading));
                }
            }
        }
        let _ = writeln!(out, "</section>");
    }
    let _ = writeln!(out, "<footer>");
    if let Some(note) = modelled_footnote(policy, &page.modelled) {
        let _ = writeln!(out, "<p class=\"note\">注：{}</p>", escape(&note));
    }
    let _ = writeln!(out, "<p class=\"policy\">政策：{}</p>", escape(&page.origin));
    let _ = writeln!(out, "</footer>\n</article>");
    out
}

fn status_class(s: Status) -> &'static str {
    s.code()
}
