//! `eval --format text`: one row per input record, aligned for a terminal (CJK-aware widths).

use crate::data::{Applicant, RecordError};
use crate::eval::value::canonical;
use crate::eval::Evaluation;
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

pub fn render(rows: &[Row]) -> String {
    let header = ["行", "编号", "姓名", "评估日", "基础分", "附加分", "扣减分", "积分"];
    let mut table: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    let mut errors = Vec::new();
    for row in rows {
        match row {
            Row::Scored { line, applicant: a, eval: e } => table.push(vec![
                line.to_string(),
                a.id.clone(),
                a.label.clone().unwrap_or_default(),
                e.as_of.format("%Y-%m-%d").to_string(),
                canonical(e.base),
                canonical(e.bonus),
                canonical(e.deduction),
                canonical(e.total(true)),
            ]),
            Row::Failed { line, error } => {
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
                errors.push(format!("第 {line} 行：{}", error.message));
            }
        }
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| table.iter().filter_map(|r| r.get(c)).map(|s| UnicodeWidthStr::width(s.as_str())).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &table {
        let cells: Vec<String> =
            r.iter().zip(&widths).enumerate().map(|(c, (s, w))| cell(s, *w, c == 0 || c >= 4)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if !errors.is_empty() {
        out.push('\n');
        for e in errors {
            out.push_str(&e);
            out.push('\n');
        }
    }
    out
}
