//! The counter page as Markdown, for a memo or a case file: the verdict and the items as tables,
//! the conditions as lists, the articles cited as quotations (the cited paragraphs in bold), and
//! the provenance note.

use super::modelled::modelled_footnote;
use super::{articles_cited, marked, Page};
use crate::eval::value::canonical;
use crate::ir::{Category, Policy};
use std::fmt::Write as _;

/// A table cell: a `|` would end it and a line end would end the row.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// One applicant's page.
pub fn markdown(policy: &Policy, page: &Page) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", page.who, page.subtitle);
    for w in &page.warnings {
        let _ = writeln!(out, "> ⚠ {w}\n");
    }
    for (heading, of_route) in [("结论", false), ("途径", true)] {
        let rows: Vec<_> = page.verdicts.iter().filter(|v| v.route == of_route).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {heading}\n");
        let _ = writeln!(out, "| {} | 结论 | 理由 | 依据 |\n|---|---|---|---|", if of_route { "途径" } else { "用途" });
        for v in rows {
            let _ = writeln!(
                out,
                "| {} | **{}** | {} | {} |",
                cell(&v.name),
                v.status.zh(),
                cell(&marked(&v.summary, v.modelled)),
                cell(&v.cites)
            );
        }
        let _ = writeln!(out);
    }
    for (i, line) in page.composition.lines().enumerate() {
        let _ = writeln!(out, "{}", if i == 0 { format!("**{}**", line.trim()) } else { line.trim().to_string() });
        let _ = writeln!(out);
    }
    if !page.conditions.is_empty() {
        let _ = writeln!(out, "## 条件\n");
    }
    for section in &page.conditions {
        let _ = writeln!(out, "### {}\n", section.title);
        for line in &section.lines {
            let _ = writeln!(out, "- {} {} — {}", line.mark, marked(&line.text, line.modelled), line.cite);
        }
        let _ = writeln!(out);
    }
    if !page.items.is_empty() {
        let _ = writeln!(out, "## 计分\n");
    }
    for group in &page.items {
        let _ = writeln!(out, "### {} {}\n", group.category.zh(), canonical(group.total));
        if !group.scored.is_empty() {
            let _ = writeln!(out, "| 分项 | 分值 | 算式 | 依据 |\n|---|--:|---|---|");
            for line in &group.scored {
                let _ = writeln!(
                    out,
                    "| {} | {}分 | {} | {} |",
                    cell(&line.name),
                    canonical(line.points),
                    cell(&marked(&line.text, line.modelled)),
                    cell(&line.cite)
                );
            }
            let _ = writeln!(out);
        }
        if !group.nothing.is_empty() {
            let verb = if group.category == Category::Deduction { "未扣分" } else { "未计分" };
            let _ = writeln!(out, "{verb}：{}\n", group.nothing.join("；"));
        }
    }
    let articles = articles_cited(policy, &page.cited);
    if !articles.is_empty() {
        let _ = writeln!(out, "## 条文\n");
    }
    for (cited, paragraphs) in articles {
        match cited.article {
            Some(a) => {
                let title = a.title.as_ref().map(|t| format!("【{t}】")).unwrap_or_default();
                let _ = writeln!(out, "### {}{title}\n", cited.heading);
                for text in &a.paragraphs {
                    let hit = crate::ir::paragraph_number(text).is_some_and(|n| paragraphs.contains(&n));
                    let _ = writeln!(out, "> {}\n>", if hit { format!("**{text}**") } else { text.clone() });
                }
                out.truncate(out.trim_end_matches(['>', '\n']).len());
                let _ = writeln!(out, "\n");
            }
            None => {
                let _ = writeln!(out, "### {}\n\n（政策未载条文）\n", cited.heading);
            }
        }
    }
    let _ = writeln!(out, "---\n");
    if let Some(note) = modelled_footnote(policy, &page.modelled) {
        let _ = writeln!(out, "注：{note}\n");
    }
    let _ = writeln!(out, "政策：{}", page.origin);
    out
}
