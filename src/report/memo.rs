//! The diff (and its impact, when a population was given) as a Markdown memo to a department
//! head: what changed, grouped by document and article; whom it affects, with numbers; the largest
//! movements; and example applicants under both versions.

use super::diff::{citation_line, groups, heading, summary};
use crate::diff::{Detail, Diff};
use std::fmt::Write;

/// Inline code for a rule in the policy's words; long texts stay plain so they wrap.
fn words(text: &str) -> String {
    if text.chars().count() <= 80 && !text.contains('`') {
        format!("`{text}`")
    } else {
        text.to_string()
    }
}

/// A detail as list items: its own line, and the old and new lines under it when they are long.
fn detail_md(d: &Detail) -> Vec<String> {
    let head = match &d.at {
        Some(at) => format!("{}（{at}）", d.aspect),
        None => d.aspect.clone(),
    };
    // The law's own text is prose, not a rule: it is quoted plainly.
    let words = |t: &str| if d.aspect == "条文" { t.to_string() } else { words(t) };
    match (&d.old, &d.new) {
        (Some(o), Some(n)) if o.chars().count() + n.chars().count() <= 72 => {
            vec![format!("{head}：{} → {}", words(o), words(n))]
        }
        (Some(o), Some(n)) => {
            vec![format!("{head}："), format!("  - 原：{}", words(o)), format!("  - 新：{}", words(n))]
        }
        (None, Some(n)) => vec![format!("{head}：增加 {}", words(n))],
        (Some(o), None) => vec![format!("{head}：删去 {}", words(o))],
        (None, None) => vec![head],
    }
}

/// The “what changed” part of the memo, grouped by document and article.
pub fn changes_section(diff: &Diff, out: &mut String) {
    let _ = writeln!(out, "{}。\n", summary(diff));
    for (doc, articles) in groups(diff) {
        let _ = writeln!(out, "### 《{doc}》\n");
        for (article, changes) in articles {
            let _ = writeln!(out, "#### {article}\n");
            for c in changes {
                let cite = citation_line(c).map(|l| format!("（{l}）")).unwrap_or_default();
                let _ = writeln!(out, "- **{}**{cite}", heading(c));
                for d in &c.details {
                    for line in detail_md(d) {
                        let _ =
                            writeln!(out, "  {}", if line.starts_with("  - ") { line } else { format!("- {line}") });
                    }
                }
            }
            let _ = writeln!(out);
        }
    }
}

pub fn memo(diff: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# 政策版本比对：{}\n", super::diff::versions(diff));
    if diff.is_empty() {
        let _ = writeln!(s, "两个版本没有语义变化（格式、注释、声明顺序、绑定名的差别不算变化）。");
        return s;
    }
    let _ = writeln!(s, "## 一、变化一览（按文件与条文）\n");
    changes_section(diff, &mut s);
    s
}
