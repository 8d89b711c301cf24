//! A walk over an expression and everything under it.

use super::*;

/// Every sub-expression, parents first.
pub fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    let mut go = |x: &Expr| visit(x, f);
    match &e.kind {
        ExprKind::Literal(_)
        | ExprKind::Applicant
        | ExprKind::AsOf
        | ExprKind::Total
        | ExprKind::Local { .. }
        | ExprKind::Const(_) => {}
        ExprKind::Template(parts) => parts.iter().for_each(go),
        ExprKind::Field { record, .. } => go(record),
        ExprKind::Lookup { key, .. } => go(key),
        ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Undecided(x) => go(x),
        ExprKind::Arith(_, a, b)
        | ExprKind::Compare(_, a, b)
        | ExprKind::And(a, b)
        | ExprKind::Or(a, b)
        | ExprKind::Default(a, b) => {
            go(a);
            go(b);
        }
        ExprKind::DateShift { date, amount, .. } => {
            go(date);
            go(amount);
        }
        ExprKind::Between { value, low, high, .. } => {
            go(value);
            go(low);
            go(high);
        }
        ExprKind::OneOf { value, .. } => go(value),
        ExprKind::Step { quantity, every, gives, cap } => {
            go(quantity);
            go(every);
            go(gives);
            if let Some(c) = cap {
                go(c);
            }
        }
        ExprKind::If { cond, then, otherwise } => {
            go(cond);
            go(then);
            go(otherwise);
        }
        ExprKind::IfLet { value, then, otherwise, .. } => {
            go(value);
            go(then);
            go(otherwise);
        }
        ExprKind::Match { scrutinee, arms } => {
            go(scrutinee);
            arms.iter().for_each(|a| go(&a.result));
        }
        ExprKind::Brackets { scrutinee, arms, otherwise } => {
            go(scrutinee);
            arms.iter().for_each(|a| go(&a.result));
            if let Some(o) = otherwise {
                go(o);
            }
        }
        ExprKind::Call { args, .. } => args.iter().for_each(go),
        ExprKind::Aggregate { list, filter, value, range_end, .. } => {
            go(list);
            for x in [filter, value, range_end].into_iter().flatten() {
                go(x);
            }
        }
    }
}

/// Every sub-expression, children first, each one given to `f` to change in place.
pub fn visit_mut(e: &mut Expr, f: &mut dyn FnMut(&mut Expr)) {
    {
        let mut go = |x: &mut Expr| visit_mut(x, f);
        match &mut e.kind {
            ExprKind::Literal(_)
            | ExprKind::Applicant
            | ExprKind::AsOf
            | ExprKind::Total
            | ExprKind::Local { .. }
            | ExprKind::Const(_) => {}
            ExprKind::Template(parts) => parts.iter_mut().for_each(go),
            ExprKind::Field { record, .. } => go(record),
            ExprKind::Lookup { key, .. } => go(key),
            ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Undecided(x) => go(x),
            ExprKind::Arith(_, a, b)
            | ExprKind::Compare(_, a, b)
            | ExprKind::And(a, b)
            | ExprKind::Or(a, b)
            | ExprKind::Default(a, b) => {
                go(a);
                go(b);
            }
            ExprKind::DateShift { date, amount, .. } => {
                go(date);
                go(amount);
            }
            ExprKind::Between { value, low, high, .. } => {
                go(value);
                go(low);
                go(high);
            }
            ExprKind::OneOf { value, .. } => go(value),
            ExprKind::Step { quantity, every, gives, cap } => {
                go(quantity);
                go(every);
                go(gives);
                if let Some(c) = cap {
                    go(c);
                }
            }
            ExprKind::If { cond, then, otherwise } => {
                go(cond);
                go(then);
                go(otherwise);
            }
            ExprKind::IfLet { value, then, otherwise, .. } => {
                go(value);
                go(then);
                go(otherwise);
            }
            ExprKind::Match { scrutinee, arms } => {
                go(scrutinee);
                arms.iter_mut().for_each(|a| go(&mut a.result));
            }
            ExprKind::Brackets { scrutinee, arms, otherwise } => {
                go(scrutinee);
                arms.iter_mut().for_each(|a| go(&mut a.result));
                if let Some(o) = otherwise {
                    go(o);
                }
            }
            ExprKind::Call { args, .. } => args.iter_mut().for_each(go),
            ExprKind::Aggregate { list, filter, value, range_end, .. } => {
                go(list);
                for x in [filter, value, range_end].into_iter().flatten() {
                    go(x);
                }
            }
        }
    }
    f(e);
}

/// An item's body with its 设 bindings written in where they are used: what the item computes,
/// however the drafter named its parts.
pub fn inlined(item: &ItemDef) -> Expr {
    let mut body = item.body.clone();
    // Later bindings may use earlier ones: put the last in first, then the ones it used.
    for binding in item.lets.iter().rev() {
        visit_mut(&mut body, &mut |x: &mut Expr| {
            if matches!(x.kind, ExprKind::Local { local, .. } if local == binding.local) {
                *x = binding.value.clone();
            }
        });
    }
    body
}
