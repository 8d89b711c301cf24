//! The IR written back in the policy language: what a compiled rule says, in the words a drafter
//! writes (`申请人.社保累计月数 每满 12个月 计 2分，最高 20分`).
//!
//! Two spellings of the same rendering: [`Spelling::Source`] names local binders as the drafter
//! did, for people; [`Spelling::Canonical`] numbers them, so two rules that differ only in a
//! binder's name, in layout, in the order of declarations or in `>=` against `满` read the same —
//! the diff compares rules by this text.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    Source,
    Canonical,
}

/// A decimal in canonical form: no exponent, no trailing zeros, no negative zero (`43`, `187.5`).
pub fn decimal(d: Decimal) -> String {
    let n = d.normalize();
    if n.is_zero() {
        "0".to_string()
    } else {
        n.to_string()
    }
}

/// A quantity as written: `0.5分`, `30万元`, `152000元`, `18周岁` (for ages).
pub fn quantity(d: Decimal, unit: &Unit, age: bool) -> String {
    match unit.as_base() {
        Some(BaseUnit::Yuan) if d >= Decimal::from(10_000) && (d % Decimal::from(10_000)).is_zero() => {
            format!("{}万元", decimal(d / Decimal::from(10_000)))
        }
        Some(BaseUnit::Year) if age => format!("{}周岁", decimal(d)),
        _ => format!("{}{}", decimal(d), unit.zh()),
    }
}

pub fn literal(l: &Literal, ty: &Type, policy: &Policy) -> String {
    match l {
        Literal::Number(d) => match ty {
            Type::Number(u) => quantity(*d, u, false),
            _ => decimal(*d),
        },
        Literal::Bool(true) => "真".into(),
        Literal::Bool(false) => "假".into(),
        Literal::Text(t) => format!("“{t}”"),
        Literal::Date(d) => d.format("%Y-%m-%d").to_string(),
        Literal::MonthDay(m, d) => format!("{m}月{d}日"),
        Literal::Variant(en, i) => policy.variant_name(*en, *i).to_string(),
        Literal::EmptyList => "[]".into(),
        Literal::Absent => "无".into(),
    }
}

/// Binding strength, loosest first, as the grammar nests its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Rule,
    Or,
    And,
    Not,
    Compare,
    Step,
    Default,
    Add,
    Mul,
    Unary,
    Atom,
}

pub struct Words<'p> {
    policy: &'p Policy,
    spelling: Spelling,
    /// Canonical spelling: the binders met so far in the rendering, numbered in order, so two
    /// rules read the same whatever ids their binders got (an earlier clause binding one more
    /// shifts them) — bound ones as `#0`, free ones (bound outside the part rendered) as `#f0`.
    bound: std::cell::RefCell<Vec<LocalId>>,
    free: std::cell::RefCell<Vec<LocalId>>,
}

impl<'p> Words<'p> {
    pub fn new(policy: &'p Policy, spelling: Spelling) -> Self {
        Words { policy, spelling, bound: Default::default(), free: Default::default() }
    }

    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// The expression on its own (binders numbered from this expression, in canonical spelling).
    pub fn expr(&self, e: &Expr) -> String {
        self.bound.borrow_mut().clear();
        self.free.borrow_mut().clear();
        self.rule(e)
    }

    fn rule(&self, e: &Expr) -> String {
        self.at(e, Level::Rule)
    }

    /// The expression, in parentheses when it binds more loosely than its place requires.
    fn at(&self, e: &Expr, place: Level) -> String {
        let (text, level) = self.bare(e);
        if level < place {
            format!("（{text}）")
        } else {
            text
        }
    }

    /// A binding site: the binder is numbered in the order binders are met.
    fn binds(&self, local: LocalId, name: &str) -> String {
        match self.spelling {
            Spelling::Source => name.to_string(),
            Spelling::Canonical => {
                let mut bound = self.bound.borrow_mut();
                bound.push(local);
                format!("#{}", bound.len() - 1)
            }
        }
    }

    /// A use of a binder.
    fn binder(&self, local: LocalId, name: &str) -> String {
        match self.spelling {
            Spelling::Source => name.to_string(),
            Spelling::Canonical => {
                // The innermost binding of this id (ids are not reused within a rule, but be safe).
                if let Some(i) = self.bound.borrow().iter().rposition(|l| *l == local) {
                    return format!("#{i}");
                }
                let mut free = self.free.borrow_mut();
                // A free local not met before is numbered next.
                let i = free.iter().position(|l| *l == local).unwrap_or_else(|| {
                    free.push(local);
                    free.len() - 1
                });
                format!("#f{i}")
            }
        }
    }

    /// A bound as the scrutinee's unit writes it (`18周岁` for an age).
    fn bound(&self, d: Decimal, scrutinee: &Expr) -> String {
        match &scrutinee.ty {
            Type::Number(u) => quantity(d, u, is_age(scrutinee)),
            _ => decimal(d),
        }
    }

    /// An operand compared with an age reads in 周岁.
    fn operand(&self, e: &Expr, place: Level, age: bool) -> String {
        match (&e.kind, &e.ty) {
            (ExprKind::Literal(Literal::Number(d)), Type::Number(u)) if age => quantity(*d, u, true),
            _ => self.at(e, place),
        }
    }

    fn bare(&self, e: &Expr) -> (String, Level) {
        let p = self.policy;
        match &e.kind {
            ExprKind::Literal(l) => (literal(l, &e.ty, p), Level::Atom),
            ExprKind::Template(parts) => {
                let inner: String = parts
                    .iter()
                    .map(|part| match &part.kind {
                        ExprKind::Literal(Literal::Text(t)) => t.clone(),
                        _ => format!("{{{}}}", self.rule(part)),
                    })
                    .collect();
                (format!("“{inner}”"), Level::Atom)
            }
            ExprKind::Applicant => ("申请人".into(), Level::Atom),
            ExprKind::AsOf => ("评估日".into(), Level::Atom),
            ExprKind::Total => ("总分".into(), Level::Atom),
            ExprKind::Undecided(reason) => (format!("待定 {}", self.at(reason, Level::Atom)), Level::Atom),
            ExprKind::Local { local, name } => (self.binder(*local, name), Level::Atom),
            // A constant or table the IR lacks is written "?", never as a blank name (u32 ids widen
            // losslessly to index: lib.rs).
            ExprKind::Const(id) => {
                (p.constants.get(id.0 as usize).map_or_else(|| "?".into(), |c| c.name.clone()), Level::Atom)
            }
            ExprKind::Field { record, name, .. } => (format!("{}.{name}", self.at(record, Level::Atom)), Level::Atom),
            ExprKind::Lookup { table, key } => {
                let t = p.tables.get(table.0 as usize).map_or("?", |t| t.name.as_str());
                (format!("{t}[{}]", self.rule(key)), Level::Atom)
            }
            ExprKind::Neg(x) => (format!("−{}", self.at(x, Level::Unary)), Level::Unary),
            ExprKind::Not(x) => (format!("非 {}", self.at(x, Level::Not)), Level::Not),
            ExprKind::Arith(op, a, b) => {
                let level = match op {
                    ArithOp::Add | ArithOp::Sub => Level::Add,
                    ArithOp::Mul | ArithOp::Div => Level::Mul,
                };
                let right = if level == Level::Add { Level::Mul } else { Level::Unary };
                (format!("{} {} {}", self.at(a, level), op.symbol(), self.at(b, right)), level)
            }
            ExprKind::Compare(op, a, b) => {
                let age = is_age(a);
                let quantity_bound = matches!(&b.kind, ExprKind::Literal(Literal::Number(_)))
                    && matches!(&b.ty, Type::Number(u) if !u.is_none());
                let left = self.at(a, Level::Step);
                let right = self.operand(b, Level::Step, age);
                // A quantity bound reads as the statutes write it; other comparisons keep symbols.
                let text = match op {
                    CmpOp::Ge if quantity_bound => format!("{left} 满 {right}"),
                    CmpOp::Lt if quantity_bound => format!("{left} 未满 {right}"),
                    CmpOp::Gt if quantity_bound => format!("{left} 超过 {right}"),
                    CmpOp::Le if quantity_bound => format!("{left} 不超过 {right}"),
                    _ => format!("{left} {} {right}", cmp_symbol(*op)),
                };
                (text, Level::Compare)
            }
            ExprKind::And(a, b) => (format!("{} 且 {}", self.at(a, Level::And), self.at(b, Level::Not)), Level::And),
            // 且 inside 或 is parenthesised, as drafters write it, though it binds tighter.
            ExprKind::Or(a, b) => (format!("{} 或 {}", self.or_operand(a), self.or_operand(b)), Level::Or),
            ExprKind::Default(a, b) => {
                (format!("{} 缺省 {}", self.at(a, Level::Default), self.at(b, Level::Add)), Level::Default)
            }
            ExprKind::DateShift { date, amount, backwards, .. } => {
                let sign = if *backwards { "−" } else { "+" };
                (format!("{} {sign} {}", self.at(date, Level::Add), self.at(amount, Level::Mul)), Level::Add)
            }
            ExprKind::Between { value, low, high, below } => {
                let age = is_age(value);
                let v = self.at(value, Level::Step);
                let (lo, hi) = (self.operand(low, Level::Step, age), self.operand(high, Level::Step, age));
                let text =
                    if *below { format!("{v} 满 {lo} 未满 {hi}") } else { format!("{v} 介于 {lo} 至 {hi}") };
                (text, Level::Compare)
            }
            ExprKind::OneOf { value, variants } => {
                let mut names: Vec<&str> = match &value.ty {
                    Type::Enum(en) => variants.iter().map(|v| p.variant_name(*en, *v)).collect(),
                    _ => Vec::new(),
                };
                if self.spelling == Spelling::Canonical {
                    names.sort_unstable();
                }
                (format!("{} 是 {} 之一", self.at(value, Level::Step), names.join("、")), Level::Compare)
            }
            ExprKind::Step { quantity, every, gives, cap } => {
                let mut text = format!(
                    "{} 每满 {} 计 {}",
                    self.at(quantity, Level::Default),
                    self.at(every, Level::Default),
                    self.at(gives, Level::Default)
                );
                if let Some(c) = cap {
                    text.push_str(&format!("，最高 {}", self.at(c, Level::Default)));
                }
                (text, Level::Step)
            }
            ExprKind::If { cond, then, otherwise } => (
                // A rule nested in 则 is parenthesised, as drafters write it; 否则 若 … chains read plainly.
                format!("若 {} 则 {} 否则 {}", self.rule(cond), self.at(then, Level::Or), self.rule(otherwise)),
                Level::Rule,
            ),
            ExprKind::IfLet { local, name, value, then, otherwise } => (
                format!(
                    "若有 {} = {} 则 {} 否则 {}",
                    self.binds(*local, name),
                    self.rule(value),
                    self.at(then, Level::Or),
                    self.rule(otherwise)
                ),
                Level::Rule,
            ),
            ExprKind::Match { scrutinee, arms } => {
                // Arms are disjoint: their order means nothing, and canonically they are sorted.
                let mut ordered: Vec<&MatchArm> = arms.iter().collect();
                if self.spelling == Spelling::Canonical {
                    ordered.sort_by_key(|a| self.arm_pattern(scrutinee, a));
                }
                let arms: Vec<String> = ordered.iter().map(|a| self.match_arm(scrutinee, a)).collect();
                (format!("匹配 {}：{}", self.at(scrutinee, Level::Or), arms.join("，")), Level::Rule)
            }
            ExprKind::Brackets { scrutinee, arms, otherwise } => {
                let mut ordered: Vec<&Bracket> = arms.iter().collect();
                if self.spelling == Spelling::Canonical {
                    ordered.sort_by_key(|b| (b.from, b.below));
                }
                let mut parts: Vec<String> = ordered.iter().map(|a| self.bracket(scrutinee, a)).collect();
                if let Some(o) = otherwise {
                    parts.push(format!("其他情形 → {}", self.at(o, Level::Step)));
                }
                (format!("分段 {}：{}", self.at(scrutinee, Level::Or), parts.join("，")), Level::Rule)
            }
            ExprKind::Call { builtin, args } => {
                let a: Vec<String> = args.iter().map(|x| self.rule(x)).collect();
                (format!("{}（{}）", super::functions::builtin_name(*builtin), a.join("，")), Level::Atom)
            }
            ExprKind::Aggregate { function, local, name, list, filter, value, range_end } => {
                let mut text = format!(
                    "{}（{} 属于 {}",
                    super::functions::aggregate_name(*function),
                    self.binds(*local, name),
                    self.at(list, Level::Or)
                );
                if let Some(f) = filter {
                    text.push_str(&format!(" 其中 {}", self.at(f, Level::Or)));
                }
                if let Some(v) = value {
                    text.push_str(&format!("：{}", self.at(v, Level::Or)));
                }
                if let Some(end) = range_end {
                    text.push_str(&format!(" 至 {}", self.at(end, Level::Or)));
                }
                text.push('）');
                (text, Level::Atom)
            }
        }
    }

    fn or_operand(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::And(..) => format!("（{}）", self.at(e, Level::And)),
            ExprKind::Or(..) => self.at(e, Level::Or),
            _ => self.at(e, Level::And),
        }
    }

    /// One arm of a 匹配: `自有产权住房 → 30分`, `其他情形 → 0分`.
    pub fn match_arm(&self, scrutinee: &Expr, arm: &MatchArm) -> String {
        format!("{} → {}", self.arm_pattern(scrutinee, arm), self.at(&arm.result, Level::Or))
    }

    pub fn arm_pattern(&self, scrutinee: &Expr, arm: &MatchArm) -> String {
        if arm.variants.is_empty() {
            return "其他情形".into();
        }
        match &scrutinee.ty {
            Type::Enum(en) => {
                let mut names: Vec<&str> = arm.variants.iter().map(|v| self.policy.variant_name(*en, *v)).collect();
                if self.spelling == Spelling::Canonical {
                    names.sort_unstable();
                }
                names.join("、")
            }
            _ => String::new(),
        }
    }

    /// One bracket: `满 18周岁 未满 36周岁 → 20分`.
    pub fn bracket(&self, scrutinee: &Expr, b: &Bracket) -> String {
        format!("{} → {}", self.bracket_range(scrutinee, b), self.at(&b.result, Level::Step))
    }

    pub fn bracket_range(&self, scrutinee: &Expr, b: &Bracket) -> String {
        match (b.from, b.below) {
            (Some(f), Some(u)) => format!("满 {} 未满 {}", self.bound(f, scrutinee), self.bound(u, scrutinee)),
            (Some(f), None) => format!("满 {}", self.bound(f, scrutinee)),
            (None, Some(u)) => format!("未满 {}", self.bound(u, scrutinee)),
            (None, None) => "其他情形".into(),
        }
    }

    pub fn ty(&self, ty: &Type) -> String {
        self.policy.type_name(ty)
    }
}

fn is_age(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Call { builtin: Builtin::Age, .. })
}

pub fn cmp_symbol(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "≠",
        CmpOp::Lt => "<",
        CmpOp::Le => "≤",
        CmpOp::Gt => ">",
        CmpOp::Ge => "≥",
    }
}
