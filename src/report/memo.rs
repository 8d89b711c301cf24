//! The diff (and its impact, when a population was given) as a Markdown memo to a department
//! head: what changed, grouped by document and article; whom it affects, with numbers; the largest
//! movements; and example applicants under both versions.

use super::diff::{change_impact_line, citation_line, groups, heading, signed, status_zh, summary, transition_zh};
use crate::diff::impact::Impact;
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
pub fn changes_section(diff: &Diff, impact: Option<&Impact>, out: &mut String) {
    let _ = writeln!(out, "{}。\n", summary(diff));
    for (doc, articles) in groups(diff) {
        let _ = writeln!(out, "### 《{doc}》\n");
        for (article, changes) in articles {
            let _ = writeln!(out, "#### {article}\n");
            for (index, c) in changes {
                // A change that cites nothing has no citation after it.
                let cite = citation_line(c).map(|l| format!("（{l}）")).unwrap_or_default();
                let _ = writeln!(out, "- **{}**{cite}", heading(c));
                for d in &c.details {
                    for line in detail_md(d) {
                        let _ =
                            writeln!(out, "  {}", if line.starts_with("  - ") { line } else { format!("- {line}") });
                    }
                }
                if let Some(i) = impact.and_then(|imp| imp.changes.get(index)) {
                    if let Some(line) = change_impact_line(c, i) {
                        let _ = writeln!(out, "  - *{line}*");
                    }
                }
            }
            let _ = writeln!(out);
        }
    }
}

pub fn memo(diff: &Diff) -> String {
    memo_with(diff, None)
}

/// An applicant's explanations under both versions, for the memo's examples.
pub struct ExplainedExample {
    pub applicant: String,
    pub why: String,
    pub old: String,
    pub new: String,
}

/// The population the impact was measured on, as the memo names it.
pub struct MemoImpact<'a> {
    pub impact: &'a Impact,
    pub input: String,
    pub as_of: Option<chrono::NaiveDate>,
    pub examples: Vec<ExplainedExample>,
    /// The modelled-values note of the new version.
    pub modelled: Option<String>,
}

pub fn memo_with(diff: &Diff, impact: Option<&MemoImpact>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# 政策版本比对：{}\n", super::diff::versions(diff));
    let _ = writeln!(s, "{}\n", super::diff::hashes(diff));
    if diff.is_empty() {
        let _ = writeln!(s, "两个版本没有语义变化（格式、注释、声明顺序、绑定名的差别不算变化）。");
        return s;
    }
    if let Some(m) = impact {
        summary_section(diff, m, &mut s);
    }
    let _ = writeln!(s, "## 一、变化一览（按文件与条文）\n");
    changes_section(diff, impact.map(|m| m.impact), &mut s);
    if let Some(m) = impact {
        population_section(m, &mut s);
        attribution_section(diff, m.impact, &mut s);
        movers_section(m.impact, &mut s);
        examples_section(m, diff, &mut s);
        if let Some(note) = &m.modelled {
            let _ = writeln!(s, "---\n\n注：{note}");
        }
    }
    s
}

fn eligible(transitions: &std::collections::BTreeMap<String, usize>, side: usize) -> usize {
    transitions.iter().filter(|(k, _)| k.split("->").nth(side) == Some("eligible")).map(|(_, n)| n).sum()
}

fn status_changed(transitions: &std::collections::BTreeMap<String, usize>) -> usize {
    transitions.iter().filter(|(k, _)| k.split("->").next() != k.split("->").nth(1)).map(|(_, n)| n).sum()
}

fn summary_section(diff: &Diff, m: &MemoImpact, s: &mut String) {
    let imp = m.impact;
    let _ = writeln!(s, "## 摘要\n");
    if let Some(note) = &m.modelled {
        let _ = writeln!(s, "> {note}\n");
    }
    let articles: Vec<String> = groups(diff)
        .iter()
        .flat_map(|(doc, arts)| {
            arts.iter().filter(|(a, _)| !a.starts_with('（')).map(move |(a, _)| format!("{doc} {a}"))
        })
        .collect();
    let _ = writeln!(s, "- 两个版本之间{}，涉及 {} 条条文：{}。", summary(diff), articles.len(), articles.join("；"));
    let day = match m.as_of {
        Some(d) => format!("统一以 {} 为评估日", d.format("%Y-%m-%d")),
        None => "各按记录自身的评估日评估".into(),
    };
    let _ = writeln!(
        s,
        "- 以 `{}` 中的 {} 条记录测算（{day}）：两个版本下均完成评估的 {} 人，{} 条记录无法读取或评估。",
        m.input,
        imp.records,
        imp.evaluated,
        imp.invalid.len()
    );
    if imp.outside_old > 0 || imp.outside_new > 0 {
        let _ = writeln!(
            s,
            "- 两个版本按同一评估日比较，属于假设测算：其中 {} 人的评估日不在原版本施行期内，{} 人的不在新版本施行期内。",
            imp.outside_old, imp.outside_new
        );
    }
    let _ =
        writeln!(s, "\n| 用途或途径 | 原版本符合条件 | 新版本符合条件 | 判定结果改变的人数 |\n|---|---:|---:|---:|");
    for p in &imp.purposes {
        let t = &p.transitions;
        let _ = writeln!(s, "| 用途 {} | {} | {} | {} |", p.name, eligible(t, 0), eligible(t, 1), status_changed(t));
    }
    for r in &imp.routes {
        let t = &r.transitions;
        let _ = writeln!(s, "| 途径 {} | {} | {} | {} |", r.id, eligible(t, 0), eligible(t, 1), status_changed(t));
    }
    let _ = writeln!(s);
    for p in &imp.purposes {
        let _ = writeln!(
            s,
            "- {}：{} 人总分变化，全部 {} 人平均 {} 分。",
            p.name,
            p.total_changed,
            imp.evaluated,
            signed(p.total_delta.mean)
        );
    }
    let mut ranked: Vec<(usize, &crate::diff::Change, &crate::diff::impact::ChangeImpact)> = diff
        .changes
        .iter()
        .zip(&imp.changes)
        .enumerate()
        .filter(|(_, (_, i))| i.applicants > 0)
        .map(|(k, (c, i))| (k, c, i))
        .collect();
    // What matters first is whose status a change moved, then whose points.
    ranked.sort_by_key(|(k, _, i)| (std::cmp::Reverse(i.statuses), std::cmp::Reverse(i.applicants), *k));
    let top: Vec<String> =
        ranked.iter().take(3).map(|(_, c, i)| format!("{}（改变 {} 人的判定结果）", heading(c), i.statuses)).collect();
    if !top.is_empty() {
        let _ = writeln!(s, "- 改变判定结果最多的变化：{}。", top.join("；"));
    }
    let mut by_points: Vec<(&crate::diff::Change, &crate::diff::impact::ChangeImpact)> =
        diff.changes.iter().zip(&imp.changes).filter(|(_, i)| !i.points_moved.is_zero()).collect();
    by_points.sort_by_key(|(_, i)| std::cmp::Reverse(i.points_moved.abs()));
    let top: Vec<String> = by_points
        .iter()
        .take(3)
        .map(|(c, i)| format!("{}（{} 人，合计 {} 分）", heading(c), i.applicants, signed(i.points_moved)))
        .collect();
    if !top.is_empty() {
        let _ = writeln!(s, "- 分值变动最大的变化：{}。", top.join("；"));
    }
    let _ = writeln!(s);
}

fn population_section(m: &MemoImpact, s: &mut String) {
    let imp = m.impact;
    let _ = writeln!(s, "## 二、对申请人的影响\n");
    let _ = writeln!(s, "### 用途的判定\n");
    let _ = writeln!(s, "| 用途 | 原版本 → 新版本 | 人数 |\n|---|---|---:|");
    for p in &imp.purposes {
        for (k, n) in &p.transitions {
            let _ = writeln!(s, "| {} | {} | {n} |", p.name, transition_zh(k));
        }
    }
    let _ = writeln!(s, "\n### 总分的变化\n");
    let _ = writeln!(
        s,
        "| 用途 | 总分变化人数 | 最小 | 最大 | 平均（全部 {} 人） | 分布 |\n|---|---:|---:|---:|---:|---|",
        imp.evaluated
    );
    for p in &imp.purposes {
        let d = &p.total_delta;
        let bins: Vec<String> = d
            .histogram
            .iter()
            .filter(|b| b.count > 0)
            .map(|b| {
                if b.from.is_zero() && b.to.is_zero() {
                    format!("0：{}", b.count)
                } else if b.to <= rust_decimal::Decimal::ZERO {
                    format!("[{}, {})：{}", signed(b.from), signed(b.to), b.count)
                } else {
                    format!("({}, {}]：{}", signed(b.from), signed(b.to), b.count)
                }
            })
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            p.name,
            p.total_changed,
            signed(d.min),
            signed(d.max),
            signed(d.mean),
            bins.join("；")
        );
    }
    let _ = writeln!(s, "\n### 途径的判定\n");
    let _ = writeln!(s, "| 途径 | 原版本 → 新版本 | 人数 |\n|---|---|---:|");
    for r in &imp.routes {
        for (k, n) in &r.transitions {
            let _ = writeln!(s, "| {} | {} | {n} |", r.id, transition_zh(k));
        }
    }
    let _ = writeln!(s);
}

fn attribution_section(diff: &Diff, imp: &Impact, s: &mut String) {
    let _ = writeln!(s, "## 三、各项变化的影响\n");
    let _ = writeln!(
        s,
        "说明：「影响人数」是该变化使其分项分值或某条款判定改变的申请人数；「条款判定改变」是其中某条款的判定\
         （符合、不符合、无法判定）改变的人数；「其中判定结果改变」是其中用途或途径的最终判定也随之改变的人数。\
         每人每个分项的分值变化只记在一处变化上（该分项自身的修改，或其所引用的常量、表的修改）；条款判定的变化记在\
         该条款及其引用的常量、表上。一人可能同时受几处变化影响，各行人数可重叠，不可相加。条文文字、文件标题等\
         不参与判定的变化不列入。\n"
    );
    let _ = writeln!(
        s,
        "| 变化 | 依据 | 影响人数 | 条款判定改变 | 其中判定结果改变 | 分项分值 | 总分 | 例 |\n|---|---|---:|---:|---:|---:|---|---|"
    );
    let mut idle: Vec<String> = Vec::new();
    for (c, i) in diff.changes.iter().zip(&imp.changes).filter(|(_, i)| i.evaluated) {
        if i.applicants == 0 {
            idle.push(heading(c));
            continue;
        }
        let totals: Vec<String> =
            i.totals_moved.iter().filter(|(_, v)| !v.is_zero()).map(|(p, v)| format!("{p} {}", signed(*v))).collect();
        let example = i
            .example
            .as_ref()
            .map(|e| format!("{} {}：{} → {}", e.applicant, e.unit, e.old.value, e.new.value))
            // No one to show, no example; no citation, an empty cell.
            .unwrap_or_default();
        let cite = citation_line(c).map(|l| l.trim_start_matches("依据 ").to_string()).unwrap_or_default();
        let _ = writeln!(
            s,
            "| {} | {cite} | {} | {} | {} | {} | {} | {example} |",
            heading(c),
            i.applicants,
            i.decisions,
            i.statuses,
            if i.points_moved.is_zero() { String::new() } else { signed(i.points_moved) },
            totals.join("、")
        );
    }
    if imp.unattributed.applicants > 0 {
        let u = &imp.unattributed;
        let _ = writeln!(
            s,
            "| （未能归因） | | {} | {} | {} | {} | | |",
            u.applicants,
            u.decisions,
            u.statuses,
            signed(u.points_moved)
        );
    }
    if !idle.is_empty() {
        let _ = writeln!(s, "\n另有 {} 处参与判定的变化，本批申请人中无人因此变化：{}。", idle.len(), idle.join("；"));
    }
    let _ =
        writeln!(s, "\n**核对**：各变化所记总分之和，加上「兜底」（总分低于 0 的按 0 计），等于各用途总分变化之和。\n");
    let _ = writeln!(
        s,
        "| 用途 | 总分变化之和 | 各变化所记 | 兜底 | 兜底涉及人数 | 未能归因 |\n|---|---:|---:|---:|---:|---:|"
    );
    for r in &imp.reconciliation {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            r.purpose,
            signed(r.total_delta),
            signed(r.from_changes),
            signed(r.from_floor),
            r.floor_applicants,
            signed(r.unattributed)
        );
    }
    let _ = writeln!(s);
}

/// The applicants whose totals moved most (in any purpose), then those whose statuses changed.
pub fn largest_movements(moved: &[crate::diff::impact::Moved], n: usize) -> Vec<&crate::diff::impact::Moved> {
    let mut list: Vec<&crate::diff::impact::Moved> = moved.iter().collect();
    list.sort_by(|a, b| b.largest_delta().cmp(&a.largest_delta()).then(a.line.cmp(&b.line)));
    list.truncate(n);
    list
}

fn movers_section(imp: &Impact, s: &mut String) {
    let _ = writeln!(s, "## 四、变动最大的申请人\n");
    if imp.moved == 0 {
        let _ = writeln!(s, "没有申请人的判定或总分发生变化。\n");
        return;
    }
    let _ = writeln!(s, "共 {} 人的判定或总分有变化，按总分变动幅度列出前 10 人：\n", imp.moved);
    // A memo's impact keeps its few movers in memory (`Keep::Largest`). Were they elsewhere, an
    // empty table would read as if no one moved: the memo says so instead.
    let Some(movers) = imp.applicants.all_in_memory() else {
        let _ = writeln!(s, "（变动者名单未保存在内存中，无法列出。）\n");
        return;
    };
    let _ = writeln!(s, "| 编号 | 用途或途径 | 原版本 | 新版本 | 新版本的判定依据 |\n|---|---|---|---|---|");
    for m in largest_movements(movers, 10) {
        // A route that repeats a purpose's decision (同 用途) is not listed twice.
        let repeats = |o: &&crate::diff::impact::MovedOutcome| {
            m.purposes.iter().any(|p| p.name == o.name && p.old.status == o.old.status && p.new.status == o.new.status)
        };
        for o in m.purposes.iter().chain(m.routes.iter().filter(|o| !repeats(o))) {
            let side = |x: &crate::diff::impact::Side| match x.total {
                Some(t) => format!("{} · {}分", status_zh(x.status), crate::ir::words::decimal(t)),
                None => status_zh(x.status).to_string(),
            };
            let why: Vec<String> = o.new.decided.iter().map(|d| format!("{}（{}）", d.message, d.cite)).collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} |",
                m.applicant,
                o.name,
                side(&o.old),
                side(&o.new),
                why.join("；")
            );
        }
    }
    let _ = writeln!(s);
}

fn examples_section(m: &MemoImpact, diff: &Diff, s: &mut String) {
    if m.examples.is_empty() {
        return;
    }
    let _ = writeln!(s, "## 五、申请人示例\n");
    let _ = writeln!(
        s,
        "每例为同一申请人在两个版本下的解释：以 `-` 开头的行只见于原版本，以 `+` 开头的只见于新版本，其余两版相同。\n"
    );
    for e in &m.examples {
        let _ = writeln!(s, "### {}（{}）\n", e.applicant, e.why);
        let text = similar::TextDiff::from_lines(&e.old, &e.new)
            .unified_diff()
            .context_radius(2)
            .header(&format!("{} 版", diff.old.version), &format!("{} 版", diff.new.version))
            .to_string();
        let _ = writeln!(s, "```diff\n{}```\n", text);
    }
}
