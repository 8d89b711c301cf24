//! Static assertions (约束) are proved when the policy compiles: each is evaluated for every row
//! of the table it ranges over, and a row that breaks it is an error on that row.

use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::eval::value::Value;
use crate::eval::{literal, Interp};
use crate::ir::*;

pub fn verify(policy: &Policy, spans: &SpanTable) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Assertions do not read the applicant or the date (E0502); any values do, so a policy
    // without a start date is proved on chrono's default day.
    let nobody = Value::Absent;
    let day = policy.effective_from.unwrap_or_default();
    for a in &policy.assertions {
        // An assertion over a table the IR lacks would be proved by default: a fault, reported.
        // (u32 → usize widens losslessly: lib.rs.)
        let Some(table) = policy.tables.get(a.table.0 as usize) else {
            out.push(fault(&a.title, "所遍历的表不存在", "its table is missing"));
            continue;
        };
        let cite = a.provenance.cites.first().map(|c| c.to_string());
        // The 其他情形 row stands for every key the table does not list: for an enumeration each
        // value left out is tried; for numbers, one key beyond the listed ones stands for them.
        let mut keys: Vec<(Literal, &Expr)> = table.rows.iter().map(|r| (r.key.clone(), &r.value)).collect();
        if let Some(otherwise) = &table.otherwise {
            match &table.key_ty {
                Type::Enum(e) => {
                    // An enumeration the IR lacks, or one with more values than a u32 numbers (it
                    // has fewer than its declaration's tokens), would leave the 其他情形 row
                    // untried and the assertion proved by default: a fault, reported.
                    let Some(count) = policy.enum_def(*e).and_then(|d| u32::try_from(d.variants.len()).ok()) else {
                        out.push(fault(&a.title, "表的键不是可列举的枚举", "its table's keys cannot be listed"));
                        continue;
                    };
                    for v in 0..count {
                        let key = Literal::Variant(*e, v);
                        if !table.rows.iter().any(|r| r.key == key) {
                            keys.push((key, otherwise));
                        }
                    }
                }
                Type::Number(_) => {
                    let beyond = table
                        .rows
                        .iter()
                        .filter_map(|r| match r.key {
                            Literal::Number(n) => Some(n),
                            _ => None,
                        })
                        .max()
                        .map_or(rust_decimal::Decimal::ZERO, |n| n + rust_decimal::Decimal::ONE);
                    keys.push((Literal::Number(beyond), otherwise));
                }
                _ => {}
            }
        }
        for (row_key, row_value) in &keys {
            let row = TableRow { key: row_key.clone(), value: (*row_value).clone() };
            let key = literal(&row.key);
            let mut it = Interp::new(policy, &nobody, day, a.locals, None);
            it.bind(a.local, key.clone(), None);
            let holds = matches!(it.eval(&a.test), Ok(Value::Bool(true)));
            if holds {
                continue;
            }
            let message = match it.eval(&a.message) {
                Ok(Value::Text(t)) => t.to_string(),
                _ => String::new(),
            };
            let shown = key.show(&table.key_ty, policy);
            // A failure without its row's place would be dropped: a fault, reported instead.
            let Some(span) = spans.get(row.value.node) else {
                out.push(fault(
                    &a.title,
                    &format!("不成立（{shown}），但找不到该行的位置"),
                    "its failing row has no place",
                ));
                continue;
            };
            // The 其他情形 row fails once, for the first key it stands for.
            if out.iter().any(|d: &Diagnostic| d.primary_span() == Some(span)) {
                continue;
            }
            let from_otherwise = !table.rows.iter().any(|r| r.key == row.key);
            let row_name = if from_otherwise { format!("其他情形（如{shown}）") } else { shown.clone() };
            let mut d = Diagnostic::error(
                Code::AssertionFailed,
                Msg::new(
                    format!("约束「{}」不成立：{}", a.title, shown),
                    format!("assertion `{}` does not hold for {}", a.title, shown),
                ),
                Label::primary(span, Msg::same(message)),
            )
            .with_help(Msg::new(
                format!("修改「{}」这一行，使约束「{}」成立", row_name, a.title),
                format!("change the row of {} so that `{}` holds", row_name, a.title),
            ));
            if let Some(c) = &cite {
                d = d.with_note(Msg::new(format!("依据 {c}"), format!("per {c}")));
            }
            out.push(d);
        }
    }
    out
}

/// An assertion that could not be proved because of a fault of jifen: an error, never a pass.
fn fault(title: &str, zh: &str, en: &str) -> Diagnostic {
    Diagnostic::internal(Msg::new(
        format!("无法证明约束「{title}」：{zh}"),
        format!("cannot prove assertion `{title}`: {en}"),
    ))
}
