//! `eval --format text`: one row per input record, aligned for a terminal (CJK-aware widths).

use crate::data::{Applicant, RecordError};
use crate::eval::decide::Status;
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::{Category, Policy};
use unicode_width::UnicodeWidthStr;

pub enum Row<'a> {
    Scored { line: usize, applicant: &'a Applicant, eval: &'a Evaluation },
    Failed { line: usize, error: &'a RecordError },
}

fn cell(s: &str, width: usize, right: bool) -> String {
    let pad = " ".repeat(width.saturating_sub(UnicodeWidthStr::width(s)));
    if right {
        format!("{pad}{s}")
    } else {
        format!("{s}{pad}")
    }
}

/// The mark a purpose's status gets in the table (the legend is printed under it).
fn mark(s: Status) -> &'static str {
    match s {
        Status::Eligible => "✓",
        Status::Ineligible => "✗",
        Status::Error => "?",
        Status::NotApplicable => "-",
        Status::Closed => "⊘",
    }
}

/// The table for stdout (a failed record keeps its row, marked 错误), and what went wrong with each
/// failed record, a line each, for stderr: data and faults apart, so `> results.txt` keeps the
/// table and the terminal shows the faults.
pub fn render(rows: &[Row], policy: &Policy) -> (String, Vec<String>) {
    // The identity and name columns are headed by the schema's own field names, or by the words
    // 标识 and 称谓 when the schema marks no such field (the name column is then empty).
    let field = |i: Option<usize>, fallback: &str| {
        policy
            .applicant_def()
            .and_then(|d| i.and_then(|i| d.fields.get(i)))
            .map(|f| f.name.clone())
            .unwrap_or_else(|| fallback.to_string())
    };
    let schema = policy.applicant_def();
    let id_header = field(schema.and_then(|d| d.id_field), "标识");
    let label_header = field(schema.and_then(|d| d.label_field), "称谓");
    let purposes: Vec<String> = rows
        .iter()
        .find_map(|r| match r {
            Row::Scored { eval, .. } => Some(eval.purposes.iter().map(|p| p.name.clone()).collect()),
            Row::Failed { .. } => None,
        })
        // No record scored: no purpose columns, and the total is shown as 积分.
        .unwrap_or_default();
    let mut header: Vec<String> =
        vec!["行".into(), id_header, label_header, "评估日".into(), "基础分".into(), "附加分".into(), "扣减分".into()];
    if purposes.is_empty() {
        header.push("积分".into());
    }
    header.extend(purposes.iter().cloned());
    header.push("符合条件的途径".into());
    let columns = header.len();
    let mut table: Vec<Vec<String>> = vec![header];
    let mut errors = Vec::new();
    for row in rows {
        match row {
            Row::Scored { line, applicant: a, eval: e } => {
                let mut cells = vec![
                    line.to_string(),
                    a.id.clone(),
                    // The name (称谓) is optional: a record that leaves it out has none to show.
                    a.label.clone().unwrap_or_default(),
                    e.as_of.format("%Y-%m-%d").to_string(),
                    canonical(e.base),
                    canonical(e.bonus),
                    canonical(e.deduction),
                ];
                if e.purposes.is_empty() {
                    cells.push(canonical(e.total_of(&[Category::Base, Category::Bonus, Category::Deduction])));
                }
                cells.extend(e.purposes.iter().map(|p| format!("{} {}", mark(p.decision.status), canonical(p.total))));
                let routes: Vec<&str> =
                    e.routes.iter().filter(|r| r.decision.status == Status::Eligible).map(|r| r.id.as_str()).collect();
                cells.push(if routes.is_empty() { "—".into() } else { routes.join("、") });
                table.push(cells);
            }
            Row::Failed { line, error } => {
                // A record whose id could not be read is marked —, never shown with a blank id.
                let id = error.applicant.clone().unwrap_or_else(|| "—".into());
                table.push(vec![
                    line.to_string(),
                    id,
                    String::new(),
                    "错误".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                errors.push(error.in_batch(*line, crate::diag::Lang::Zh));
            }
        }
    }
    // A column no row reaches takes no width.
    let widths: Vec<usize> = (0..columns)
        .map(|c| table.iter().filter_map(|r| r.get(c)).map(|s| UnicodeWidthStr::width(s.as_str())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &table {
        let cells: Vec<String> =
            r.iter().zip(&widths).enumerate().map(|(c, (s, w))| cell(s, *w, c == 0 || (4..7).contains(&c))).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if !purposes.is_empty() {
        out.push_str("\n✓ 符合条件  ✗ 不符合  ? 无法判定  - 不适用  ⊘ 不受理（期间外）；数字为该用途的总分\n");
    }
    out.push_str(&format!("政策：{}\n", crate::ir::Origin::of(policy)));
    (out, errors)
}
