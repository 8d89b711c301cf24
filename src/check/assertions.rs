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
        for row in &table.rows {
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
            let mut d = Diagnostic::error(
                Code::AssertionFailed,
                Msg::new(
                    format!("约束「{}」不成立：{}", a.title, shown),
                    format!("assertion `{}` does not hold for {}", a.title, shown),
                ),
                Label::primary(span, Msg::same(message)),
            )
            .with_help(Msg::new(
                format!("修改「{}」这一行，使约束「{}」成立", shown, a.title),
                format!("change the row of {} so that `{}` holds", shown, a.title),
            ));
            if let Some(c) = &cite {
                d = d.with_note(Msg::new(format!("依据 {c}"), format!("per {c}")));
            }
            out.push(d);
        }
    }
    out
}
