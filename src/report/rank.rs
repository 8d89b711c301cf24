//! A ranking for programs (JSON Lines, CSV) and for a notice (a Markdown table per round), and its
//! summary line.

use crate::batch::rank::Ranking;
use crate::ir::words::decimal;
use std::fmt::Write;

/// `{"policy", "applicant", "<group>", "rank", "total", "admitted"}` per ranked applicant, one per
/// line; `policy` is the contract's (name, version, hash, jifen), as in `eval`.
pub fn jsonl(r: &Ranking) -> String {
    let mut out = String::new();
    let policy = crate::report::json::provenance(&r.policy);
    for row in &r.rows {
        let mut obj = serde_json::Map::new();
        obj.insert("policy".into(), policy.clone());
        obj.insert("applicant".into(), row.applicant.clone().into());
        // Ranker::consider keeps only rows whose group is among the values; "?" would mark one that
        // is not, never a blank group.
        obj.insert(r.group_name.clone(), r.group_values.get(row.group).map_or("?", String::as_str).into());
        obj.insert("rank".into(), row.rank.into());
        obj.insert("total".into(), decimal(row.total).into());
        obj.insert("admitted".into(), row.admitted.into());
        let _ = writeln!(out, "{}", serde_json::Value::Object(obj));
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(r: &Ranking) -> String {
    // The policy's hash is a column of every row, so a row copied out of the sheet still says
    // which policy ranked it.
    let mut out = format!("applicant,{},rank,total,admitted,policy_hash,jifen\n", csv_field(&r.group_name));
    let hash = r.policy.digest.to_string();
    for row in &r.rows {
        // As in the JSON: the group is always there, and "?" would mark one that is not.
        let group = r.group_values.get(row.group).map_or("?", String::as_str);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{hash},{}",
            csv_field(&row.applicant),
            csv_field(group),
            row.rank,
            decimal(row.total),
            row.admitted,
            crate::VERSION
        );
    }
    out
}

/// A table per round, as an official pastes it into a notice.
pub fn markdown(r: &Ranking) -> String {
    let mut out = format!("# {} 排序结果\n\n{}\n\n政策：{}\n", r.purpose, summary(r), r.policy);
    for (i, g) in r.groups.iter().enumerate() {
        if g.eligible == 0 {
            continue;
        }
        // Every key the ranking compares is a column, so a tie-break can be read off the notice.
        let _ = writeln!(
            out,
            "\n## {}（指标 {} 名，符合条件 {} 人，准入 {} 人）\n\n| 名次 | 编号 | {} | 准入 |\n|---:|---|{}---|",
            g.value,
            g.quota,
            g.eligible,
            g.admitted,
            r.key_names.join(" | "),
            "---:|".repeat(r.key_names.len())
        );
        for row in r.rows.iter().filter(|x| x.group == i) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                row.rank,
                row.applicant,
                row.keys.join(" | "),
                if row.admitted { "准入" } else { "" }
            );
        }
    }
    let empty: Vec<&str> = r.groups.iter().filter(|g| g.eligible == 0).map(|g| g.value.as_str()).collect();
    if !empty.is_empty() {
        let _ = writeln!(out, "\n无符合条件的申请人：{}。", empty.join("、"));
    }
    out
}

/// One line: records, ranked, not eligible, faults, admitted.
pub fn summary(r: &Ranking) -> String {
    let admitted: usize = r.groups.iter().map(|g| g.admitted).sum();
    format!(
        "{}：{} 条记录，符合条件参加排序 {} 人，准入 {} 人；不符合条件 {} 人，无法读取或评估 {} 条。",
        r.purpose,
        r.records,
        r.rows.len(),
        admitted,
        r.not_eligible,
        r.faults.len()
    )
}
