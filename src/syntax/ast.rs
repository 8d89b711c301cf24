//! The surface syntax tree: what the drafter wrote, names unresolved, spans on every node.

use super::span::Span;
use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct File {
    pub declarations: Vec<Declaration>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    pub document: Name,
    pub target: CitationTarget,
    /// `（二）` after an article: the paragraph, as the law numbers it (`二`).
    pub paragraph: Option<Name>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CitationTarget {
    /// `[分项标识]`: a scoring item or route id.
    Id(Name),
    /// `第十条`, `三`: an article or section.
    Article(Name),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Modelled {
    pub note: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub kind: DeclKind,
    /// The keyword and name that open the declaration; diagnostics about the whole declaration point here.
    pub head: Span,
    pub span: Span,
    pub citations: Vec<Citation>,
    pub modelled: Option<Modelled>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DeclKind {
    Policy {
        name: String,
        version: String,
        /// 包括: the documents the policy consists of.
        documents: Vec<Name>,
        effective: Option<(DateLit, Option<DateLit>)>,
        outside: Option<Expr>,
    },
    Document {
        name: Name,
        title: String,
        effective: Option<(DateLit, Option<DateLit>)>,
    },
    /// 条文: a document's articles, which citations of it must name.
    Articles {
        document: Name,
        entries: Vec<ArticleEntry>,
    },
    Enum {
        name: Name,
        variants: Vec<Name>,
    },
    Record {
        name: Name,
        fields: Vec<FieldDecl>,
    },
    Applicant {
        fields: Vec<FieldDecl>,
    },
    Const {
        name: Name,
        value: Expr,
    },
    Table {
        name: Name,
        key_type: TypeExpr,
        value_type: TypeExpr,
        rows: Vec<TableRow>,
        missing: Option<Expr>,
    },
    Item {
        id: Name,
        title: Option<String>,
        category: Category,
        cap: Option<Quantity>,
        body: Body,
    },
    Purpose {
        name: Name,
        title: Option<String>,
        counts: Option<Counts>,
        clauses: Vec<ClauseItem>,
    },
    Route {
        id: Name,
        title: Option<String>,
        same_as: Option<Name>,
        clauses: Vec<ClauseItem>,
    },
    Rank {
        purposes: Vec<Name>,
        /// `分组 申请人.居住地`: ranked in one round per value.
        group: Option<Expr>,
        keys: Vec<RankKey>,
    },
    Assert {
        title: String,
        var: Name,
        table: Name,
        test: Expr,
        message: Expr,
    },
    /// 条款组: clauses written once and used by several purposes or routes.
    ClauseGroup {
        name: Name,
        clauses: Vec<Clause>,
    },
    /// 样例: an applicant's facts that tests start from.
    Sample {
        name: Name,
        facts: Vec<Fact>,
    },
    /// 测试: a case and what is expected of it.
    Test {
        name: String,
        based_on: Option<Name>,
        as_of: Option<DateLit>,
        facts: Vec<Fact>,
        expected: Vec<Expectation>,
    },
    /// A declaration that did not parse (its syntax errors are reported): present, so that uses of
    /// its name are not reported as unknown, but never checked or evaluated.
    Broken {
        kind: DeclarationKind,
        name: Option<Name>,
    },
}

/// One article of a document: `第四条【人才落户】[人才落户]` and its paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleEntry {
    /// `第四条`, for a document numbered by articles.
    pub number: Option<Name>,
    /// `[人才落户]`, for a part known by an id.
    pub id: Option<Name>,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub span: Span,
}

/// What a declaration declares, by its opening keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclarationKind {
    Policy,
    Document,
    Articles,
    Enum,
    Record,
    Applicant,
    Const,
    Table,
    Item,
    Purpose,
    Route,
    Rank,
    Assert,
    Sample,
    Test,
    ClauseGroup,
}

/// A clause of a purpose or route, or the clauses of a 条款组 used in its place (沿用).
#[derive(Debug, Clone, PartialEq)]
pub enum ClauseItem {
    Clause(Box<Clause>),
    Reuse(Name),
}

/// `字段 = 值` in a 样例 or 测试.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub field: Name,
    pub value: FactValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Literal(Expr),
    /// An enumeration value.
    Name(Name),
    Record(Vec<Fact>, Span),
    List(Vec<FactValue>, Span),
}

impl FactValue {
    pub fn span(&self) -> Span {
        match self {
            FactValue::Literal(e) => e.span,
            FactValue::Name(n) => n.span,
            FactValue::Record(_, s) | FactValue::List(_, s) => *s,
        }
    }
}

/// What a 测试 expects.
#[derive(Debug, Clone, PartialEq)]
pub enum Expectation {
    Purpose { name: Name, status: (String, Span), reason: Option<String> },
    Route { id: Name, status: (String, Span), reason: Option<String> },
    Item { id: Name, points: Quantity },
    Total { purpose: Name, points: Quantity },
}

/// `计入 基础分、附加分 依据 …`
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    pub categories: Vec<(Category, Span)>,
    pub citations: Vec<Citation>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClauseKind {
    /// 适用: outside it the purpose or route is not_applicable.
    Applies,
    /// 期间: outside it the route is closed.
    Window,
    /// 条件: a condition of eligibility.
    Condition,
}

/// `条件 测试 不符合 “理由” 依据 …`
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    pub kind: ClauseKind,
    /// `[年满十八周岁]`: the clause's own identity, when the drafter pins one.
    pub label: Option<Name>,
    pub test: Expr,
    /// 说明: the clause in the law's words, with the applicant's facts filled in.
    pub description: Option<Expr>,
    pub message: Expr,
    pub citations: Vec<Citation>,
    /// `模拟取值` after the citation: the clause's own figures are modelled values.
    pub modelled: Option<Modelled>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankKey {
    pub key: Expr,
    pub descending: bool,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Base,
    Bonus,
    Deduction,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DateLit {
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    pub name: Name,
    pub ty: TypeExpr,
    pub attrs: Vec<(FieldAttr, Span)>,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldAttr {
    /// 标识: the record's identity.
    Id,
    /// 评估日: the field that gives the evaluation date unless `--as-of` overrides it.
    AsOf,
    /// 称谓: the name shown in explanations.
    Label,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeExpr {
    pub kind: TypeExprKind,
    pub optional: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeExprKind {
    /// `学历`, `日期`, `分`, or `整数 个月` (a number kind and a unit).
    Named { name: Name, unit: Option<Name> },
    /// `列表<从业经历>`
    List { constructor: Name, element: Box<TypeExpr> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub key: TableKey,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TableKey {
    Variant(Name),
    Number(Decimal, Span),
    Otherwise(Span),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub lets: Vec<(Name, Expr)>,
    /// 说明: the item in the law's words, with the applicant's facts filled in.
    pub description: Option<Expr>,
    pub result: Expr,
}

/// A number with a unit as written: `0.5分`, `10万元`, `12个月/年`.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: Option<String>,
    pub per_unit: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Quantity(Quantity),
    Date(String),
    /// `5月1日`; `次年1月31日` (true) ends a window across the new year.
    MonthDay(u32, u32, bool),
    Text(String),
    /// A text with `{表达式}` holes.
    Template(Vec<TemplatePart>),
    /// 总分: the total of the purpose being decided.
    Total,
    /// 待定 “理由”: undecidable, with this reason.
    Undecided(Box<Expr>),
    Bool(bool),
    EmptyList,
    Name(Name),
    Applicant,
    AsOf,
    Field(Box<Expr>, Name),
    Index(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Not(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `介于 A 至 B` (both ends included), or `满 A 未满 B` (`below`: the end is excluded).
    Between {
        value: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        below: bool,
    },
    OneOf {
        value: Box<Expr>,
        variants: Vec<Name>,
    },
    Step(Box<Step>),
    If {
        cond: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    IfLet {
        name: Name,
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
        arms: Vec<BracketArm>,
    },
    Call {
        function: Name,
        args: Vec<Expr>,
    },
    Comprehension {
        function: Name,
        comp: Box<Comprehension>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TemplatePart {
    Text(String),
    Hole(Expr),
}

/// `数量 每满 N 计 M，最高 C`
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub quantity: Expr,
    pub every: Expr,
    pub gives: Expr,
    pub cap: Option<Expr>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MatchArm {
    /// Empty for `其他情形`.
    pub patterns: Vec<Name>,
    pub result: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BracketArm {
    /// `None` bounds are open; both `None` is `其他情形`.
    pub from: Option<Quantity>,
    pub below: Option<Quantity>,
    pub otherwise: bool,
    pub result: Expr,
    pub span: Span,
}

/// `变量 属于 列表 其中 条件：值` or `：起 至 止` (date ranges for 合并天数).
#[derive(Debug, Clone, PartialEq)]
pub struct Comprehension {
    pub var: Name,
    pub list: Expr,
    pub filter: Option<Expr>,
    pub value: Option<Expr>,
    pub range_end: Option<Expr>,
}
