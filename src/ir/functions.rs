//! The functions of the language, by the names it gives them (one table, shared by the checker
//! that resolves them and every renderer that writes them back).

use super::{Aggregate, Builtin};

/// Functions of the language: (Chinese name, English alias, what it is).
pub const FUNCTIONS: &[(&str, &str, FunctionKind)] = &[
    ("满年数", "full_years", FunctionKind::Call(Builtin::FullYears)),
    ("周岁", "age", FunctionKind::Call(Builtin::Age)),
    ("天数", "days", FunctionKind::Call(Builtin::Days)),
    ("时长", "duration", FunctionKind::Call(Builtin::Duration)),
    ("年份", "year_of", FunctionKind::Call(Builtin::Year)),
    ("同年", "same_year", FunctionKind::Call(Builtin::SameYear)),
    ("数值", "magnitude", FunctionKind::Call(Builtin::Magnitude)),
    ("取最高", "max", FunctionKind::Both(Builtin::Max, Aggregate::Max)),
    ("取最低", "min", FunctionKind::Both(Builtin::Min, Aggregate::Min)),
    ("合计", "sum", FunctionKind::Over(Aggregate::Sum)),
    ("计数", "count", FunctionKind::Over(Aggregate::Count)),
    ("任一", "any", FunctionKind::Over(Aggregate::Any)),
    ("全部", "all", FunctionKind::Over(Aggregate::All)),
    ("合并天数", "union_days", FunctionKind::Over(Aggregate::UnionDays)),
];

#[derive(Clone, Copy)]
pub enum FunctionKind {
    /// Called with arguments only.
    Call(Builtin),
    /// Called over a list only (`x 属于 列表 …`).
    Over(Aggregate),
    /// Either form.
    Both(Builtin, Aggregate),
}

pub fn function(name: &str) -> Option<FunctionKind> {
    FUNCTIONS.iter().find(|(zh, en, _)| *zh == name || *en == name).map(|(_, _, k)| *k)
}

/// How a builtin is called, for argument-count errors.
pub fn builtin_signature(b: Builtin) -> &'static str {
    match b {
        Builtin::FullYears => "满年数（起始日期，截止日期）",
        Builtin::Age => "周岁（生日）或 周岁（生日，日期）",
        Builtin::Days => "天数（起始日期，截止日期）",
        Builtin::Duration => "时长（起始日期，截止日期）",
        Builtin::Year => "年份（日期）",
        Builtin::Max => "取最高（值，值，…）",
        Builtin::Min => "取最低（值，值，…）",
        Builtin::SameYear => "同年（日期，月日）",
        Builtin::Magnitude => "数值（数量）",
    }
}

pub fn builtin_name(b: Builtin) -> &'static str {
    FUNCTIONS
        .iter()
        .find_map(|(zh, _, k)| match k {
            FunctionKind::Call(x) | FunctionKind::Both(x, _) if *x == b => Some(*zh),
            _ => None,
        })
        // Every builtin has its spelling in FUNCTIONS; one without would show as "?", no name.
        .unwrap_or("?")
}

pub fn aggregate_name(a: Aggregate) -> &'static str {
    FUNCTIONS
        .iter()
        .find_map(|(zh, _, k)| match k {
            FunctionKind::Over(x) | FunctionKind::Both(_, x) if *x == a => Some(*zh),
            _ => None,
        })
        // Every aggregate has its spelling in FUNCTIONS; one without would show as "?", no name.
        .unwrap_or("?")
}
