//! "Did you mean …?" and the tables of names the language itself defines.

use crate::ir::{Aggregate, Builtin};

/// The closest candidate to `name`, if one is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 2).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (strsim::levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        // On a tie, the candidate of the same length (日其 → 日期, not 日).
        .min_by_key(|(d, c)| (*d, c.chars().count().abs_diff(len), c.chars().count()))
        .map(|(_, c)| c)
}

pub use crate::syntax::keywords::glued_keyword;

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
        .unwrap_or("?")
}

pub fn aggregate_name(a: Aggregate) -> &'static str {
    FUNCTIONS
        .iter()
        .find_map(|(zh, _, k)| match k {
            FunctionKind::Over(x) | FunctionKind::Both(_, x) if *x == a => Some(*zh),
            _ => None,
        })
        .unwrap_or("?")
}

/// Builtin type names (besides unit words): 文本 日期 布尔 数 整数 小数, and 列表<…>.
pub const TYPE_NAMES: &[(&str, &str)] =
    &[("文本", "text"), ("日期", "date"), ("布尔", "bool"), ("数", "number"), ("整数", "integer"), ("小数", "decimal")];
pub const LIST_TYPE: (&str, &str) = ("列表", "list");
