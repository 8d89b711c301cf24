//! The typed IR: the contract between the checker and the interpreter (and the diff).
//!
//! Serialisable and versioned. Names are resolved to indices, every expression carries its type,
//! and no value holds a span: spans live in [`SpanTable`], indexed by [`NodeId`], so reformatting a
//! policy never changes its IR.

pub mod digest;
pub mod functions;
pub mod types;
pub mod visit;
pub mod words;

use crate::syntax::span::Span;
use chrono::NaiveDate;
pub use digest::{Digest, Origin};
use rust_decimal::Decimal;
use serde::Serialize;
pub use types::{BaseUnit, EnumId, RecordId, Type, Unit};

/// Bumped whenever the serialised shape of the IR changes.
pub const IR_FORMAT: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct NodeId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ConstId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct TableId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LocalId(pub u32);

/// Where each IR node came from, for traces (`explain --source`) and runtime diagnostics.
#[derive(Debug, Clone, Default)]
pub struct SpanTable {
    spans: Vec<Span>,
}

impl SpanTable {
    pub fn push(&mut self, span: Span) -> NodeId {
        self.spans.push(span);
        // Past u32::MAX the ids saturate, and `overflowed` makes the checker refuse the policy:
        // no saturated id reaches an IR.
        NodeId(u32::try_from(self.spans.len() - 1).unwrap_or(u32::MAX))
    }

    /// Whether more nodes were made than a NodeId can number (then ids past u32::MAX name one node).
    pub fn overflowed(&self) -> bool {
        self.spans.len().checked_sub(1).is_some_and(|last| u32::try_from(last).is_err())
    }

    pub fn get(&self, id: NodeId) -> Option<Span> {
        // u32 → usize widens losslessly (usize has at least 32 bits: see lib.rs).
        self.spans.get(id.0 as usize).copied()
    }
}

/// A citation: `标准 [分项标识]` (a document and an item or route id) or `办法 第十条`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Cite {
    pub document: String,
    pub target: CiteTarget,
    /// The paragraph of the article (`二` in `第七条（二）`). Explanations cite it; the contract's
    /// `cite`, a clause's identity in diffs and [`Cite::text`] stay at the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum CiteTarget {
    Id(String),
    Article(String),
}

impl Cite {
    /// `积分管理办法 第十条`, `计分标准 [社会保险]`: as Display writes it, without the formatter.
    pub fn text(&self) -> String {
        let (open, target, close) = match &self.target {
            CiteTarget::Id(id) => (" [", id, "]"),
            CiteTarget::Article(a) => (" ", a, ""),
        };
        let mut s = String::with_capacity(self.document.len() + open.len() + target.len() + close.len());
        s.push_str(&self.document);
        s.push_str(open);
        s.push_str(target);
        s.push_str(close);
        s
    }
}

/// The number a paragraph of the law opens with: `二` for “（二）评估日年满18周岁；”.
pub fn paragraph_number(text: &str) -> Option<String> {
    let rest = text.strip_prefix('（').or_else(|| text.strip_prefix('('))?;
    let end = rest.find(['）', ')'])?;
    let number = rest.get(..end)?;
    (!number.is_empty() && number.chars().all(|c| !c.is_whitespace())).then(|| number.to_string())
}

impl Cite {
    /// Down to the paragraph where the citation names one: `积分管理办法 第七条（二）`.
    pub fn precise(&self) -> String {
        match &self.paragraph {
            Some(p) => format!("{}（{p}）", self.text()),
            None => self.text(),
        }
    }
}

impl std::fmt::Display for Cite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.target {
            CiteTarget::Id(id) => write!(f, "{} [{}]", self.document, id),
            CiteTarget::Article(a) => write!(f, "{} {}", self.document, a),
        }
    }
}

/// What every declaration carries: its citations and whether its figures are modelled values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    pub cites: Vec<Cite>,
    /// `Some(note)` when the figures are modelled values, not official ones.
    pub modelled: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub format: u32,
    pub name: String,
    pub version: String,
    /// The period the policy is in force; evaluating outside it adds a warning citing `effective_cite`.
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub effective_cite: Option<Cite>,
    /// The warning's text (a template over 评估日), when the policy words it.
    pub effective_warning: Option<Expr>,
    pub effective_warning_locals: u32,
    pub documents: Vec<Document>,
    pub enums: Vec<EnumDef>,
    pub records: Vec<RecordDef>,
    pub applicant: RecordId,
    pub constants: Vec<ConstDef>,
    pub tables: Vec<TableDef>,
    pub items: Vec<ItemDef>,
    pub purposes: Vec<PurposeDef>,
    pub routes: Vec<RouteDef>,
    pub rankings: Vec<RankingDef>,
    pub assertions: Vec<AssertionDef>,
    /// The policy's own test cases (测试), run by `jifen test`.
    pub tests: Vec<TestDef>,
    /// The audit hash of everything above ([`digest`]), set once the policy has checked.
    #[serde(skip)]
    pub digest: Digest,
}

/// A test case: an applicant's facts, the evaluation date, and what is expected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestDef {
    pub name: String,
    /// Where the test is written (its span), for reports.
    pub node: NodeId,
    pub as_of: Option<NaiveDate>,
    /// The applicant's facts, as the record would give them (field name → value).
    pub facts: Vec<(String, TestValue)>,
    pub expected: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TestValue {
    Lit(Literal),
    Record(Vec<(String, TestValue)>),
    List(Vec<TestValue>),
}

/// A status a test expects, as the law names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ExpectedStatus {
    Eligible,
    Ineligible,
    Undecidable,
    NotApplicable,
    Closed,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Expected {
    Purpose { purpose: u32, status: ExpectedStatus, reason: Option<String> },
    Route { route: u32, status: ExpectedStatus, reason: Option<String> },
    Item { item: u32, points: Decimal },
    Total { purpose: u32, points: Decimal },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClauseKind {
    /// 适用: when false, not_applicable.
    Applies,
    /// 期间: when false, closed.
    Window,
    /// 条件: when false, ineligible; when undecidable, error.
    Condition,
}

/// One decided clause of a purpose or route: the test, why it fails, and the article stating it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClauseDef {
    pub kind: ClauseKind,
    /// The label the drafter pinned (`条件 [年满十八周岁] …`), the clause's identity in diffs.
    pub label: Option<String>,
    pub test: Expr,
    /// 说明: the clause in the law's words (text), with the applicant's facts filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Expr>,
    pub message: Expr,
    pub cite: Cite,
    /// `Some(note)` when the clause's own figures are modelled values (`模拟取值 “受理期”`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modelled: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PurposeDef {
    pub name: String,
    pub title: Option<String>,
    /// The categories its total counts (扣减分 counted negatively), and the article saying so.
    pub categories: Vec<Category>,
    pub categories_cite: Option<Cite>,
    pub clauses: Vec<ClauseDef>,
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum RouteBody {
    /// The route has the status and reasons of a purpose (index into `purposes`).
    SameAs(u32),
    Clauses {
        clauses: Vec<ClauseDef>,
        locals: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteDef {
    pub id: String,
    pub title: Option<String>,
    pub body: RouteBody,
    pub provenance: Provenance,
}

/// Ordered tie-break keys for ranking the eligible applicants of some purposes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingDef {
    pub purposes: Vec<u32>,
    /// `分组 申请人.居住地`: an enumeration; each of its values is a round with its own quota.
    pub group: Option<Expr>,
    pub keys: Vec<RankKey>,
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankKey {
    pub key: Expr,
    pub descending: bool,
}

/// A static assertion over every row of a table, proved at compile time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssertionDef {
    pub title: String,
    pub table: TableId,
    pub local: LocalId,
    pub var: String,
    pub test: Expr,
    pub message: Expr,
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub name: String,
    pub title: String,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub modelled: Option<String>,
    /// The document's articles (条文), when the policy declares them.
    pub articles: Vec<Article>,
}

/// One article of a document, as the policy transcribes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// `第四条`, for a document numbered by articles.
    pub number: Option<String>,
    /// `人才落户` (written `[人才落户]`), for a part known by an id.
    pub id: Option<String>,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumDef {
    pub name: String,
    pub variants: Vec<String>,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordDef {
    pub name: String,
    pub fields: Vec<FieldDef>,
    pub provenance: Provenance,
    /// Index of the field marked 标识.
    pub id_field: Option<usize>,
    /// Index of the field marked 评估日.
    pub as_of_field: Option<usize>,
    /// Index of the field marked 称谓.
    pub label_field: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDef {
    pub name: String,
    pub ty: Type,
    /// Counts must be whole numbers in records (`整数 个月`).
    pub integer: bool,
    /// Used when the field is absent or null; `None` makes the field required (unless optional).
    pub default: Option<Literal>,
}

/// A constant value in the IR: field defaults and table keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum Literal {
    Number(Decimal),
    Bool(bool),
    Text(String),
    Date(NaiveDate),
    /// A day of every year: (month, day).
    MonthDay(u32, u32),
    Variant(EnumId, u32),
    EmptyList,
    Absent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstDef {
    pub name: String,
    pub ty: Type,
    pub value: Expr,
    /// Locals bound inside the value; it is evaluated in a frame of its own.
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableDef {
    pub name: String,
    pub key_ty: Type,
    pub value_ty: Type,
    pub rows: Vec<TableRow>,
    pub otherwise: Option<Expr>,
    /// For a table that may leave keys out (未列出): the message of a lookup that finds no row,
    /// with the key bound to `missing_key`.
    pub missing: Option<Expr>,
    pub missing_key: Option<LocalId>,
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TableRow {
    pub key: Literal,
    pub value: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Category {
    #[serde(rename = "基础分")]
    Base,
    #[serde(rename = "附加分")]
    Bonus,
    #[serde(rename = "扣减分")]
    Deduction,
}

impl Category {
    pub fn zh(self) -> &'static str {
        match self {
            Category::Base => "基础分",
            Category::Bonus => "附加分",
            Category::Deduction => "扣减分",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemDef {
    pub id: String,
    pub title: Option<String>,
    pub category: Category,
    pub cap: Option<Decimal>,
    pub lets: Vec<LetBinding>,
    /// 说明: the item in the law's words (text), with the applicant's facts filled in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<Expr>,
    pub body: Expr,
    /// Number of local variables the body binds (let, 若有, comprehensions).
    pub locals: u32,
    pub provenance: Provenance,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LetBinding {
    pub local: LocalId,
    pub name: String,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub node: NodeId,
    pub ty: Type,
    pub kind: ExprKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    /// The operator as explanations print it.
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "−",
            ArithOp::Mul => "×",
            ArithOp::Div => "÷",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

/// Calendar units for date arithmetic (`评估日 − 5年`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DateUnit {
    Years,
    Months,
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Builtin {
    /// 满年数(起, 止): full years, 29 February landing on 28 February in common years.
    FullYears,
    /// 周岁(出生日期[, 日]): full years from birth to the date (评估日 by default).
    Age,
    /// 天数(起, 止): days, both ends included.
    Days,
    /// 时长(起, 止): the period from 起 to 止 (both included) as the law writes it: `3年又182日`.
    Duration,
    /// 年份(日期)
    Year,
    /// 取最高(a, b, …)
    Max,
    /// 取最低(a, b, …)
    Min,
    /// 同年(日期, 月日): that day of the year of the date (29 February → 28 February).
    SameYear,
    /// 数值(数量): the number without its unit, for texts (`积分总分{数值（总分）}`).
    Magnitude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Aggregate {
    Sum,
    Count,
    Max,
    Min,
    Any,
    All,
    /// 合并天数: days in the union of the date ranges, both ends included.
    UnionDays,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchArm {
    /// Variant indices; empty for 其他情形.
    pub variants: Vec<u32>,
    pub result: Expr,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bracket {
    pub from: Option<Decimal>,
    pub below: Option<Decimal>,
    pub result: Expr,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    Literal(Literal),
    /// A text with holes: the parts are texts and expressions shown as a drafter reads them.
    Template(Vec<Expr>),
    Applicant,
    AsOf,
    /// The total of the purpose being decided.
    Total,
    /// Undecidable, with the reason this text gives.
    Undecided(Box<Expr>),
    Local {
        local: LocalId,
        name: String,
    },
    Const(ConstId),
    Field {
        record: Box<Expr>,
        field: u32,
        name: String,
    },
    Lookup {
        table: TableId,
        key: Box<Expr>,
    },
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Arith(ArithOp, Box<Expr>, Box<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Default(Box<Expr>, Box<Expr>),
    DateShift {
        date: Box<Expr>,
        amount: Box<Expr>,
        unit: DateUnit,
        backwards: bool,
    },
    /// `介于 A 至 B` includes both ends; `满 A 未满 B` (`below`) excludes the end.
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        below: bool,
    },
    OneOf {
        value: Box<Expr>,
        variants: Vec<u32>,
    },
    Step {
        quantity: Box<Expr>,
        every: Box<Expr>,
        gives: Box<Expr>,
        cap: Option<Box<Expr>>,
    },
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    IfLet {
        local: LocalId,
        name: String,
        value: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<MatchArm>,
    },
    Brackets {
        scrutinee: Box<Expr>,
        arms: Vec<Bracket>,
        otherwise: Option<Box<Expr>>,
    },
    Call {
        builtin: Builtin,
        args: Vec<Expr>,
    },
    Aggregate {
        function: Aggregate,
        local: LocalId,
        name: String,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
        value: Option<Box<Expr>>,
        range_end: Option<Box<Expr>>,
    },
}

/// A compiled policy with the spans of its nodes.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The typed IR: what evaluation runs and the audit hash covers.
    pub policy: Policy,
    /// Where each IR node was written, for explanations and runtime diagnostics.
    pub spans: SpanTable,
}

// Ids are u32 and widen losslessly to index (usize has at least 32 bits: see lib.rs).
impl Policy {
    pub fn enum_def(&self, id: EnumId) -> Option<&EnumDef> {
        self.enums.get(id.0 as usize)
    }

    pub fn record_def(&self, id: RecordId) -> Option<&RecordDef> {
        self.records.get(id.0 as usize)
    }

    pub fn applicant_def(&self) -> Option<&RecordDef> {
        self.record_def(self.applicant)
    }

    /// An enumeration value's name; "?", which no value is called, for one the policy lacks.
    pub fn variant_name(&self, id: EnumId, variant: u32) -> &str {
        self.enum_def(id).and_then(|e| e.variants.get(variant as usize)).map(String::as_str).unwrap_or("?")
    }

    /// The type as a drafter writes it: `个月`, `学历`, `列表<从业经历>`, `日期？`.
    pub fn type_name(&self, ty: &Type) -> String {
        type_name(ty, &self.enums, &self.records)
    }
}

/// The type as a drafter writes it, given the declared enumerations and records.
pub fn type_name(ty: &Type, enums: &[EnumDef], records: &[RecordDef]) -> String {
    match ty {
        Type::Number(u) if u.is_none() => "数".into(),
        Type::Number(u) => u.zh(),
        Type::Bool => "布尔".into(),
        Type::Text => "文本".into(),
        Type::Date => "日期".into(),
        Type::MonthDay => "月日".into(),
        // An id the declarations lack is shown as "?", as Type::Error is, never as a blank name.
        // (u32 ids widen losslessly to index: see lib.rs.)
        Type::Enum(e) => enums.get(e.0 as usize).map_or_else(|| "?".into(), |d| d.name.clone()),
        Type::Record(r) => records.get(r.0 as usize).map_or_else(|| "?".into(), |d| d.name.clone()),
        Type::List(t) => format!("列表<{}>", type_name(t, enums, records)),
        Type::Optional(t) => format!("{}？", type_name(t, enums, records)),
        Type::EmptyList => "列表".into(),
        Type::Error => "?".into(),
        Type::Never => "待定".into(),
    }
}
