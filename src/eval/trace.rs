//! The trace of an evaluation: per item, the applicant's facts it read and the steps it took,
//! each step tied to the IR node (and so, through the span table, to the policy line).

use crate::ir::functions::{aggregate_name, builtin_name};
use crate::ir::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// `学历`, `住所.类型`, `从业记录[1].开始日期`
    pub path: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    #[serde(skip)]
    pub node: NodeId,
    /// The arithmetic or decision, instantiated: `社保累计月数 86个月 每满 1个月 计 0.5分 = 43分`.
    pub text: String,
    /// What the step computed, as values, for an explanation in the law's words; `None` for a
    /// step that only leads to the one that counts (a branch taken, a look-up, a default).
    #[serde(skip)]
    pub rule: Option<Rule>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Step>,
}

/// The arithmetic of a step, its values shown with their units (`86个月`, `0.5分`).
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// 每满 `every` 计 `gives`: `times` whole steps give `raw`, held to `cap` when over it.
    Every {
        every: String,
        every_is_one: bool,
        gives: String,
        times: String,
        raw: String,
        cap: Option<String>,
        capped: bool,
    },
    /// 分段: the bracket the value fell in (neither bound: 其他情形).
    Bracket { value: String, from: Option<String>, below: Option<String>, result: String },
    /// `left × right = result`.
    Times { left: String, right: String, result: String },
    /// 任一 that held: the elements that made it hold, as a person names them.
    Matched { named: Vec<String> },
    /// 合并天数: the kept date ranges, merged, and the days they cover.
    Union { kept: usize, merged: Vec<(chrono::NaiveDate, chrono::NaiveDate)>, days: String },
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ItemTrace {
    pub facts: Vec<Fact>,
    pub steps: Vec<Step>,
    /// The values of the item's 说明 holes, in order (words are put together by `report/`).
    #[serde(skip)]
    pub description: Option<Vec<super::value::Value>>,
}

/// A short rendering of an IR expression, for step texts: `申请人.学历` → `学历`.
pub fn describe(e: &Expr, policy: &Policy) -> String {
    match &e.kind {
        ExprKind::Literal(l) => match l {
            Literal::Number(d) => match &e.ty {
                Type::Number(u) => format!("{}{}", super::value::canonical(*d), u.zh()),
                _ => super::value::canonical(*d),
            },
            Literal::Bool(true) => "真".into(),
            Literal::Bool(false) => "假".into(),
            Literal::Text(t) => format!("“{t}”"),
            Literal::Date(d) => d.format("%Y-%m-%d").to_string(),
            Literal::MonthDay(m, d) => format!("{m}月{d}日"),
            Literal::Variant(en, i) => policy.variant_name(*en, *i).to_string(),
            Literal::EmptyList => "[]".into(),
            Literal::Absent => "无".into(),
        },
        ExprKind::Template(parts) => {
            let inner: String = parts
                .iter()
                .map(|p| match &p.kind {
                    ExprKind::Literal(Literal::Text(t)) => t.clone(),
                    _ => format!("{{{}}}", describe(p, policy)),
                })
                .collect();
            format!("“{inner}”")
        }
        ExprKind::Total => "总分".into(),
        ExprKind::Undecided(reason) => format!("待定 {}", describe(reason, policy)),
        ExprKind::Applicant => "申请人".into(),
        ExprKind::AsOf => "评估日".into(),
        ExprKind::Local { name, .. } => name.clone(),
        // A constant or table the IR lacks is shown as "?", never as a blank name (u32 ids widen
        // losslessly to index: lib.rs).
        ExprKind::Const(id) => policy.constants.get(id.0 as usize).map_or_else(|| "?".into(), |c| c.name.clone()),
        ExprKind::Field { record, name, .. } => match &record.kind {
            ExprKind::Applicant => name.clone(),
            _ => format!("{}.{}", describe(record, policy), name),
        },
        ExprKind::Lookup { table, key } => {
            let t = policy.tables.get(table.0 as usize).map_or("?", |t| t.name.as_str());
            format!("{t}[{}]", describe(key, policy))
        }
        ExprKind::Neg(x) => format!("−{}", describe(x, policy)),
        ExprKind::Not(x) => format!("非 {}", describe(x, policy)),
        ExprKind::Arith(op, a, b) => {
            let o = op.symbol();
            format!("{} {o} {}", describe(a, policy), describe(b, policy))
        }
        ExprKind::Compare(op, a, b) => {
            format!("{} {} {}", describe(a, policy), crate::ir::words::cmp_symbol(*op), describe(b, policy))
        }
        ExprKind::And(a, b) => format!("{} 且 {}", grouped(a, policy, true), grouped(b, policy, true)),
        ExprKind::Or(a, b) => format!("{} 或 {}", grouped(a, policy, false), grouped(b, policy, false)),
        ExprKind::Default(a, b) => format!("{} 缺省 {}", describe(a, policy), describe(b, policy)),
        ExprKind::DateShift { date, amount, backwards, .. } => {
            format!("{} {} {}", describe(date, policy), if *backwards { "−" } else { "+" }, describe(amount, policy))
        }
        ExprKind::Between { value, low, high, below: false } => {
            format!("{} 介于 {} 至 {}", describe(value, policy), describe(low, policy), describe(high, policy))
        }
        ExprKind::Between { value, low, high, below: true } => {
            format!("{} 满 {} 未满 {}", describe(value, policy), describe(low, policy), describe(high, policy))
        }
        ExprKind::OneOf { value, variants } => {
            let names: Vec<&str> = match &value.ty {
                Type::Enum(en) => variants.iter().map(|v| policy.variant_name(*en, *v)).collect(),
                _ => Vec::new(),
            };
            format!("{} 是 {} 之一", describe(value, policy), names.join("、"))
        }
        ExprKind::Step { quantity, every, gives, .. } => {
            format!("{} 每满 {} 计 {}", describe(quantity, policy), describe(every, policy), describe(gives, policy))
        }
        ExprKind::If { cond, then, otherwise } => {
            format!("若 {} 则 {} 否则 {}", describe(cond, policy), describe(then, policy), describe(otherwise, policy))
        }
        ExprKind::IfLet { name, value, then, otherwise, .. } => format!(
            "若有 {name} = {} 则 {} 否则 {}",
            describe(value, policy),
            describe(then, policy),
            describe(otherwise, policy)
        ),
        ExprKind::Match { scrutinee, .. } => format!("匹配 {}", describe(scrutinee, policy)),
        ExprKind::Brackets { scrutinee, .. } => format!("分段 {}", describe(scrutinee, policy)),
        ExprKind::Call { builtin, args } => {
            let a: Vec<String> = args.iter().map(|x| describe(x, policy)).collect();
            format!("{}（{}）", builtin_name(*builtin), a.join("，"))
        }
        ExprKind::Aggregate { function, name, list, .. } => {
            format!("{}（{} 属于 {} …）", aggregate_name(*function), name, describe(list, policy))
        }
    }
}

/// An operand of 且/或, in parentheses when it is the other connective (so `a 或 （b 且 c）` reads right).
fn grouped(e: &Expr, policy: &Policy, inside_and: bool) -> String {
    let other = if inside_and { matches!(e.kind, ExprKind::Or(..)) } else { matches!(e.kind, ExprKind::And(..)) };
    if other {
        format!("（{}）", describe(e, policy))
    } else {
        describe(e, policy)
    }
}

/// An aggregate written out whole — its filter and value too — for the step that computes it.
pub fn describe_aggregate(e: &Expr, policy: &Policy) -> String {
    let ExprKind::Aggregate { function, name, list, filter, value, range_end, .. } = &e.kind else {
        return describe(e, policy);
    };
    // A part the aggregate does not have is not written.
    let filter = filter.as_ref().map(|f| format!(" 其中 {}", describe(f, policy))).unwrap_or_default();
    let value = value.as_ref().map(|v| format!("：{}", describe(v, policy))).unwrap_or_default();
    let end = range_end.as_ref().map(|v| format!(" 至 {}", describe(v, policy))).unwrap_or_default();
    format!("{}（{} 属于 {}{filter}{value}{end}）", aggregate_name(*function), name, describe(list, policy))
}
