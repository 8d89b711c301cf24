//! Runtime values. Types live in the IR; a value is shown with the type that describes it.

use crate::ir::{EnumId, Policy, Type};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Num(Decimal),
    Bool(bool),
    Text(Arc<str>),
    Date(NaiveDate),
    /// A day of every year.
    MonthDay(u32, u32),
    Variant(EnumId, u32),
    Record(Arc<Vec<Value>>),
    List(Arc<Vec<Value>>),
    /// An optional value that is not there.
    Absent,
}

/// A decimal in canonical form (one function for every output: the IR's renderer owns it).
pub use crate::ir::words::decimal as canonical;

impl Value {
    /// The value as a drafter reads it: `86个月`, `本科`, `2014-03-01`, `是`, `无`.
    pub fn show(&self, ty: &Type, policy: &Policy) -> String {
        let mut out = String::new();
        self.show_into(ty, policy, &mut out);
        out
    }

    /// `show`, appended to a string (a message being built) without a string of its own.
    pub fn show_into(&self, ty: &Type, policy: &Policy, out: &mut String) {
        match self {
            Value::Text(t) => return out.push_str(t),
            Value::Variant(e, i) => return out.push_str(policy.variant_name(*e, *i)),
            Value::Bool(b) => return out.push_str(if *b { "是" } else { "否" }),
            Value::Absent => return out.push('无'),
            _ => {}
        }
        out.push_str(&self.shown(ty, policy));
    }

    fn shown(&self, ty: &Type, policy: &Policy) -> String {
        let inner = match ty {
            Type::Optional(t) => t.as_ref(),
            t => t,
        };
        match self {
            Value::Num(d) => match inner {
                Type::Number(u) => format!("{}{}", canonical(*d), u.zh()),
                _ => canonical(*d),
            },
            Value::Bool(true) => "是".into(),
            Value::Bool(false) => "否".into(),
            Value::Text(t) => t.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::MonthDay(m, d) => format!("{m}月{d}日"),
            Value::Variant(e, i) => policy.variant_name(*e, *i).to_string(),
            Value::Record(_) => match inner {
                // A record type the IR lacks is shown as "?", never as a blank name.
                Type::Record(r) => policy.record_def(*r).map_or_else(|| "?".into(), |d| d.name.clone()),
                _ => "记录".into(),
            },
            Value::List(items) => format!("{} 项", items.len()),
            Value::Absent => "无".into(),
        }
    }
}
