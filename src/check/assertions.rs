//! Static assertions (约束) are proved when the policy compiles: each is evaluated for every row
//! of the table it ranges over, and a row that breaks it is an error on that row.

use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::eval::value::Value;
use crate::eval::{literal, Interp};
use crate::ir::*;

pub fn verify(policy: &Policy, spans: &SpanTable) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Assertions do not read the applicant or the date (E0502); any values do.
    let nobody = Value::Absent;
    let day = policy.effective_from.unwrap_or_default();
    for a in &policy.assertions {
        let Some(table) = policy.tables.get(a.table.0 as usize) else { continue };
        let cite = a.provenance.cites.first().map(|c| c.to_string());
        // The 其他情形 row stands for every key the table does not list: for an enumeration each
        // value left out is tried; for numbers, one key beyond the listed ones stands for them.
        let mut keys: Vec<(Literal, &Expr)> = table.rows.iter().map(|r| (r.key.clone(), &r.value)).collect();
        if let Some(otherwise) = &table.otherwise {
            match &table.key_ty {
                Type::Enum(e) => {
                    let count = policy.enum_def(*e).map_or(0, |d| d.variants.len());
                    for v in 0..u32::try_from(count).unwrap_or(0) {
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
            let Some(span) = spans.get(row.value.node) else { continue };
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
