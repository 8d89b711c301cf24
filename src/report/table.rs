//! `eval --format text`: one row per input record, aligned for a terminal (CJK-aware widths).

use crate::data::{Applicant, RecordError};
use crate::eval::decide::Status;
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::{Category, Policy};
use std::io::Write;
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

/// The identity and name columns are headed by the schema's own field names, or by the words
/// 标识 and 称谓 when the schema marks no such field (the name column is then empty).
fn header(policy: &Policy, purposes: &[String]) -> Vec<String> {
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
    let mut header: Vec<String> =
        vec!["行".into(), id_header, label_header, "评估日".into(), "基础分".into(), "附加分".into(), "扣减分".into()];
    if purposes.is_empty() {
        header.push("积分".into());
    }
    header.extend(purposes.iter().cloned());
    header.push("符合条件的途径".into());
    header
}

/// One record's row: its cells, and the purposes it was scored for (none for a record that failed:
/// what went wrong with it goes to stderr, apart from the table, so `> results.txt` keeps the
/// table and the terminal shows the faults).
pub struct Cells {
    cells: Vec<String>,
    purposes: Option<Vec<String>>,
}

impl Cells {
    /// The row of one record.
    pub fn of(row: Row) -> Cells {
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
                let purposes = Some(e.purposes.iter().map(|p| p.name.clone()).collect());
                Cells { cells, purposes }
            }
            Row::Failed { line, error } => {
                // A record whose id could not be read is marked —, never shown with a blank id.
                let id = error.applicant.clone().unwrap_or_else(|| "—".into());
                let mut cells = vec![line.to_string(), id, String::new(), "错误".into()];
                cells.extend(std::iter::repeat_n(String::new(), 4));
                Cells { cells, purposes: None }
            }
        }
    }
}

/// How many rows the table holds before it sets its column widths.
pub const WIDTH_ROWS: usize = 4096;

/// `eval --format text` written as the rows come, in flat memory: the first [`WIDTH_ROWS`] rows
/// are held to set the header and the column widths (so a batch of up to that many is aligned
/// exactly as if it were read whole); after that each row is written at once, and a later cell
/// wider than its column widens the column from that row on.
pub struct Table<'p> {
    policy: &'p Policy,
    held: Vec<Cells>,
    hold: usize,
    /// Set once the header is written.
    widths: Option<Vec<usize>>,
    purposes: Vec<String>,
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

impl<'p> Table<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        Table::holding(policy, WIDTH_ROWS)
    }

    /// A table that sets its widths from its first `hold` rows.
    pub fn holding(policy: &'p Policy, hold: usize) -> Self {
        Table { policy, held: Vec::new(), hold: hold.max(1), widths: None, purposes: Vec::new() }
    }

    /// Add a row (written at once, or held until the widths are set).
    pub fn push(&mut self, row: Cells, out: &mut dyn Write) -> std::io::Result<()> {
        match &mut self.widths {
            Some(widths) => write_row(&row.cells, widths, out),
            None => {
                self.held.push(row);
                if self.held.len() >= self.hold {
                    self.start(out)?;
                }
                Ok(())
            }
        }
    }

    /// Write the header and the held rows, with widths set from them.
    fn start(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        // The purposes a scored row was scored for; when none of the held rows was scored, the
        // policy's own (no record scored at all: no purpose columns, and the total is shown as 积分).
        self.purposes = match self.held.iter().find_map(|r| r.purposes.clone()) {
            Some(p) => p,
            None if self.held.len() >= self.hold => self.policy.purposes.iter().map(|p| p.name.clone()).collect(),
            None => Vec::new(),
        };
        let header = header(self.policy, &self.purposes);
        // A column no row reaches takes no width.
        let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
        for row in &self.held {
            for (w, c) in widths.iter_mut().zip(&row.cells) {
                *w = (*w).max(width(c));
            }
        }
        write_row(&header, &mut widths, out)?;
        for row in std::mem::take(&mut self.held) {
            write_row(&row.cells, &mut widths, out)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    /// Write what is held (a batch smaller than the hold), then the legend and the policy line.
    pub fn finish(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        if self.widths.is_none() {
            self.start(out)?;
        }
        if !self.purposes.is_empty() {
            out.write_all(
                "\n✓ 符合条件  ✗ 不符合  ? 无法判定  - 不适用  ⊘ 不受理（期间外）；数字为该用途的总分\n".as_bytes(),
            )?;
        }
        writeln!(out, "政策：{}", crate::ir::Origin::of(self.policy))
    }
}

/// One line of the table; a cell wider than its column widens the column from here on.
fn write_row(cells: &[String], widths: &mut [usize], out: &mut dyn Write) -> std::io::Result<()> {
    let mut line = String::new();
    for (c, (s, w)) in cells.iter().zip(widths.iter_mut()).enumerate() {
        *w = (*w).max(width(s));
        if c > 0 {
            line.push_str("  ");
        }
        line.push_str(&cell(s, *w, c == 0 || (4..7).contains(&c)));
    }
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")
}
