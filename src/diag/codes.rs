//! Stable diagnostic codes. A code never changes meaning once released; retired codes are not reused.
//! Each code has a fixture in `tests/diagnostics/` that triggers it and a snapshot of its rendering.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Code {
    /// E0001 — the text does not follow the grammar.
    SyntaxError,
    /// E0002 — a date literal that is not a calendar date (2021-02-30).
    BadDate,
    /// E0003 — a unit the language does not know in a type (`整数 公里`).
    UnknownUnit,
    /// E0004 — a quote or bracket without its closer (reported at the opener).
    UnclosedDelimiter,
    /// E0005 — a closer that does not match its opener (“ closed by "), or that closes nothing.
    MismatchedDelimiter,
    /// E0006 — 若 (if) without 否则 (else).
    MissingElse,
    /// E0101 — a name that is not declared (with the closest declared name).
    UnknownName,
    /// E0102 — a field that the record type does not declare.
    UnknownField,
    /// E0103 — a type name that is not declared.
    UnknownType,
    /// E0104 — a value that the enumeration does not have.
    UnknownVariant,
    /// E0105 — a function the language does not have.
    UnknownFunction,
    /// E0106 — a citation of a document the policy does not declare.
    UnknownDocument,
    /// E0107 — a citation of an item id the cited document does not declare.
    UnknownCitationTarget,
    /// E0108 — a citation of an article the cited document does not have (第九十九条).
    UnknownArticle,
    /// E0109 — a citation by article number of a document numbered by ids (计分标准 第三十条).
    ArticleNumbering,
    /// E0110 — two declarations with the same name or id.
    Duplicate,
    /// E0120 — constants or tables that depend on each other.
    Cycle,
    /// E0201 — a value of the wrong type.
    TypeMismatch,
    /// E0202 — arithmetic on quantities of different units (元 + 分).
    UnitMismatch,
    /// E0204 — a comparison of quantities of different units (个月 >= 年).
    UnitComparison,
    /// E0205 — an optional value used without handling its absence.
    OptionalNotHandled,
    /// E0206 — a function called with the wrong number of arguments.
    ArgumentCount,
    /// E0207 — a scoring item whose formula does not give 分.
    ItemNotPoints,
    /// E0208 — 总分 outside a purpose's clauses or a ranking.
    TotalOutsidePurpose,
    /// E0301 — a match that does not cover every value of the enumeration.
    NonExhaustiveMatch,
    /// E0302 — a match arm or table row for a value already covered.
    UnreachableArm,
    /// E0303 — two brackets that overlap.
    BracketOverlap,
    /// E0304 — brackets that leave values uncovered and have no 其他情形.
    BracketNotTotal,
    /// W0305 — a gap between two adjacent brackets (covered only by 其他情形).
    BracketGap,
    /// E0306 — a table without a row for some key.
    TableMissingKey,
    /// E0401 — the policy lacks a required declaration (政策, 申请人, 文件).
    MissingDeclaration,
    /// E0403 — a document the policy's 包括 does not list.
    DocumentNotIncluded,
    /// E0501 — a static assertion (约束) that does not hold for some row.
    AssertionFailed,
    /// E0502 — a static assertion that depends on the applicant or the evaluation date.
    AssertionNotStatic,
    /// E0503 — a 介于 whose constant bounds are reversed (an empty range), or 次年 misused.
    BoundsReversed,
    /// E0504 — a 每满 step or a divisor that is a constant zero.
    ZeroStep,
    /// W0401 — a constant or table that nothing uses.
    UnusedDeclaration,
    /// W0402 — an enumeration value that no rule, table row or default names.
    UnusedVariant,
    /// W0403 — a record field that no rule reads.
    UnusedField,
    /// W0404 — a scoring item whose category no purpose counts.
    ItemNotCounted,
    /// W0405 — a table looked up under a condition that admits a key it does not list (未列出).
    LookupReachesMissing,
    /// W0406 — a clause or item without a 说明 in a policy that words its other rules.
    MissingDescription,
    /// W0001 — a declaration without a citation.
    MissingCitation,
    /// E0999 — a fault of jifen itself, not of the policy (it cannot compute what it must). No
    /// policy triggers it, so it has no fixture and no page, and is left out of `Code::ALL`.
    Internal,
    /// W0002 — an article reference that is not written as 第…条.
    CitationFormat,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::SyntaxError,
        Code::BadDate,
        Code::UnknownUnit,
        Code::UnclosedDelimiter,
        Code::MismatchedDelimiter,
        Code::MissingElse,
        Code::UnknownName,
        Code::UnknownField,
        Code::UnknownType,
        Code::UnknownVariant,
        Code::UnknownFunction,
        Code::UnknownDocument,
        Code::UnknownCitationTarget,
        Code::UnknownArticle,
        Code::ArticleNumbering,
        Code::Duplicate,
        Code::Cycle,
        Code::TypeMismatch,
        Code::UnitMismatch,
        Code::UnitComparison,
        Code::OptionalNotHandled,
        Code::ArgumentCount,
        Code::ItemNotPoints,
        Code::TotalOutsidePurpose,
        Code::NonExhaustiveMatch,
        Code::UnreachableArm,
        Code::BracketOverlap,
        Code::BracketNotTotal,
        Code::BracketGap,
        Code::TableMissingKey,
        Code::MissingDeclaration,
        Code::DocumentNotIncluded,
        Code::AssertionFailed,
        Code::AssertionNotStatic,
        Code::BoundsReversed,
        Code::ZeroStep,
        Code::UnusedDeclaration,
        Code::UnusedVariant,
        Code::UnusedField,
        Code::ItemNotCounted,
        Code::LookupReachesMissing,
        Code::MissingDescription,
        Code::MissingCitation,
        Code::CitationFormat,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::SyntaxError => "E0001",
            Code::BadDate => "E0002",
            Code::UnknownUnit => "E0003",
            Code::UnclosedDelimiter => "E0004",
            Code::MismatchedDelimiter => "E0005",
            Code::MissingElse => "E0006",
            Code::UnknownName => "E0101",
            Code::UnknownField => "E0102",
            Code::UnknownType => "E0103",
            Code::UnknownVariant => "E0104",
            Code::UnknownFunction => "E0105",
            Code::UnknownDocument => "E0106",
            Code::UnknownCitationTarget => "E0107",
            Code::UnknownArticle => "E0108",
            Code::ArticleNumbering => "E0109",
            Code::Duplicate => "E0110",
            Code::Cycle => "E0120",
            Code::TypeMismatch => "E0201",
            Code::UnitMismatch => "E0202",
            Code::UnitComparison => "E0204",
            Code::OptionalNotHandled => "E0205",
            Code::ArgumentCount => "E0206",
            Code::ItemNotPoints => "E0207",
            Code::TotalOutsidePurpose => "E0208",
            Code::NonExhaustiveMatch => "E0301",
            Code::UnreachableArm => "E0302",
            Code::BracketOverlap => "E0303",
            Code::BracketNotTotal => "E0304",
            Code::BracketGap => "W0305",
            Code::TableMissingKey => "E0306",
            Code::MissingDeclaration => "E0401",
            Code::DocumentNotIncluded => "E0403",
            Code::AssertionFailed => "E0501",
            Code::AssertionNotStatic => "E0502",
            Code::BoundsReversed => "E0503",
            Code::ZeroStep => "E0504",
            Code::UnusedDeclaration => "W0401",
            Code::UnusedVariant => "W0402",
            Code::UnusedField => "W0403",
            Code::ItemNotCounted => "W0404",
            Code::LookupReachesMissing => "W0405",
            Code::MissingDescription => "W0406",
            Code::MissingCitation => "W0001",
            Code::CitationFormat => "W0002",
            Code::Internal => "E0999",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
