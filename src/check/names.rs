//! "Did you mean …?" and the tables of names the language itself defines.

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

pub use crate::ir::functions::{aggregate_name, builtin_name, builtin_signature, function, FunctionKind, FUNCTIONS};

/// Builtin type names (besides unit words): 文本 日期 布尔 数 整数 小数, and 列表<…>.
pub const TYPE_NAMES: &[(&str, &str)] =
    &[("文本", "text"), ("日期", "date"), ("布尔", "bool"), ("数", "number"), ("整数", "integer"), ("小数", "decimal")];
pub const LIST_TYPE: (&str, &str) = ("列表", "list");
