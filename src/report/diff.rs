//! The diff for people: grouped by document and article, each change with the leaves that moved
//! in the policy's words and the citations of both sides. Text for a terminal; the Markdown memo
//! is in `report::memo`.

use crate::diff::{Change, ChangeKind, Detail, Diff, Subject};
use std::fmt::Write;

/// A detail as one line (or, when it is long, an old and a new line), without indentation.
pub fn detail_lines(d: &Detail) -> Vec<String> {
    let head = match &d.at {
        Some(at) => format!("{}（{at}）", d.aspect),
        None => d.aspect.clone(),
    };
    match (&d.old, &d.new) {
        (Some(o), Some(n)) if o.chars().count() + n.chars().count() <= 72 => vec![format!("{head}：{o} → {n}")],
        (Some(o), Some(n)) => vec![format!("{head}："), format!("  − {o}"), format!("  + {n}")],
        (None, Some(n)) => vec![format!("{head}：增加 {n}")],
        (Some(o), None) => vec![format!("{head}：删去 {o}")],
        (None, None) => vec![head],
    }
}

/// `修改 分项 [社会保险] 参加城镇社会保险`
pub fn heading(c: &Change) -> String {
    let id = match c.subject {
        Subject::Item | Subject::Route => format!("[{}]", c.id),
        _ => c.id.clone(),
    };
    let title = c.title.as_ref().filter(|t| **t != c.id).map(|t| format!(" “{t}”")).unwrap_or_default();
    format!("{} {} {id}{title}", c.kind.zh(), c.subject.zh())
}

/// `依据 积分管理办法 第九条`, or both sides when the citation moved.
pub fn citation_line(c: &Change) -> Option<String> {
    let (o, n) = (c.cites.old.join("，"), c.cites.new.join("，"));
    match (o.is_empty(), n.is_empty()) {
        (true, true) => None,
        (false, true) => Some(format!("依据 {o}")),
        (true, false) => Some(format!("依据 {n}")),
        _ if o == n => Some(format!("依据 {n}")),
        _ => Some(format!("依据 {o} → {n}")),
    }
}

/// The changes of one article (`第二条【适用范围】`).
pub type ArticleGroup<'d> = (String, Vec<&'d Change>);

/// The changes grouped by document, then by article, in the law's order.
pub fn groups(diff: &Diff) -> Vec<(String, Vec<ArticleGroup<'_>>)> {
    let mut out: Vec<(String, Vec<ArticleGroup<'_>>)> = Vec::new();
    for c in &diff.changes {
        let doc = c.document.clone().unwrap_or_else(|| "（未引用条文）".into());
        let article = match (&c.article, &c.article_title) {
            (Some(a), Some(t)) => format!("{a}【{t}】"),
            (Some(a), None) => a.clone(),
            (None, _) => "（全文）".into(),
        };
        if out.last().map(|(d, _)| d != &doc).unwrap_or(true) {
            out.push((doc.clone(), Vec::new()));
        }
        if let Some((_, articles)) = out.last_mut() {
            match articles.last_mut() {
                Some((a, list)) if *a == article => list.push(c),
                _ => articles.push((article, vec![c])),
            }
        }
    }
    out
}

/// `苏州市… 2015 → 2020`, or both names when the policy itself was renamed.
pub fn versions(diff: &Diff) -> String {
    if diff.old.name == diff.new.name {
        format!("{} {} → {}", diff.new.name, diff.old.version, diff.new.version)
    } else {
        format!("{} {} → {} {}", diff.old.name, diff.old.version, diff.new.name, diff.new.version)
    }
}

pub fn summary(diff: &Diff) -> String {
    let count = |k: ChangeKind| diff.changes.iter().filter(|c| c.kind == k).count();
    format!(
        "共 {} 处变化：新增 {}，删去 {}，修改 {}",
        diff.changes.len(),
        count(ChangeKind::Added),
        count(ChangeKind::Removed),
        count(ChangeKind::Changed)
    )
}

pub fn text(diff: &Diff) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} {} → {} {}", diff.old.name, diff.old.version, diff.new.name, diff.new.version);
    if diff.is_empty() {
        let _ = writeln!(s, "没有语义变化（格式、注释、声明顺序、绑定名的差别不算变化）");
        return s;
    }
    let _ = writeln!(s, "{}", summary(diff));
    for (doc, articles) in groups(diff) {
        let _ = writeln!(s, "\n{doc}");
        for (article, changes) in articles {
            let _ = writeln!(s, "  {article}");
            for c in changes {
                let cite = citation_line(c).map(|l| format!("    {l}")).unwrap_or_default();
                let _ = writeln!(s, "    {}{cite}", heading(c));
                for d in &c.details {
                    for line in detail_lines(d) {
                        let _ = writeln!(s, "      {line}");
                    }
                }
            }
        }
    }
    s
}

pub fn json(diff: &Diff) -> String {
    serde_json::to_string_pretty(diff).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
