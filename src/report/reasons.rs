//! A reason's words: a failed clause keeps the values its message's holes took, and the words are
//! put together here, by the outputs that show them (the contract's `message`, `explain`, the
//! impact's clauses), with the policy that decided.

use crate::eval::decide::{Message, Owner, Reason};
use crate::eval::is_words;
use crate::eval::trace::describe;
use crate::eval::value::Value;
use crate::ir::{ClauseDef, ExprKind, Literal, Policy, RouteBody};
use std::borrow::Cow;

impl Reason {
    /// The reason in the policy's words. `policy` must be the one that decided it.
    pub fn message<'a>(&'a self, policy: &Policy) -> Cow<'a, str> {
        match &self.message {
            Message::Text(t) => Cow::Borrowed(t),
            _ => {
                let mut out = String::with_capacity(96);
                self.write_message(policy, &mut out);
                Cow::Owned(out)
            }
        }
    }

    /// [`Reason::message`], appended to a string.
    pub fn write_message(&self, policy: &Policy, out: &mut String) {
        let (owner, clause, values) = match &self.message {
            Message::Text(t) => return out.push_str(t),
            Message::Filled { owner, clause, values } => (*owner, *clause, values.as_slice()),
            Message::Unworded { owner, clause } => (*owner, *clause, [].as_slice()),
        };
        let Some(c) = clause_of(policy, owner, clause) else {
            // Only a caller that passes another policy than the one that decided gets here.
            return out.push_str("（理由无法显示：评估所用的政策与显示所用的不同）");
        };
        if let Message::Unworded { .. } = self.message {
            out.push_str("不满足：");
            return out.push_str(&describe(&c.test, policy));
        }
        fill(policy, &c.message, values, out);
    }
}

/// A text expression's words with the values its holes took (`message_values` order): a 不符合
/// message or a 说明.
pub fn fill(policy: &Policy, text: &crate::ir::Expr, values: &[Value], out: &mut String) {
    match &text.kind {
        ExprKind::Template(parts) => {
            let mut holes = values.iter();
            for p in parts {
                match (&p.kind, is_words(p)) {
                    (ExprKind::Literal(Literal::Text(t)), true) => out.push_str(t),
                    _ => match holes.next() {
                        Some(Value::Text(t)) => out.push_str(t),
                        Some(v) => v.show_into(&p.ty, policy, out),
                        // The holes were evaluated from this very template: one is never missing.
                        None => out.push('?'),
                    },
                }
            }
        }
        ExprKind::Literal(Literal::Text(t)) => out.push_str(t),
        _ => {
            if let Some(Value::Text(t)) = values.first() {
                out.push_str(t);
            }
        }
    }
}

/// The clause a reason names; `None` is worded by the caller as a reason that cannot be shown.
fn clause_of(policy: &Policy, owner: Owner, index: u32) -> Option<&ClauseDef> {
    // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
    let clauses = match owner {
        Owner::Purpose(p) => &policy.purposes.get(p as usize)?.clauses,
        Owner::Route(r) => match &policy.routes.get(r as usize)?.body {
            RouteBody::Clauses { clauses, .. } => clauses,
            RouteBody::SameAs(_) => return None,
        },
    };
    clauses.get(index as usize)
}
