//! The interpreter: evaluates the IR for one applicant on one evaluation date, with exact decimal
//! arithmetic, and records a trace of every item. It never sees the AST.

pub mod dates;
pub mod decide;
pub mod trace;
pub mod value;

use crate::diag::Msg;
use crate::ir::*;
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::sync::Arc;
use trace::{describe, Fact, ItemTrace, Rule, Step};
use value::{canonical, Value};

/// Why an evaluation could not give a value.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalError {
    /// What went wrong, in Chinese and English.
    pub message: Msg,
    /// The IR node that failed (its span is in the policy's span table).
    pub node: Option<NodeId>,
    /// The policy cannot decide (a table leaves the key out, 未列出): a condition that meets this
    /// is undecidable, not a fault of the record or the policy.
    pub undecidable: bool,
    /// A value of a kind the checker proved impossible here (a type hole): a fault of jifen, never
    /// of the record or the policy. The fuzzers assert a checked policy never meets one.
    pub internal: bool,
}

impl EvalError {
    /// A fault the record can cause (an overflow, a date out of range, a zero divisor).
    fn at(node: NodeId, zh: impl Into<String>, en: impl Into<String>) -> Self {
        EvalError { message: Msg::new(zh, en), node: Some(node), undecidable: false, internal: false }
    }

    /// A fault the checker should have made impossible (see `internal`).
    fn hole(node: NodeId, zh: &str, en: &str) -> Self {
        EvalError {
            message: Msg::new(
                format!("内部错误（{zh}），请报告此问题"),
                format!("internal error ({en}); please report it"),
            ),
            node: Some(node),
            undecidable: false,
            internal: true,
        }
    }
}

type R<T> = Result<T, EvalError>;

#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub id: String,
    pub category: Category,
    pub points: Decimal,
    /// Points before the item's own cap, when the cap cut them.
    pub uncapped: Option<Decimal>,
    pub trace: ItemTrace,
}

/// One applicant's evaluation: every item's points, the category sums, each purpose's and route's
/// decision, and the warnings (an evaluation date outside the policy's effective period).
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The date evaluated on.
    pub as_of: NaiveDate,
    /// One result per scoring item, in the policy's order (0 where an item does not apply).
    pub items: Vec<ItemResult>,
    /// The sum of the 基础分 items.
    pub base: Decimal,
    /// The sum of the 附加分 items.
    pub bonus: Decimal,
    /// The sum of the 扣减分 items, as a positive amount.
    pub deduction: Decimal,
    /// Each purpose's total and decision, in the policy's order.
    pub purposes: Vec<decide::PurposeResult>,
    /// Each admission route's decision, in the policy's order.
    pub routes: Vec<decide::RouteResult>,
    /// Warnings that do not change the decision, each with its article.
    pub warnings: Vec<decide::Reason>,
}

impl Evaluation {
    /// The total over some categories (扣减分 subtracts), floored at 0.
    pub fn total_of(&self, categories: &[Category]) -> Decimal {
        self.signed_sum(categories).max(Decimal::ZERO)
    }

    /// The same sum before the floor: below zero when the deductions exceed the points.
    pub fn signed_sum(&self, categories: &[Category]) -> Decimal {
        // Each category's sum was computed with checked arithmetic; their combination saturates.
        categories.iter().fold(Decimal::ZERO, |acc, c| match c {
            Category::Base => acc.saturating_add(self.base),
            Category::Bonus => acc.saturating_add(self.bonus),
            Category::Deduction => acc.saturating_sub(self.deduction),
        })
    }
}

/// Whether an evaluation records why (the facts each item and clause read, the steps it took, the
/// test as written) or only computes. One interpreter serves both: the same code decides, and
/// tracing adds the record beside it, so a score never depends on whether it was explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Record the trace `explain`, the in-file tests and the diff's examples show.
    Explain,
    /// Values, statuses and reasons only: what the JSON contract, ranking and impact need.
    Score,
}

/// Evaluate every scoring item, purpose and route of the policy for one applicant record, with the
/// trace that explains it.
pub fn evaluate(policy: &Policy, applicant: &Value, as_of: NaiveDate) -> R<Evaluation> {
    evaluate_in(policy, applicant, as_of, Mode::Explain)
}

/// The same evaluation without its trace: item traces, clause facts, steps and tests are left
/// empty; every value, status and reason is the one `evaluate` gives.
pub fn score(policy: &Policy, applicant: &Value, as_of: NaiveDate) -> R<Evaluation> {
    evaluate_in(policy, applicant, as_of, Mode::Score)
}

pub fn evaluate_in(policy: &Policy, applicant: &Value, as_of: NaiveDate, mode: Mode) -> R<Evaluation> {
    // One interpreter for the whole record, reset between rules: its buffers are reused.
    let mut it = Interp::new(policy, applicant, as_of, 0, None).mode(mode);
    let mut evaluation = score_items(&mut it)?;
    evaluation.warnings = decide::warnings(policy, applicant, as_of);
    evaluation.purposes = decide::purposes(&mut it, &evaluation)?;
    evaluation.routes = decide::routes(&mut it, &evaluation)?;
    Ok(evaluation)
}

/// The items and one purpose, without a trace: what a ranking needs of an applicant (the other
/// purposes, the routes and the warnings are left out of the evaluation).
pub fn score_purpose(policy: &Policy, applicant: &Value, as_of: NaiveDate, purpose: usize) -> R<Evaluation> {
    let mut it = Interp::new(policy, applicant, as_of, 0, None).mode(Mode::Score);
    let mut evaluation = score_items(&mut it)?;
    if let Some(p) = policy.purposes.get(purpose) {
        evaluation.purposes = vec![decide::purpose(&mut it, &evaluation, purpose, p)?];
    }
    Ok(evaluation)
}

/// A purpose's status decided before any item is scored, when its tests do not need the total:
/// `None` when one of them reads 总分 (the interpreter has no total to give it, and says so) or
/// anything else fails — then the caller scores the record in full, which decides and reports as
/// always. A ranking uses it to skip scoring everyone a condition already rules out.
pub fn status_before_scoring(
    policy: &Policy,
    applicant: &Value,
    as_of: NaiveDate,
    purpose: usize,
) -> Option<decide::Status> {
    let p = policy.purposes.get(purpose)?;
    let mut it = Interp::new(policy, applicant, as_of, 0, None).mode(Mode::Score);
    it.reset(p.locals, None);
    let owner = decide::Owner::Purpose(u32::try_from(purpose).ok()?);
    decide::decide(&mut it, policy, owner, &p.clauses).ok().map(|d| d.status)
}

/// Every item's points and the three category sums; no purpose or route decided yet.
fn score_items(it: &mut Interp) -> R<Evaluation> {
    let (policy, as_of) = (it.policy, it.as_of);
    let mut items = Vec::with_capacity(policy.items.len());
    let (mut base, mut bonus, mut deduction) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    for item in &policy.items {
        it.reset(item.locals, None);
        let result = item_result(it, item)?;
        let total = match result.category {
            Category::Base => &mut base,
            Category::Bonus => &mut bonus,
            Category::Deduction => &mut deduction,
        };
        *total = total.checked_add(result.points).ok_or_else(|| overflow(item.body.node))?;
        items.push(result);
    }
    Ok(Evaluation {
        as_of,
        items,
        base,
        bonus,
        deduction,
        purposes: Vec::new(),
        routes: Vec::new(),
        warnings: Vec::new(),
    })
}

/// What a ranking compares for one applicant: the value it groups by (an enumeration value's index)
/// and each key, with the total of the purpose being ranked.
pub fn ranking_values(
    policy: &Policy,
    ranking: &RankingDef,
    applicant: &Value,
    as_of: NaiveDate,
    total: Decimal,
) -> R<(Option<u32>, Vec<Value>)> {
    let mut it = Interp::new(policy, applicant, as_of, ranking.locals, Some(total));
    let group = match &ranking.group {
        Some(g) => match it.eval(g)? {
            Value::Variant(_, v) => Some(v),
            _ => return Err(EvalError::hole(g.node, "分组的值不是枚举值", "the group is not an enumeration value")),
        },
        None => None,
    };
    let keys = ranking.keys.iter().map(|k| it.eval(&k.key)).collect::<R<Vec<Value>>>()?;
    Ok((group, keys))
}

fn overflow(node: NodeId) -> EvalError {
    EvalError::at(node, "数值溢出", "arithmetic overflow")
}

pub fn evaluate_item(policy: &Policy, item: &ItemDef, applicant: &Value, as_of: NaiveDate) -> R<ItemResult> {
    evaluate_item_in(policy, item, applicant, as_of, Mode::Explain)
}

pub fn evaluate_item_in(
    policy: &Policy,
    item: &ItemDef,
    applicant: &Value,
    as_of: NaiveDate,
    mode: Mode,
) -> R<ItemResult> {
    item_result(&mut Interp::new(policy, applicant, as_of, item.locals, None).mode(mode), item)
}

/// One item's points, on an interpreter reset for it.
fn item_result(it: &mut Interp, item: &ItemDef) -> R<ItemResult> {
    for b in &item.lets {
        let v = it.eval(&b.value)?;
        let path = it.path_of(&b.value);
        it.bind(b.local, v, path);
    }
    let v = it.eval(&item.body)?;
    let Value::Num(points) = v else {
        return Err(EvalError::hole(item.body.node, "分项结果不是数", "item result is not a number"));
    };
    let (points, uncapped) = match item.cap {
        Some(cap) if points > cap => {
            if it.tracing {
                it.step(
                    item.body.node,
                    format!("{}分 超过分项上限 {}分，按 {}分 计", canonical(points), canonical(cap), canonical(cap)),
                );
            }
            (cap, Some(points))
        }
        _ => (points, None),
    };
    // Untraced (Mode::Score), no step list was opened: the item has no steps to show.
    let steps = it.steps.pop().unwrap_or_default();
    let facts = std::mem::take(&mut it.facts);
    // The 说明 is read only to explain; one that cannot be evaluated is left out, never guessed.
    let description = match &item.description {
        Some(d) if it.tracing => {
            it.steps.push(Vec::new());
            let values = it.message_values(d).ok().flatten();
            it.steps.pop();
            it.facts.clear();
            values
        }
        _ => None,
    };
    Ok(ItemResult {
        id: item.id.clone(),
        category: item.category,
        points,
        uncapped,
        trace: ItemTrace { facts, steps, description },
    })
}

/// A template's part that is words as written, not a hole filled with a value.
pub(crate) fn is_words(part: &Expr) -> bool {
    matches!(part.kind, ExprKind::Literal(Literal::Text(_)))
}

pub(crate) struct Interp<'p> {
    pub(crate) policy: &'p Policy,
    applicant: &'p Value,
    as_of: NaiveDate,
    locals: Vec<Option<(Value, Option<String>)>>,
    facts: Vec<Fact>,
    /// A stack of step lists: aggregates collect their elements' steps as children.
    steps: Vec<Vec<Step>>,
    /// The total of the purpose being decided (总分).
    total: Option<Decimal>,
    /// Record facts and steps (Mode::Explain); off, nothing is formatted.
    pub(crate) tracing: bool,
}

fn num(v: &Value, node: NodeId) -> R<Decimal> {
    match v {
        Value::Num(d) => Ok(*d),
        _ => Err(EvalError::hole(node, "这里应为数", "expected a number")),
    }
}

fn date(v: &Value, node: NodeId) -> R<NaiveDate> {
    match v {
        Value::Date(d) => Ok(*d),
        _ => Err(EvalError::hole(node, "这里应为日期", "expected a date")),
    }
}

fn boolean(v: &Value, node: NodeId) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(*b),
        _ => Err(EvalError::hole(node, "这里应为布尔值", "expected a boolean")),
    }
}

fn whole(d: Decimal, node: NodeId) -> R<i64> {
    d.trunc().to_i64().ok_or_else(|| overflow(node))
}

impl<'p> Interp<'p> {
    pub(crate) fn new(
        policy: &'p Policy,
        applicant: &'p Value,
        as_of: NaiveDate,
        locals: u32,
        total: Option<Decimal>,
    ) -> Self {
        Interp {
            policy,
            applicant,
            as_of,
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            locals: vec![None; locals as usize],
            facts: Vec::new(),
            steps: Vec::new(),
            total,
            tracing: false,
        }
    }

    pub(crate) fn mode(mut self, mode: Mode) -> Self {
        self.tracing = mode == Mode::Explain;
        if self.tracing {
            self.steps = vec![Vec::new()];
        }
        self
    }

    /// Ready for the next rule: fresh locals, no facts or steps, the rule's purpose total.
    pub(crate) fn reset(&mut self, locals: u32, total: Option<Decimal>) {
        self.locals.clear();
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        self.locals.resize(locals as usize, None);
        self.facts.clear();
        if self.tracing {
            self.steps.clear();
            self.steps.push(Vec::new());
        }
        self.total = total;
    }

    /// Evaluate in a frame of its own (a constant, a table row): its locals never clobber the caller's.
    fn in_frame<T>(&mut self, locals: u32, f: impl FnOnce(&mut Self) -> R<T>) -> R<T> {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let fresh = if locals == 0 { Vec::new() } else { vec![None; locals as usize] };
        let saved = std::mem::replace(&mut self.locals, fresh);
        let result = f(self);
        self.locals = saved;
        result
    }

    pub(crate) fn take_facts(&mut self) -> Vec<Fact> {
        std::mem::take(&mut self.facts)
    }

    pub(crate) fn take_steps(&mut self) -> Vec<Step> {
        // Untraced (Mode::Score), there is no step list: nothing was recorded.
        self.steps.last_mut().map(std::mem::take).unwrap_or_default()
    }

    fn step(&mut self, node: NodeId, text: String) {
        if let Some(top) = self.steps.last_mut() {
            top.push(Step { node, text, rule: None, children: Vec::new() });
        }
    }

    fn step_rule(&mut self, node: NodeId, text: String, rule: Rule) {
        if let Some(top) = self.steps.last_mut() {
            top.push(Step { node, text, rule: Some(rule), children: Vec::new() });
        }
    }

    pub(crate) fn bind(&mut self, local: LocalId, v: Value, path: Option<String>) {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs). A slot out of range
        // stays unbound, and reading it is the internal error "unbound local".
        if let Some(slot) = self.locals.get_mut(local.0 as usize) {
            *slot = Some((v, path));
        }
    }

    fn show(&self, v: &Value, ty: &Type) -> String {
        v.show(ty, self.policy)
    }

    /// The value a path (申请人, a bound name, their fields) denotes, without copying it; `None`
    /// for any other expression, which is evaluated instead.
    fn place(&self, e: &Expr) -> Option<&Value> {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs). A field out of range
        // is no place: `eval` then reads it, and reports it.
        match &e.kind {
            ExprKind::Applicant => Some(self.applicant),
            ExprKind::Local { local, .. } => self.locals.get(local.0 as usize)?.as_ref().map(|(v, _)| v),
            ExprKind::Field { record, field, .. } => match self.place(record)? {
                Value::Record(fields) => fields.get(*field as usize),
                _ => None,
            },
            _ => None,
        }
    }

    /// The applicant fact an expression denotes: `学历`, `住所.类型`, `从业记录[1].开始日期`.
    fn path_of(&self, e: &Expr) -> Option<String> {
        if !self.tracing {
            return None;
        }
        match &e.kind {
            ExprKind::Applicant => Some(String::new()),
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            ExprKind::Local { local, .. } => self.locals.get(local.0 as usize)?.as_ref()?.1.clone(),
            ExprKind::Field { record, name, .. } => {
                let p = self.path_of(record)?;
                Some(if p.is_empty() { name.clone() } else { format!("{p}.{name}") })
            }
            _ => None,
        }
    }

    fn record_fact(&mut self, path: String, v: &Value, ty: &Type) {
        if !self.tracing || matches!(v, Value::Record(_)) || self.facts.iter().any(|f| f.path == path) {
            return;
        }
        let value = match v {
            Value::List(items) if items.is_empty() => "无".into(),
            _ => self.show(v, ty),
        };
        self.facts.push(Fact { path, value });
    }

    pub(crate) fn eval(&mut self, e: &Expr) -> R<Value> {
        let node = e.node;
        match &e.kind {
            ExprKind::Literal(l) => Ok(literal(l)),
            ExprKind::Template(parts) => Ok(Value::Text(Arc::from(self.template(parts)?.as_str()))),
            ExprKind::Undecided(reason) => {
                let text = match self.eval(reason)? {
                    Value::Text(t) => t.to_string(),
                    other => self.show(&other, &Type::Text),
                };
                Err(EvalError { message: Msg::same(text), node: Some(node), undecidable: true, internal: false })
            }
            ExprKind::Total => self
                .total
                .map(Value::Num)
                .ok_or_else(|| EvalError::hole(node, "这里没有用途的总分", "no purpose total here")),
            ExprKind::Applicant => Ok(self.applicant.clone()),
            ExprKind::AsOf => {
                let v = Value::Date(self.as_of);
                if self.tracing {
                    self.record_fact("评估日".into(), &v, &Type::Date);
                }
                Ok(v)
            }
            // u32 ids → usize in these arms: lossless (usize has at least 32 bits: lib.rs).
            ExprKind::Local { local, .. } => self
                .locals
                .get(local.0 as usize)
                .and_then(|s| s.as_ref())
                .map(|(v, _)| v.clone())
                .ok_or_else(|| EvalError::hole(node, "局部变量未绑定", "unbound local")),
            ExprKind::Const(id) => {
                let c = self
                    .policy
                    .constants
                    .get(id.0 as usize)
                    .ok_or_else(|| EvalError::hole(node, "未知常量", "unknown constant"))?;
                self.in_frame(c.locals, |it| it.eval(&c.value))
            }
            ExprKind::Field { record, field, .. } => {
                // A record reached by a path is read in place: only the field's value is copied.
                // Every record holds one value per declared field (absent ones as Absent), so a
                // field out of range is a fault, never a field left out.
                let no_field = || EvalError::hole(node, "记录没有这个字段", "the record has no such field");
                let v = match self.place(record) {
                    Some(Value::Record(fields)) => fields.get(*field as usize).cloned().ok_or_else(no_field)?,
                    Some(_) => return Err(EvalError::hole(node, "这里应为记录", "expected a record")),
                    None => {
                        let Value::Record(fields) = self.eval(record)? else {
                            return Err(EvalError::hole(node, "这里应为记录", "expected a record"));
                        };
                        fields.get(*field as usize).cloned().ok_or_else(no_field)?
                    }
                };
                if let Some(path) = self.path_of(e) {
                    self.record_fact(path, &v, &e.ty);
                }
                Ok(v)
            }
            ExprKind::Lookup { table, key } => self.lookup(e, *table, key),
            ExprKind::Neg(x) => {
                let v = num(&self.eval(x)?, node)?;
                Ok(Value::Num(-v))
            }
            ExprKind::Not(x) => Ok(Value::Bool(!boolean(&self.eval(x)?, node)?)),
            ExprKind::Arith(op, a, b) => {
                let (x, y) = (num(&self.eval(a)?, node)?, num(&self.eval(b)?, node)?);
                let r = match op {
                    ArithOp::Add => x.checked_add(y),
                    ArithOp::Sub => x.checked_sub(y),
                    ArithOp::Mul => x.checked_mul(y),
                    ArithOp::Div if y.is_zero() => return Err(EvalError::at(node, "除数为零", "division by zero")),
                    ArithOp::Div => x.checked_div(y),
                };
                let r = r.ok_or_else(|| overflow(node))?;
                if self.tracing {
                    let o = op.symbol();
                    let (left, right, result) = (
                        self.show(&Value::Num(x), &a.ty),
                        self.show(&Value::Num(y), &b.ty),
                        self.show(&Value::Num(r), &e.ty),
                    );
                    let text = format!("{} {left} {o} {right} = {result}", describe(a, self.policy));
                    match op {
                        ArithOp::Mul => self.step_rule(node, text, Rule::Times { left, right, result }),
                        _ => self.step(node, text),
                    }
                }
                Ok(Value::Num(r))
            }
            ExprKind::Compare(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                let ord = compare(&x, &y);
                let r = match op {
                    CmpOp::Eq => x == y,
                    CmpOp::Ne => x != y,
                    CmpOp::Lt => ord == Some(std::cmp::Ordering::Less),
                    CmpOp::Le => matches!(ord, Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)),
                    CmpOp::Gt => ord == Some(std::cmp::Ordering::Greater),
                    CmpOp::Ge => matches!(ord, Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)),
                };
                Ok(Value::Bool(r))
            }
            ExprKind::And(a, b) => self.connective(node, a, b, false),
            ExprKind::Or(a, b) => self.connective(node, a, b, true),
            ExprKind::Default(a, b) => match self.eval(a)? {
                Value::Absent => {
                    let v = self.eval(b)?;
                    if self.tracing {
                        let text = format!("{}：无，按缺省值 {} 计", describe(a, self.policy), self.show(&v, &e.ty));
                        self.step(node, text);
                    }
                    Ok(v)
                }
                v => Ok(v),
            },
            ExprKind::DateShift { date: d, amount, unit, backwards } => {
                let base = date(&self.eval(d)?, node)?;
                let n = whole(num(&self.eval(amount)?, node)?, node)?;
                let n = if *backwards { -n } else { n };
                let shifted = match unit {
                    DateUnit::Years => dates::add_years(base, n),
                    DateUnit::Months => dates::add_months(base, n),
                    DateUnit::Days => dates::add_days(base, n),
                }
                .ok_or_else(|| EvalError::at(node, "日期超出范围", "date out of range"))?;
                if self.tracing {
                    let text = format!("{} = {}", describe(e, self.policy), shifted.format("%Y-%m-%d"));
                    self.step(node, text);
                }
                Ok(Value::Date(shifted))
            }
            ExprKind::Between { value, low, high, below } => {
                let (v, lo, hi) = (self.eval(value)?, self.eval(low)?, self.eval(high)?);
                if let (Value::Date(d), Value::MonthDay(lm, ld), Value::MonthDay(hm, hd)) = (&v, &lo, &hi) {
                    let day = (chrono::Datelike::month(d), chrono::Datelike::day(d));
                    // 2月29日 is 28 February in a common year, as in 同年 and the full-years rule.
                    let leap = NaiveDate::from_ymd_opt(chrono::Datelike::year(d), 2, 29).is_some();
                    let in_year = |m: u32, dd: u32| if (m, dd) == (2, 29) && !leap { (2, 28) } else { (m, dd) };
                    let (from, to) = (in_year(*lm, *ld), in_year(*hm, *hd));
                    // A window that wraps the new year (12月1日 至 2月28日) holds on either side of it.
                    let before_end = if *below { day < to } else { day <= to };
                    let inside = if from <= to { from <= day && before_end } else { day >= from || before_end };
                    return Ok(Value::Bool(inside));
                }
                let under_high = match compare(&v, &hi) {
                    Some(std::cmp::Ordering::Less) => true,
                    Some(std::cmp::Ordering::Equal) => !*below,
                    _ => false,
                };
                let inside = matches!(compare(&lo, &v), Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal))
                    && under_high;
                Ok(Value::Bool(inside))
            }
            ExprKind::OneOf { value, variants } => match self.eval(value)? {
                Value::Variant(_, i) => Ok(Value::Bool(variants.contains(&i))),
                _ => Err(EvalError::hole(node, "这里应为枚举值", "expected an enumeration value")),
            },
            ExprKind::Step { quantity, every, gives, cap } => self.step_expr(e, quantity, every, gives, cap.as_deref()),
            ExprKind::If { cond, then, otherwise } => {
                let c = boolean(&self.eval(cond)?, node)?;
                if self.tracing {
                    let text = format!("{}：{}", describe(cond, self.policy), if c { "成立" } else { "不成立" });
                    self.step(node, text);
                }
                if c {
                    self.eval(then)
                } else {
                    self.eval(otherwise)
                }
            }
            ExprKind::IfLet { local, value, then, otherwise, .. } => {
                let v = self.eval(value)?;
                if v == Value::Absent {
                    if self.tracing {
                        let text = format!("{}：无，按「否则」计", describe(value, self.policy));
                        self.step(node, text);
                    }
                    self.eval(otherwise)
                } else {
                    let path = self.path_of(value);
                    self.bind(*local, v, path);
                    self.eval(then)
                }
            }
            ExprKind::Match { scrutinee, arms } => {
                let v = self.eval(scrutinee)?;
                let Value::Variant(_, i) = v else {
                    return Err(EvalError::hole(node, "这里应为枚举值", "expected an enumeration value"));
                };
                let arm = arms
                    .iter()
                    .find(|a| a.variants.contains(&i))
                    .or_else(|| arms.iter().find(|a| a.variants.is_empty()))
                    .ok_or_else(|| EvalError::hole(node, "没有匹配的分支", "no arm matches"))?;
                let r = self.eval(&arm.result)?;
                if self.tracing {
                    let which = if arm.variants.is_empty() { "（其他情形）" } else { "" };
                    let text = format!(
                        "{} {}{} → {}",
                        describe(scrutinee, self.policy),
                        self.show(&v, &scrutinee.ty),
                        which,
                        self.show(&r, &e.ty)
                    );
                    self.step(node, text);
                }
                Ok(r)
            }
            ExprKind::Brackets { scrutinee, arms, otherwise } => {
                let v = self.eval(scrutinee)?;
                let x = num(&v, node)?;
                let found = arms.iter().find(|b| b.from.is_none_or(|f| x >= f) && b.below.is_none_or(|t| x < t));
                let result = match (found, otherwise) {
                    (Some(b), _) => &b.result,
                    (None, Some(o)) => o.as_ref(),
                    (None, None) => return Err(EvalError::hole(node, "值不在任何分段内", "value in no bracket")),
                };
                let r = self.eval(result)?;
                if self.tracing {
                    let unit = match &scrutinee.ty {
                        Type::Number(u) => u.zh(),
                        _ => String::new(),
                    };
                    let range = match found {
                        Some(b) => {
                            let lo = b.from.map(|f| format!("满 {}{unit}", canonical(f)));
                            let hi = b.below.map(|t| format!("未满 {}{unit}", canonical(t)));
                            [lo, hi].into_iter().flatten().collect::<Vec<_>>().join(" ")
                        }
                        None => "其他情形".to_string(),
                    };
                    let (value, result) = (self.show(&v, &scrutinee.ty), self.show(&r, &e.ty));
                    let text = format!("{} {value}，{range} → {result}", describe(scrutinee, self.policy));
                    // An age (周岁（…）) is bracketed in 周岁, as the law words it, not in 年.
                    let unit = match scrutinee.kind {
                        ExprKind::Call { builtin: Builtin::Age, .. } => "周岁".to_string(),
                        _ => unit,
                    };
                    let bound = |d: Option<Decimal>| d.map(|d| format!("{}{unit}", canonical(d)));
                    let rule = Rule::Bracket {
                        value,
                        from: found.and_then(|b| bound(b.from)),
                        below: found.and_then(|b| bound(b.below)),
                        result,
                    };
                    self.step_rule(node, text, rule);
                }
                Ok(r)
            }
            ExprKind::Call { builtin, args } => self.call(e, *builtin, args),
            ExprKind::Aggregate { function, local, list, filter, value, range_end, .. } => {
                self.aggregate(e, *function, *local, list, filter.as_deref(), value.as_deref(), range_end.as_deref())
            }
        }
    }

    /// A template's text: its literal pieces as written, each value as a drafter reads it.
    fn template(&mut self, parts: &[Expr]) -> R<String> {
        let mut text = String::with_capacity(96);
        for p in parts {
            if let ExprKind::Literal(Literal::Text(t)) = &p.kind {
                text.push_str(t);
                continue;
            }
            match self.eval(p)? {
                Value::Text(t) => text.push_str(&t),
                other => other.show_into(&p.ty, self.policy, &mut text),
            }
        }
        Ok(text)
    }

    /// What a clause's message needs to be worded later: the values of a template's holes in
    /// order (none for plain words), or the text another expression gave; `None` when it gave no
    /// text. `report::reasons` puts the words together.
    pub(crate) fn message_values(&mut self, e: &Expr) -> R<Option<Vec<Value>>> {
        match &e.kind {
            ExprKind::Template(parts) => {
                let holes = parts.iter().filter(|p| !is_words(p));
                holes.map(|p| self.eval(p)).collect::<R<Vec<Value>>>().map(Some)
            }
            ExprKind::Literal(Literal::Text(_)) => Ok(Some(Vec::new())),
            _ => Ok(match self.eval(e)? {
                v @ Value::Text(_) => Some(vec![v]),
                _ => None,
            }),
        }
    }

    /// 且 (`decisive` = false) and 或 (`decisive` = true) in three-valued logic: a side equal to
    /// `decisive` settles the result even when the other side cannot be decided.
    fn connective(&mut self, node: NodeId, a: &Expr, b: &Expr, decisive: bool) -> R<Value> {
        let left = self.eval(a).and_then(|v| boolean(&v, node));
        match left {
            Ok(x) if x == decisive => Ok(Value::Bool(decisive)),
            Ok(_) => Ok(Value::Bool(boolean(&self.eval(b)?, node)?)),
            Err(e) if e.undecidable => match self.eval(b).and_then(|v| boolean(&v, node)) {
                Ok(y) if y == decisive => Ok(Value::Bool(decisive)),
                Err(f) if !f.undecidable => Err(f),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    fn lookup(&mut self, e: &Expr, table: TableId, key: &Expr) -> R<Value> {
        let node = e.node;
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let t = self
            .policy
            .tables
            .get(table.0 as usize)
            .ok_or_else(|| EvalError::hole(node, "未知的表", "unknown table"))?;
        let k = self.eval(key)?;
        let row = t.rows.iter().find(|r| literal(&r.key) == k).map(|r| &r.value).or(t.otherwise.as_ref());
        let Some(row) = row else {
            let shown = self.show(&k, &t.key_ty);
            let message = match (&t.missing, t.missing_key) {
                (Some(m), Some(key)) => self.in_frame(t.locals, |it| {
                    it.bind(key, k.clone(), None);
                    it.eval(m)
                })?,
                _ => Value::Text(Arc::from(format!("表「{}」中没有「{}」", t.name, shown).as_str())),
            };
            let text = match message {
                Value::Text(s) => s.to_string(),
                other => self.show(&other, &Type::Text),
            };
            return Err(EvalError { message: Msg::same(text), node: Some(node), undecidable: true, internal: false });
        };
        let v = self.in_frame(t.locals, |it| it.eval(row))?;
        if self.tracing {
            let text = format!("{}[{}] = {}", t.name, self.show(&k, &t.key_ty), self.show(&v, &t.value_ty));
            self.step(node, text);
        }
        Ok(v)
    }

    fn step_expr(&mut self, e: &Expr, quantity: &Expr, every: &Expr, gives: &Expr, cap: Option<&Expr>) -> R<Value> {
        let node = e.node;
        let q = num(&self.eval(quantity)?, node)?;
        let n = num(&self.eval(every)?, node)?;
        let m = num(&self.eval(gives)?, node)?;
        let c = match cap {
            Some(c) => Some(num(&self.eval(c)?, node)?),
            None => None,
        };
        if n <= Decimal::ZERO {
            return Err(EvalError::at(node, "「每满」的步长须大于零", "the step of `every` must be positive"));
        }
        let times = q.checked_div(n).ok_or_else(|| overflow(node))?.floor().max(Decimal::ZERO);
        let raw = times.checked_mul(m).ok_or_else(|| overflow(node))?;
        let result = match c {
            Some(c) if raw > c => c,
            _ => raw,
        };
        if !self.tracing {
            return Ok(Value::Num(result));
        }
        let unit_q = match &quantity.ty {
            Type::Number(u) => u.zh(),
            _ => String::new(),
        };
        let unit_m = match &gives.ty {
            Type::Number(u) => u.zh(),
            _ => String::new(),
        };
        let cap_note = match c {
            Some(c) if raw > c => format!("，超过上限，按上限 {}{unit_m} 计", canonical(c)),
            Some(c) => format!("，未达上限 {}{unit_m}", canonical(c)),
            None => String::new(),
        };
        let text = if n == Decimal::ONE {
            format!(
                "{} {}{unit_q} × {}{unit_m} = {}{unit_m}{cap_note}",
                describe(quantity, self.policy),
                canonical(q),
                canonical(m),
                canonical(raw)
            )
        } else {
            format!(
                "{} {}{unit_q}，满 {} 个 {}{unit_q} × {}{unit_m} = {}{unit_m}{cap_note}",
                describe(quantity, self.policy),
                canonical(q),
                canonical(times),
                canonical(n),
                canonical(m),
                canonical(raw)
            )
        };
        let rule = Rule::Every {
            every: format!("{}{unit_q}", canonical(n)),
            every_is_one: n == Decimal::ONE,
            gives: format!("{}{unit_m}", canonical(m)),
            times: canonical(times),
            raw: format!("{}{unit_m}", canonical(raw)),
            cap: c.map(|c| format!("{}{unit_m}", canonical(c))),
            capped: c.is_some_and(|c| raw > c),
        };
        self.step_rule(node, text, rule);
        Ok(Value::Num(result))
    }

    fn call(&mut self, e: &Expr, builtin: Builtin, args: &[Expr]) -> R<Value> {
        let node = e.node;
        // Builtins take at most a few arguments: they are evaluated into a buffer on the stack.
        let mut buffer = [Value::Absent, Value::Absent, Value::Absent];
        let spilled: Vec<Value>;
        let values: &[Value] = if args.len() <= buffer.len() {
            for (slot, a) in buffer.iter_mut().zip(args) {
                *slot = self.eval(a)?;
            }
            // args.len() ≤ buffer.len() here: the slice is always there.
            buffer.get(..args.len()).unwrap_or_default()
        } else {
            spilled = args.iter().map(|a| self.eval(a)).collect::<R<_>>()?;
            &spilled
        };
        let arg_date = |i: usize| {
            values
                .get(i)
                .ok_or_else(|| EvalError::hole(node, "缺少参数", "missing argument"))
                .and_then(|v| date(v, node))
        };
        let result = match builtin {
            Builtin::FullYears => Value::Num(Decimal::from(dates::full_years(arg_date(0)?, arg_date(1)?))),
            Builtin::Age => {
                let to = if values.len() > 1 { arg_date(1)? } else { self.as_of };
                Value::Num(Decimal::from(dates::full_years(arg_date(0)?, to)))
            }
            Builtin::Days => Value::Num(Decimal::from(dates::days_inclusive(arg_date(0)?, arg_date(1)?))),
            Builtin::Duration => Value::Text(dates::duration_text(arg_date(0)?, arg_date(1)?).into()),
            Builtin::Year => Value::Num(Decimal::from(chrono::Datelike::year(&arg_date(0)?))),
            Builtin::Magnitude => match values.first() {
                Some(Value::Num(d)) => Value::Num(*d),
                _ => return Err(EvalError::hole(node, "这里应为数", "expected a number")),
            },
            Builtin::SameYear => {
                let year = chrono::Datelike::year(&arg_date(0)?);
                let Some(Value::MonthDay(m, d)) = values.get(1) else {
                    return Err(EvalError::hole(node, "这里应为月日", "expected a day of the year"));
                };
                let date = NaiveDate::from_ymd_opt(year, *m, *d)
                    .or_else(|| NaiveDate::from_ymd_opt(year, *m, 28))
                    .ok_or_else(|| EvalError::at(node, "日期超出范围", "date out of range"))?;
                Value::Date(date)
            }
            Builtin::Max | Builtin::Min => extreme(values, builtin == Builtin::Max)
                .ok_or_else(|| EvalError::hole(node, "缺少参数", "missing argument"))?,
        };
        if !self.tracing {
            return Ok(result);
        }
        let shown: Vec<String> = values.iter().zip(args).map(|(v, a)| self.show(v, &a.ty)).collect();
        let text = match builtin {
            Builtin::Max | Builtin::Min => {
                format!(
                    "{}（{}）= {}",
                    crate::ir::functions::builtin_name(builtin),
                    shown.join("，"),
                    self.show(&result, &e.ty)
                )
            }
            _ => {
                let described: Vec<String> = args
                    .iter()
                    .zip(&shown)
                    .map(|(a, s)| {
                        if matches!(a.kind, ExprKind::Literal(_)) {
                            s.clone()
                        } else {
                            format!("{} {}", describe(a, self.policy), s)
                        }
                    })
                    .collect();
                format!(
                    "{}（{}）= {}",
                    crate::ir::functions::builtin_name(builtin),
                    described.join("，"),
                    self.show(&result, &e.ty)
                )
            }
        };
        self.step(node, text);
        Ok(result)
    }

    /// A list element as a person names it: its 称谓 (a child's name) and its first date
    /// (`小明（出生日期 2015-07-01）`), or its place in the list when it has no 称谓.
    fn name_of(&self, element: &Value, ty: &Type, index: usize) -> String {
        let Value::Record(fields) = element else { return self.show(element, ty) };
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let Some(def) = (match ty {
            Type::Record(r) => self.policy.records.get(r.0 as usize),
            _ => None,
        }) else {
            return format!("第{}项", index + 1);
        };
        let label = def.label_field.and_then(|f| match fields.get(f) {
            Some(Value::Text(t)) => Some(t.to_string()),
            _ => None,
        });
        let dated = def.fields.iter().zip(fields.iter()).find_map(|(f, v)| match v {
            Value::Date(d) => Some(format!("{}{}", f.name, d.format("%Y-%m-%d"))),
            _ => None,
        });
        match (label, dated) {
            (Some(l), Some(d)) => format!("{l}（{d}）"),
            (Some(l), None) => l,
            (None, Some(d)) => format!("第{}项（{d}）", index + 1),
            (None, None) => format!("第{}项", index + 1),
        }
    }

    /// The elements an aggregate keeps (its filter holds): their values, or their date ranges.
    #[allow(clippy::too_many_arguments)]
    fn collect(
        &mut self,
        node: NodeId,
        local: LocalId,
        elements: &[Value],
        base_path: Option<&str>,
        filter: Option<&Expr>,
        value: Option<&Expr>,
        range_end: Option<&Expr>,
    ) -> R<Collected> {
        let mut selected = Vec::new();
        let mut ranges = Vec::new();
        let mut kept = Vec::new();
        for (i, element) in elements.iter().enumerate() {
            let path = base_path.map(|p| format!("{p}[{}]", i + 1)).filter(|_| self.tracing);
            self.bind(local, element.clone(), path);
            if let Some(f) = filter {
                if !boolean(&self.eval(f)?, node)? {
                    continue;
                }
            }
            kept.push(i);
            match (value, range_end) {
                (Some(start), Some(end)) => {
                    let (s, t) = (date(&self.eval(start)?, node)?, date(&self.eval(end)?, node)?);
                    if self.tracing {
                        let days = dates::days_inclusive(s, t);
                        self.step(
                            node,
                            format!(
                                "第 {} 条：{} 至 {}，{} 日",
                                i + 1,
                                s.format("%Y-%m-%d"),
                                t.format("%Y-%m-%d"),
                                days
                            ),
                        );
                    }
                    ranges.push((s, t));
                }
                (Some(v), None) => selected.push(self.eval(v)?),
                // Without a value an aggregate only counts what it kept.
                _ => {}
            }
        }
        Ok((selected, ranges, kept))
    }

    #[allow(clippy::too_many_arguments)]
    fn aggregate(
        &mut self,
        e: &Expr,
        function: Aggregate,
        local: LocalId,
        list: &Expr,
        filter: Option<&Expr>,
        value: Option<&Expr>,
        range_end: Option<&Expr>,
    ) -> R<Value> {
        let node = e.node;
        let Value::List(elements) = self.eval(list)? else {
            return Err(EvalError::hole(node, "这里应为列表", "expected a list"));
        };
        let base_path = self.path_of(list);
        // The elements' steps become the aggregate's children, whether or not an element fails.
        if self.tracing {
            self.steps.push(Vec::new());
        }
        let collected = self.collect(node, local, &elements, base_path.as_deref(), filter, value, range_end);
        // Tracing, the list popped is the one pushed just above.
        let children = if self.tracing { self.steps.pop().unwrap_or_default() } else { Vec::new() };
        let (selected, ranges, kept_at) = collected?;
        let kept = kept_at.len();
        let result = match function {
            Aggregate::Count => Value::Num(Decimal::from(kept)),
            Aggregate::Sum => {
                let mut total = Decimal::ZERO;
                for v in &selected {
                    total = total.checked_add(num(v, node)?).ok_or_else(|| overflow(node))?;
                }
                Value::Num(total)
            }
            // None selected has no greatest or least: Absent, which the checker's optional type
            // (取最高/取最低 over a list give an optional value) makes the policy handle.
            Aggregate::Max | Aggregate::Min => extreme(&selected, function == Aggregate::Max).unwrap_or(Value::Absent),
            Aggregate::Any if value.is_none() => Value::Bool(kept > 0),
            Aggregate::Any => Value::Bool(selected.contains(&Value::Bool(true))),
            Aggregate::All => Value::Bool(selected.iter().all(|v| *v == Value::Bool(true))),
            Aggregate::UnionDays => Value::Num(Decimal::from(dates::union_days(&ranges))),
        };
        if !self.tracing {
            return Ok(result);
        }
        let shown = match (&result, function) {
            (Value::Absent, _) => "无".to_string(),
            (_, Aggregate::UnionDays) => {
                format!("{} 日（同一日期只计一次）", self.show(&result, &Type::Number(Unit::NONE)))
            }
            _ => self.show(&result, &e.ty),
        };
        let text = format!(
            "{}：{} 条中 {} 条符合 = {}",
            trace::describe_aggregate(e, self.policy),
            elements.len(),
            kept,
            shown
        );
        let rule = match function {
            Aggregate::UnionDays => Some(Rule::Union {
                kept,
                merged: dates::merged(&ranges),
                days: self.show(&result, &Type::Number(Unit::NONE)),
            }),
            // 任一: the elements that made it hold, by name.
            Aggregate::Any if result == Value::Bool(true) => {
                let matched: Vec<usize> = match value {
                    Some(_) => kept_at
                        .iter()
                        .zip(&selected)
                        .filter(|(_, v)| **v == Value::Bool(true))
                        .map(|(i, _)| *i)
                        .collect(),
                    None => kept_at,
                };
                let element_ty = match &list.ty {
                    Type::List(t) => Some(t.as_ref()),
                    _ => None,
                };
                let named =
                    matched.iter().filter_map(|i| Some(self.name_of(elements.get(*i)?, element_ty?, *i))).collect();
                Some(Rule::Matched { named })
            }
            _ => None,
        };
        if let Some(top) = self.steps.last_mut() {
            top.push(Step { node, text, rule, children });
        }
        Ok(result)
    }
}

/// The value of a literal (field defaults, table keys).
pub fn literal(l: &Literal) -> Value {
    match l {
        Literal::Number(d) => Value::Num(*d),
        Literal::Bool(b) => Value::Bool(*b),
        Literal::Text(t) => Value::Text(Arc::from(t.as_str())),
        Literal::Date(d) => Value::Date(*d),
        Literal::MonthDay(m, d) => Value::MonthDay(*m, *d),
        Literal::Variant(e, i) => Value::Variant(*e, *i),
        Literal::EmptyList => Value::List(Arc::new(Vec::new())),
        Literal::Absent => Value::Absent,
    }
}

/// What an aggregate collected: the kept elements' values, their date ranges, and which elements
/// it kept (by position).
type Collected = (Vec<Value>, Vec<(NaiveDate, NaiveDate)>, Vec<usize>);

/// The greatest (or least) of numbers or dates; the first one wins a tie.
fn extreme(values: &[Value], greatest: bool) -> Option<Value> {
    let want = if greatest { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Less };
    let mut best: Option<&Value> = None;
    for v in values {
        best = match best {
            Some(b) if compare(v, b) != Some(want) => Some(b),
            _ => Some(v),
        };
    }
    best.cloned()
}

/// Order of numbers and dates; `None` for values without an order.
fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
