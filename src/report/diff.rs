//! The diff for people: grouped by document and article, each change with the leaves that moved
//! in the policy's words and the citations of both sides. Text for a terminal; the Markdown memo
//! is in `report::memo`.

use crate::diff::impact::{ChangeImpact, Impact};
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
    // A change without a title (or titled by its own id) is headed by its id alone.
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

/// The changes of one article (`第二条【适用范围】`), each with its index in the diff (the impact's
/// per-change results share it).
pub type ArticleGroup<'d> = (String, Vec<(usize, &'d Change)>);

/// The changes grouped by document, then by article, in the law's order.
pub fn groups(diff: &Diff) -> Vec<(String, Vec<ArticleGroup<'_>>)> {
    let mut out: Vec<(String, Vec<ArticleGroup<'_>>)> = Vec::new();
    for (index, c) in diff.changes.iter().enumerate() {
        // A change that cites nothing is filed under a heading that says so.
        let doc = c.document.clone().unwrap_or_else(|| "（未引用条文）".into());
        let article = match (&c.article, &c.article_title) {
            (Some(a), Some(t)) => format!("{a}【{t}】"),
            (Some(a), None) => a.clone(),
            (None, _) => "（全文）".into(),
        };
        // The first change opens the first group.
        if out.last().map(|(d, _)| d != &doc).unwrap_or(true) {
            out.push((doc.clone(), Vec::new()));
        }
        if let Some((_, articles)) = out.last_mut() {
            match articles.last_mut() {
                Some((a, list)) if *a == article => list.push((index, c)),
                _ => articles.push((article, vec![(index, c)])),
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

/// The two versions' audit hashes: what exactly was compared.
pub fn hashes(diff: &Diff) -> String {
    format!("政策哈希：{} → {}（jifen {}）", diff.old.digest, diff.new.digest, diff.jifen)
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
    text_with(diff, None)
}

/// A transition key's statuses in Chinese: `eligible->ineligible` → `符合条件 → 不符合`.
pub fn transition_zh(key: &str) -> String {
    key.split("->").map(status_zh).collect::<Vec<_>>().join(" → ")
}

pub fn status_zh(key: &str) -> &'static str {
    match key {
        "eligible" => "符合条件",
        "ineligible" => "不符合",
        "error" => "无法判定",
        "not_applicable" => "不适用",
        "closed" => "不受理",
        _ => "（无此项）",
    }
}

/// A signed amount of points: `+12.5`, `−3`, `0`.
pub fn signed(d: rust_decimal::Decimal) -> String {
    let text = crate::ir::words::decimal(d.abs());
    if d.is_sign_negative() && !d.is_zero() {
        format!("−{text}")
    } else if d.is_zero() {
        text
    } else {
        format!("+{text}")
    }
}

/// What one change did to the population, in one line.
pub fn change_impact_line(c: &Change, i: &ChangeImpact) -> Option<String> {
    if !i.evaluated {
        return None;
    }
    if i.applicants == 0 {
        return Some("影响：本批申请人中无人因此变化".into());
    }
    let mut parts = vec![format!("影响 {} 人", i.applicants)];
    if i.decisions > 0 {
        parts.push(format!("改变其中 {} 人的条款判定（{} 人的判定结果因此改变）", i.decisions, i.statuses));
    }
    if !i.points_moved.is_zero() {
        parts.push(format!("分项分值合计 {}", signed(i.points_moved)));
    }
    let totals: Vec<String> =
        i.totals_moved.iter().filter(|(_, v)| !v.is_zero()).map(|(p, v)| format!("{p} {}", signed(*v))).collect();
    if !totals.is_empty() {
        parts.push(format!("总分 {}", totals.join("、")));
    }
    if !i.via.is_empty() && c.subject != crate::diff::Subject::Clause {
        parts.push(format!("经由 {}", i.via.join("、")));
    }
    let example = i
        .example
        .as_ref()
        .map(|e| format!("；例：{} {} {} → {}", e.applicant, e.unit, e.old.value, e.new.value))
        // No one to show: the line ends with the counts.
        .unwrap_or_default();
    Some(format!("影响：{}{example}", parts.join("，")))
}

/// The population part: records, then each purpose's and route's transitions.
pub fn impact_summary(impact: &Impact, as_of: Option<chrono::NaiveDate>) -> Vec<String> {
    let mut out = Vec::new();
    let day = match as_of {
        Some(d) => format!("评估日 {}", d.format("%Y-%m-%d")),
        None => "各记录的评估日".into(),
    };
    out.push(format!(
        "{} 条记录，两个版本下评估 {} 人（{day}），{} 条无法读取或评估",
        impact.records,
        impact.evaluated,
        impact.invalid.len()
    ));
    for p in &impact.purposes {
        let d = &p.total_delta;
        out.push(format!(
            "用途 {}：总分变化 {} 人（{} 至 {}，全部 {} 人平均 {}）",
            p.name,
            p.total_changed,
            signed(d.min),
            signed(d.max),
            impact.evaluated,
            signed(d.mean)
        ));
        for (k, n) in &p.transitions {
            out.push(format!("  {}  {n}", transition_zh(k)));
        }
    }
    for r in &impact.routes {
        let moved: Vec<String> = r
            .transitions
            .iter()
            .filter(|(k, _)| k.split("->").next() != k.split("->").nth(1))
            .map(|(k, n)| format!("{} {n}", transition_zh(k)))
            .collect();
        let same: usize =
            r.transitions.iter().filter(|(k, _)| k.split("->").next() == k.split("->").nth(1)).map(|(_, n)| n).sum();
        out.push(format!(
            "途径 {}：不变 {same} 人{}",
            r.id,
            if moved.is_empty() { String::new() } else { format!("；{}", moved.join("，")) }
        ));
    }
    out
}

pub fn text_with(diff: &Diff, impact: Option<(&Impact, Option<chrono::NaiveDate>)>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", versions(diff));
    let _ = writeln!(s, "{}", hashes(diff));
    if diff.is_empty() {
        let _ = writeln!(s, "没有语义变化（格式、注释、声明顺序、绑定名的差别不算变化）");
        return s;
    }
    let _ = writeln!(s, "{}", summary(diff));
    for (doc, articles) in groups(diff) {
        let _ = writeln!(s, "\n{doc}");
        for (article, changes) in articles {
            let _ = writeln!(s, "  {article}");
            for (index, c) in changes {
                // A change that cites nothing has no citation line.
                let cite = citation_line(c).map(|l| format!("    {l}")).unwrap_or_default();
                let _ = writeln!(s, "    {}{cite}", heading(c));
                for d in &c.details {
                    for line in detail_lines(d) {
                        let _ = writeln!(s, "      {line}");
                    }
                }
                if let Some(i) = impact.and_then(|(imp, _)| imp.changes.get(index)) {
                    if let Some(line) = change_impact_line(c, i) {
                        let _ = writeln!(s, "      ⇒ {line}");
                    }
                }
            }
        }
    }
    if let Some((imp, as_of)) = impact {
        let _ = writeln!(s, "\n影响");
        for line in impact_summary(imp, as_of) {
            let _ = writeln!(s, "  {line}");
        }
    }
    s
}

/// The diff as JSON. It is plain data and always serialises; if it did not, the caller fails
/// rather than print an object that reads as a diff.
pub fn json(diff: &Diff) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(diff)
}

/// The diff with its impact: each change carries what it did to the population (`impact`), and
/// `impact` at the top holds the transitions, the movements, the applicants who moved and the
/// reconciliation of the changes' shares with the totals.
pub fn write_json_with_impact(
    diff: &Diff,
    impact: &crate::diff::impact::Impact,
    out: &mut dyn std::io::Write,
) -> Result<(), WriteFailure> {
    use serde_json::{json, Map, Value};
    // Serialising plain data does not fail; if it did, the document would be a bare null (or a
    // change without its impact), so it is the write's failure instead.
    let mut doc = serde_json::to_value(diff).map_err(|e| WriteFailure::Output(e.into()))?;
    if let Some(changes) = doc.get_mut("changes").and_then(Value::as_array_mut) {
        for (c, i) in changes.iter_mut().zip(&impact.changes) {
            if let Some(obj) = c.as_object_mut() {
                obj.insert("impact".into(), serde_json::to_value(i).map_err(|e| WriteFailure::Output(e.into()))?);
            }
        }
    }
    let purposes: Map<String, Value> = impact
        .purposes
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                json!({"transitions": p.transitions, "total_changed": p.total_changed, "total_delta": p.total_delta}),
            )
        })
        .collect();
    let routes: Map<String, Value> =
        impact.routes.iter().map(|r| (r.id.clone(), json!({"transitions": r.transitions}))).collect();
    let reconciliation: Map<String, Value> = impact
        .reconciliation
        .iter()
        .map(|r| {
            (
                r.purpose.clone(),
                json!({"total_delta": r.total_delta, "from_changes": r.from_changes, "from_floor": r.from_floor,
                       "unattributed": r.unattributed}),
            )
        })
        .collect();
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "impact".into(),
            json!({
                "records": impact.records,
                "moved": impact.moved,
                "evaluated": impact.evaluated,
                "invalid": impact.invalid.len(),
                "invalid_records": INVALID_RECORDS,
                "purposes": purposes,
                "routes": routes,
                "applicants": APPLICANTS,
                "unattributed": impact.unattributed,
                "reconciliation": reconciliation,
            }),
        );
    }
    let text = serde_json::to_string_pretty(&doc).map_err(|e| WriteFailure::Output(e.into()))?;
    // The two lists that grow with the population are written item by item where their
    // placeholders stand, in serde_json's pretty layout.
    let mut rest = text.as_str();
    let write = |out: &mut dyn std::io::Write, s: &str| out.write_all(s.as_bytes()).map_err(WriteFailure::Output);
    for placeholder in [INVALID_RECORDS, APPLICANTS] {
        let quoted = serde_json::to_string(placeholder).map_err(|e| WriteFailure::Output(e.into()))?;
        let Some(at) = rest.find(&quoted) else { continue };
        let (before, after) = rest.split_at(at);
        write(out, before)?;
        // The indentation of the line the list stands on, and one step more for its items.
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let indent = before.get(line_start..).map_or(0, |l| l.len() - l.trim_start_matches(' ').len());
        let items: Box<dyn Iterator<Item = std::io::Result<Value>>> = if placeholder == APPLICANTS {
            Box::new(impact.applicants.read().map_err(WriteFailure::Spill)?.map(|m| m.map(|m| moved_json(&m))))
        } else {
            Box::new(
                impact
                    .invalid
                    .read()
                    .map_err(WriteFailure::Spill)?
                    .map(|i| i.and_then(|i| serde_json::to_value(i).map_err(std::io::Error::other))),
            )
        };
        write_pretty_array(out, items, indent)?;
        // `after` begins with the placeholder just found: the text past it is always there.
        rest = after.get(quoted.len()..).unwrap_or("");
    }
    write(out, rest)?;
    write(out, "\n")
}

/// Stand-ins for the lists written item by item (characters no policy name or record holds).
const APPLICANTS: &str = "\u{0}jifen:applicants";
const INVALID_RECORDS: &str = "\u{0}jifen:invalid_records";

/// Why the JSON impact could not be written.
#[derive(Debug)]
pub enum WriteFailure {
    /// A list kept in a temporary file could not be read back.
    Spill(std::io::Error),
    Output(std::io::Error),
}

/// One moved applicant as the JSON report lists it.
fn moved_json(m: &crate::diff::impact::Moved) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let outcomes = |list: &[crate::diff::impact::MovedOutcome]| -> Map<String, Value> {
        list.iter().map(|o| (o.name.clone(), json!({"old": o.old, "new": o.new}))).collect()
    };
    json!({"applicant": m.applicant, "line": m.line, "purposes": outcomes(&m.purposes), "routes": outcomes(&m.routes)})
}

/// An array as `serde_json::to_string_pretty` lays it out when it stands on a line indented by
/// `indent` spaces: `[]` when empty, else one item a line, indented two more.
fn write_pretty_array(
    out: &mut dyn std::io::Write,
    items: impl Iterator<Item = std::io::Result<serde_json::Value>>,
    indent: usize,
) -> Result<(), WriteFailure> {
    let inner = " ".repeat(indent + 2);
    let mut first = true;
    for item in items {
        let item = item.map_err(WriteFailure::Spill)?;
        let text = serde_json::to_string_pretty(&item).map_err(|e| WriteFailure::Output(e.into()))?;
        let lead = if first { "[\n" } else { ",\n" };
        first = false;
        let mut piece = String::with_capacity(text.len() + 64);
        piece.push_str(lead);
        piece.push_str(&inner);
        // JSON strings hold no raw newline: every newline is the layout's, and is indented.
        piece.push_str(&text.replace('\n', &format!("\n{inner}")));
        out.write_all(piece.as_bytes()).map_err(WriteFailure::Output)?;
    }
    let close = if first { "[]".to_string() } else { format!("\n{}]", " ".repeat(indent)) };
    out.write_all(close.as_bytes()).map_err(WriteFailure::Output)
}

/// The diff with its impact as one JSON document, in memory (tests, small populations).
pub fn json_with_impact(diff: &Diff, impact: &crate::diff::impact::Impact) -> String {
    let mut out = Vec::new();
    match write_json_with_impact(diff, impact, &mut out) {
        Ok(()) => String::from_utf8_lossy(out.trim_ascii_end()).into_owned(),
        Err(e) => format!("{{\"error\": \"{e:?}\"}}"),
    }
}
