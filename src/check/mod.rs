//! The checker: name resolution, types and units, coverage of matches, brackets and tables,
//! citations; lowers the AST to the typed IR. It reports every error it finds, not the first.

pub mod assertions;
mod citations;
mod coverage;
mod decls;
mod expr;
mod lints;
mod names;
mod rules;
mod tests;

pub use names::{aggregate_name, builtin_name, glued_keyword};

use crate::diag::{Code, Diagnostic, Diagnostics, Label, Msg};
use crate::ir::*;
use crate::syntax::ast::{self, DeclKind};
use crate::syntax::span::Span;
use std::collections::HashMap;

/// Check parsed files (in load order) and lower them to IR. Returns the IR when there are no errors.
pub fn check(files: &[ast::File]) -> (Option<(Policy, SpanTable)>, Diagnostics) {
    let mut c = Checker::new();
    // Ids number declarations (and each declaration's fields and values, fewer than its tokens):
    // with no more declarations than a u32 can number, `idx` never saturates.
    let declarations = files.iter().map(|f| f.declarations.len()).fold(0usize, usize::saturating_add);
    if u32::try_from(declarations).is_err() {
        c.diags.push(Diagnostic::internal(Msg::new(
            format!("政策过大：{declarations} 条声明，超过编号上限"),
            format!("policy too large: {declarations} declarations, more than ids can number"),
        )));
        return (None, c.diags);
    }
    c.collect(files);
    c.check_all();
    if c.spans.overflowed() {
        c.diags.push(Diagnostic::internal(Msg::new(
            "政策过大：表达式节点超过编号上限",
            "policy too large: more expression nodes than ids can number",
        )));
    }
    if c.diags.has_errors() {
        let mut diags = std::mem::take(&mut c.diags);
        diags.sort();
        return (None, diags);
    }
    let policy = c.finish();
    let spans = std::mem::take(&mut c.spans);
    // A declaration that failed to parse may be the one that uses what would look unused.
    if let Some(p) = policy.as_ref().filter(|_| c.broken.is_empty()) {
        c.lint(p, &spans);
    }
    let mut diags = std::mem::take(&mut c.diags);
    diags.sort();
    if diags.has_errors() {
        return (None, diags);
    }
    (policy.map(|policy| (policy, spans)), diags)
}

#[derive(Debug, Clone)]
enum State {
    Unvisited,
    InProgress,
    Done,
}

struct ConstSlot<'a> {
    decl: &'a ast::Declaration,
    name: ast::Name,
    value: &'a ast::Expr,
    state: State,
    def: Option<ConstDef>,
}

struct TableSlot<'a> {
    decl: &'a ast::Declaration,
    name: ast::Name,
    rows: &'a [ast::TableRow],
    key_ty: Type,
    value_ty: Type,
    state: State,
    def: Option<TableDef>,
}

pub(crate) struct Checker<'a> {
    diags: Diagnostics,
    spans: SpanTable,
    policy_header: Option<(String, String)>,
    /// The policy's effective period and the article stating it.
    policy_effective: (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, Option<Cite>),
    documents: Vec<(Document, Span)>,
    enums: Vec<EnumDef>,
    records: Vec<RecordDef>,
    /// Types by name: enumerations and records share one namespace.
    types: HashMap<String, (TypeRef, Span)>,
    applicant: Option<RecordId>,
    consts: Vec<ConstSlot<'a>>,
    tables: Vec<TableSlot<'a>>,
    /// Values by name: constants and tables share one namespace.
    values: HashMap<String, (ValueRef, Span)>,
    item_decls: Vec<&'a ast::Declaration>,
    items: Vec<ItemDef>,
    /// Declarations whose fields are resolved after all type names are known.
    record_decls: Vec<(RecordId, &'a ast::Declaration, &'a [ast::FieldDecl])>,
    citation_checks: Vec<&'a ast::Declaration>,
    purpose_decls: Vec<&'a ast::Declaration>,
    route_decls: Vec<&'a ast::Declaration>,
    rank_decls: Vec<&'a ast::Declaration>,
    assert_decls: Vec<&'a ast::Declaration>,
    purposes: Vec<PurposeDef>,
    routes: Vec<RouteDef>,
    rankings: Vec<RankingDef>,
    assertions: Vec<AssertionDef>,
    /// Whether `总分` may appear in the expression being checked (a purpose's clauses, a ranking).
    total_allowed: bool,
    policy_warning_decl: Option<&'a ast::Expr>,
    policy_warning: Option<(Expr, u32)>,
    /// Declarations that did not parse: their names exist, so uses of them are not reported again.
    broken: Vec<(ast::DeclarationKind, Option<String>)>,
    /// 条文 declarations, attached to their documents once every document is known.
    article_decls: Vec<&'a ast::Declaration>,
    /// 包括: the documents the policy says it consists of.
    included: Option<(Vec<ast::Name>, Span)>,
    /// The constants and tables being worked out, each with the use that led to it: a cycle is
    /// shown along this path.
    references: Vec<(String, Span)>,
    /// Each enumeration's values' spans, by enumeration and value index.
    variant_spans: Vec<Vec<Span>>,
    /// `次年…` literals (node, span), and those that end a 介于 (where 次年 means something).
    next_year_literals: Vec<(u32, Span)>,
    next_year_bounds: std::collections::HashSet<u32>,
    sample_decls: Vec<&'a ast::Declaration>,
    /// 条款组 by name.
    clause_groups: Vec<(ast::Name, &'a [ast::Clause])>,
    test_decls: Vec<&'a ast::Declaration>,
    tests: Vec<TestDef>,
}

#[derive(Debug, Clone, Copy)]
enum TypeRef {
    Enum(EnumId),
    Record(RecordId),
}

#[derive(Debug, Clone, Copy)]
enum ValueRef {
    Const(ConstId),
    Table(TableId),
}

/// An index as an IR id. It never saturates: `check` refuses a policy with more declarations than
/// a u32 numbers, and a declaration's fields or values are fewer than its tokens
/// (`MAX_DECLARATION_TOKENS`).
fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Checker<'a> {
    fn new() -> Self {
        Checker {
            diags: Diagnostics::default(),
            spans: SpanTable::default(),
            policy_header: None,
            documents: Vec::new(),
            enums: Vec::new(),
            records: Vec::new(),
            types: HashMap::new(),
            applicant: None,
            consts: Vec::new(),
            tables: Vec::new(),
            values: HashMap::new(),
            item_decls: Vec::new(),
            items: Vec::new(),
            record_decls: Vec::new(),
            citation_checks: Vec::new(),
            policy_effective: (None, None, None),
            purpose_decls: Vec::new(),
            route_decls: Vec::new(),
            rank_decls: Vec::new(),
            assert_decls: Vec::new(),
            purposes: Vec::new(),
            routes: Vec::new(),
            rankings: Vec::new(),
            assertions: Vec::new(),
            total_allowed: false,
            policy_warning_decl: None,
            policy_warning: None,
            broken: Vec::new(),
            article_decls: Vec::new(),
            included: None,
            references: Vec::new(),
            variant_spans: Vec::new(),
            next_year_literals: Vec::new(),
            next_year_bounds: std::collections::HashSet::new(),
            sample_decls: Vec::new(),
            clause_groups: Vec::new(),
            test_decls: Vec::new(),
            tests: Vec::new(),
        }
    }

    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// A fault of jifen: something the checker made itself is missing. Reported, so the policy is
    /// refused rather than compiled around a guess.
    fn fault(&mut self, span: Span, zh: &str, en: &str) {
        self.error(
            Diagnostic::internal(Msg::new(format!("检查器内部错误：{zh}"), format!("checker fault: {en}")))
                .with_label(Label::primary(span, Msg::same(""))),
        );
    }

    /// Whether a declaration of one of these kinds (with this name, when it has one) failed to
    /// parse: its syntax error is the root cause, and what it would have declared is not unknown.
    fn is_broken(&self, kinds: &[ast::DeclarationKind], name: Option<&str>) -> bool {
        self.broken.iter().any(|(k, n)| kinds.contains(k) && (name.is_none() || n.is_none() || n.as_deref() == name))
    }

    fn duplicate(&mut self, what: Msg, name: &ast::Name, first: Span) {
        self.error(
            Diagnostic::error(
                Code::Duplicate,
                Msg::new(
                    format!("重复声明{}「{}」", what.zh, name.text),
                    format!("duplicate {} `{}`", what.en, name.text),
                ),
                Label::primary(name.span, Msg::new("第二次声明", "declared again here")),
            )
            .with_label(Label::secondary(first, Msg::new("第一次声明在这里", "first declared here")))
            .with_help(Msg::new("改名，或删去其中一处", "rename one of them or remove the duplicate")),
        );
    }

    // ── pass 1: collect every declaration's name ──

    fn collect(&mut self, files: &'a [ast::File]) {
        for file in files {
            for decl in &file.declarations {
                self.collect_decl(decl);
            }
        }
    }

    fn collect_decl(&mut self, decl: &'a ast::Declaration) {
        match &decl.kind {
            DeclKind::Broken { kind, name } => self.broken.push((*kind, name.as_ref().map(|n| n.text.clone()))),
            DeclKind::Articles { .. } => self.article_decls.push(decl),
            DeclKind::Sample { name, .. } => match first_named(&self.sample_decls, name) {
                Some(first) => self.duplicate(Msg::new("样例", "sample"), name, first),
                None => self.sample_decls.push(decl),
            },
            DeclKind::Test { .. } => self.test_decls.push(decl),
            DeclKind::ClauseGroup { name, clauses } => {
                match self.clause_groups.iter().find(|(n, _)| n.text == name.text) {
                    Some((first, _)) => {
                        let first = first.span;
                        self.duplicate(Msg::new("条款组", "clause group"), name, first);
                    }
                    None => self.clause_groups.push((name.clone(), clauses.as_slice())),
                }
                self.citation_checks.push(decl);
            }
            DeclKind::Policy { name, version, documents, effective, outside } => {
                if self.policy_header.is_some() {
                    let n = ast::Name { text: name.clone(), span: decl.head };
                    self.duplicate(Msg::new("政策", "policy header"), &n, decl.head);
                } else {
                    self.policy_header = Some((name.clone(), version.clone()));
                    self.included = Some((documents.clone(), decl.head));
                    let from = effective.as_ref().and_then(|(f, _)| self.date(f));
                    let to = effective.as_ref().and_then(|(_, t)| t.as_ref()).and_then(|t| self.date(t));
                    let cite = self.provenance(decl).cites.into_iter().next();
                    self.policy_effective = (from, to, cite);
                    if effective.is_some() {
                        self.citation_checks.push(decl);
                    }
                    self.policy_warning_decl = outside.as_ref();
                }
            }
            DeclKind::Purpose { name, .. } => {
                match first_named(&self.purpose_decls, name) {
                    Some(first) => self.duplicate(Msg::new("用途", "purpose"), name, first),
                    None => self.purpose_decls.push(decl),
                }
                self.citation_checks.push(decl);
            }
            DeclKind::Route { id, .. } => {
                match first_named(&self.route_decls, id) {
                    Some(first) => self.duplicate(Msg::new("途径", "route"), id, first),
                    None => self.route_decls.push(decl),
                }
                self.citation_checks.push(decl);
            }
            DeclKind::Rank { .. } => {
                self.rank_decls.push(decl);
                self.citation_checks.push(decl);
            }
            DeclKind::Assert { .. } => {
                self.assert_decls.push(decl);
                self.citation_checks.push(decl);
            }
            DeclKind::Document { name, title, effective } => {
                if let Some((_, first)) = self.documents.iter().find(|(d, _)| d.name == name.text) {
                    let first = *first;
                    self.duplicate(Msg::new("文件", "document"), name, first);
                    return;
                }
                let from = effective.as_ref().and_then(|(f, _)| self.date(f));
                let to = effective.as_ref().and_then(|(_, t)| t.as_ref()).and_then(|t| self.date(t));
                // `模拟取值` without a note is modelled all the same; the renderers word an empty note
                // themselves (report::explain::modelled_note).
                let modelled = decl.modelled.as_ref().map(|m| m.note.clone().unwrap_or_default());
                self.documents.push((
                    Document {
                        name: name.text.clone(),
                        title: title.clone(),
                        effective_from: from,
                        effective_to: to,
                        modelled,
                        articles: Vec::new(),
                    },
                    name.span,
                ));
            }
            DeclKind::Enum { name, variants } => {
                let mut seen: HashMap<&str, Span> = HashMap::new();
                for v in variants {
                    if let Some(first) = seen.get(v.text.as_str()) {
                        let first = *first;
                        self.duplicate(Msg::new("枚举取值", "enumeration value"), v, first);
                    } else {
                        seen.insert(&v.text, v.span);
                    }
                }
                let mut names: Vec<String> = Vec::new();
                let mut spans: Vec<Span> = Vec::new();
                for v in variants {
                    if !names.contains(&v.text) {
                        names.push(v.text.clone());
                        spans.push(v.span);
                    }
                }
                self.variant_spans.push(spans);
                let id = EnumId(idx(self.enums.len()));
                self.enums.push(EnumDef {
                    name: name.text.clone(),
                    variants: names,
                    provenance: self.provenance(decl),
                });
                self.declare_type(name, TypeRef::Enum(id));
                self.citation_checks.push(decl);
            }
            DeclKind::Record { name, fields } => {
                let id = self.new_record(name.text.clone(), decl);
                self.declare_type(name, TypeRef::Record(id));
                self.record_decls.push((id, decl, fields));
                self.citation_checks.push(decl);
            }
            DeclKind::Applicant { fields } => {
                if let Some(first) = self.applicant {
                    let span = self.records_span(first);
                    let n = ast::Name { text: "申请人".into(), span: decl.head };
                    self.duplicate(Msg::new("申请人记录", "applicant schema"), &n, span);
                    return;
                }
                let id = self.new_record("申请人".into(), decl);
                self.applicant = Some(id);
                self.record_decls.push((id, decl, fields));
                self.citation_checks.push(decl);
            }
            DeclKind::Const { name, value } => {
                let id = ConstId(idx(self.consts.len()));
                if self.declare_value(name, ValueRef::Const(id)) {
                    self.consts.push(ConstSlot { decl, name: name.clone(), value, state: State::Unvisited, def: None });
                }
                self.citation_checks.push(decl);
            }
            DeclKind::Table { name, rows, .. } => {
                let id = TableId(idx(self.tables.len()));
                if self.declare_value(name, ValueRef::Table(id)) {
                    self.tables.push(TableSlot {
                        decl,
                        name: name.clone(),
                        rows,
                        key_ty: Type::Error,
                        value_ty: Type::Error,
                        state: State::Unvisited,
                        def: None,
                    });
                }
                self.citation_checks.push(decl);
            }
            DeclKind::Item { id, .. } => {
                match first_named(&self.item_decls, id) {
                    Some(first) => self.duplicate(Msg::new("分项", "scoring item"), id, first),
                    None => self.item_decls.push(decl),
                }
                self.citation_checks.push(decl);
            }
        }
    }

    /// Where a record is declared. Every record is listed in `record_decls` as it is made (this is
    /// asked while collecting, before the list is taken); the fallback would only place a label.
    fn records_span(&self, id: RecordId) -> Span {
        self.record_decls.iter().find(|(r, _, _)| *r == id).map(|(_, d, _)| d.head).unwrap_or(Span::new(
            crate::syntax::span::FileId(0),
            0,
            0,
        ))
    }

    fn new_record(&mut self, name: String, decl: &ast::Declaration) -> RecordId {
        let id = RecordId(idx(self.records.len()));
        self.records.push(RecordDef {
            name,
            fields: Vec::new(),
            provenance: self.provenance(decl),
            id_field: None,
            as_of_field: None,
            label_field: None,
        });
        id
    }

    fn declare_type(&mut self, name: &ast::Name, r: TypeRef) {
        if let Some((_, first)) = self.types.get(&name.text) {
            let first = *first;
            self.duplicate(Msg::new("类型", "type"), name, first);
            return;
        }
        self.types.insert(name.text.clone(), (r, name.span));
    }

    fn declare_value(&mut self, name: &ast::Name, r: ValueRef) -> bool {
        if let Some((_, first)) = self.values.get(&name.text) {
            let first = *first;
            self.duplicate(Msg::new("常量或表", "constant or table"), name, first);
            return false;
        }
        self.values.insert(name.text.clone(), (r, name.span));
        true
    }

    fn date(&mut self, d: &ast::DateLit) -> Option<chrono::NaiveDate> {
        match chrono::NaiveDate::parse_from_str(&d.text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                self.bad_date(d);
                None
            }
        }
    }

    fn bad_date(&mut self, d: &ast::DateLit) {
        self.error(
            Diagnostic::error(
                Code::BadDate,
                Msg::new(format!("「{}」不是有效的日期", d.text), format!("`{}` is not a calendar date", d.text)),
                Label::primary(d.span, Msg::new("日历上没有这一天", "no such day in the calendar")),
            )
            .with_help(Msg::new(
                "日期写成 年-月-日，如 2021-02-28；闰年才有 2月29日",
                "write dates as YYYY-MM-DD; 29 February exists only in leap years",
            )),
        );
    }

    fn provenance(&self, decl: &ast::Declaration) -> Provenance {
        Provenance {
            cites: decl.citations.iter().map(cite).collect(),
            // As for documents: a `模拟取值` without a note is modelled, and its note is empty.
            modelled: decl.modelled.as_ref().map(|m| m.note.clone().unwrap_or_default()),
        }
    }

    // ── pass 2: check everything ──

    fn check_all(&mut self) {
        self.attach_articles();
        let record_decls = std::mem::take(&mut self.record_decls);
        for (id, decl, fields) in &record_decls {
            self.check_record(*id, decl, fields);
        }
        self.record_decls = record_decls;
        for i in 0..self.tables.len() {
            self.resolve_table_types(TableId(idx(i)));
        }
        for i in 0..self.consts.len() {
            self.ensure_const(ConstId(idx(i)));
        }
        for i in 0..self.tables.len() {
            self.ensure_table(TableId(idx(i)));
        }
        let item_decls = std::mem::take(&mut self.item_decls);
        for decl in &item_decls {
            self.check_item(decl);
        }
        self.item_decls = item_decls;
        self.check_rules();
        if let Some(m) = self.policy_warning_decl {
            let mut scope = expr::Scope::default();
            let text = self.expr(m, &mut scope, Some(&Type::Text));
            self.expect_type(&text.ty, &Type::Text, m.span, Msg::new("施行期外的警告", "the out-of-period warning"));
            self.policy_warning = Some((text, scope.count()));
        }
        let decls = std::mem::take(&mut self.citation_checks);
        for decl in &decls {
            self.check_citations(decl);
        }
        self.check_required();
        self.check_included_documents();
        self.check_tests();
    }

    fn check_required(&mut self) {
        let file0 = Span::new(crate::syntax::span::FileId(0), 0, 0);
        if self.policy_header.is_none() && !self.is_broken(&[ast::DeclarationKind::Policy], None) {
            self.error(
                Diagnostic::error(
                    Code::MissingDeclaration,
                    Msg::new("政策缺少「政策」声明（名称与版本）", "the policy has no `政策` (policy) header"),
                    Label::primary(file0, Msg::same("")),
                )
                .with_help(Msg::new(
                    "在任一文件中写：政策 “政策名称” 版本 “2020”",
                    "add to one file: policy \"name\" version \"2020\"",
                )),
            );
        }
        let Some(app) = self.applicant else {
            if self.is_broken(&[ast::DeclarationKind::Applicant], None) {
                return;
            }
            self.error(
                Diagnostic::error(
                    Code::MissingDeclaration,
                    Msg::new("政策缺少「申请人」记录的声明", "the policy declares no applicant schema (`申请人`)"),
                    Label::primary(file0, Msg::same("")),
                )
                .with_help(Msg::new(
                    "声明申请人记录的字段：申请人 依据 …：某字段：文本 标识 …",
                    "declare the applicant's fields",
                )),
            );
            return;
        };
        // The applicant's record is in `record_decls` (see records_span); the span only places a
        // label. Its id widens losslessly to index (usize has at least 32 bits: see lib.rs).
        let span = self.record_decls.iter().find(|(id, _, _)| *id == app).map(|(_, d, _)| d.head).unwrap_or(file0);
        let def = self.records.get(app.0 as usize).cloned();
        if let Some(def) = def {
            if def.id_field.is_none() {
                self.error(
                    Diagnostic::error(
                        Code::MissingDeclaration,
                        Msg::new("申请人记录没有标识字段", "the applicant schema has no identity field"),
                        Label::primary(span, Msg::new("这里", "here")),
                    )
                    .with_help(Msg::new(
                        "在标识申请人的字段后加「标识」，如：证件号：文本 标识",
                        "mark the id field, e.g. 证件号：文本 标识",
                    )),
                );
            }
            if def.as_of_field.is_none() {
                self.error(
                    Diagnostic::error(
                        Code::MissingDeclaration,
                        Msg::new(
                            "申请人记录没有标明评估日的字段",
                            "the applicant schema marks no evaluation-date field",
                        ),
                        Label::primary(span, Msg::new("这里", "here")),
                    )
                    .with_help(Msg::new(
                        "在给出评估日的日期字段后加「评估日」，如：受理日期：日期 评估日",
                        "mark it, e.g. 受理日期：日期 评估日",
                    )),
                );
            }
        }
    }

    fn check_citations(&mut self, decl: &ast::Declaration) {
        self.check_citation_list(decl.head, &decl.citations);
    }

    fn finish(&mut self) -> Option<Policy> {
        let (name, version) = self.policy_header.clone()?;
        let applicant = self.applicant?;
        // The documents in the order the policy lists them (包括), which is the law's own order.
        let mut documents: Vec<Document> = self.documents.iter().map(|(d, _)| d.clone()).collect();
        if let Some((listed, _)) = &self.included {
            // A document 包括 leaves out (an error, E0403, in a policy that checks) sorts last.
            documents.sort_by_key(|d| listed.iter().position(|n| n.text == d.name).unwrap_or(usize::MAX));
        }
        Some(Policy {
            format: IR_FORMAT,
            name,
            version,
            documents,
            enums: self.enums.clone(),
            records: self.records.clone(),
            applicant,
            constants: self.consts.iter_mut().filter_map(|c| c.def.take()).collect(),
            tables: self.tables.iter_mut().filter_map(|t| t.def.take()).collect(),
            items: std::mem::take(&mut self.items),
            effective_from: self.policy_effective.0,
            effective_to: self.policy_effective.1,
            effective_cite: self.policy_effective.2.clone(),
            effective_warning: self.policy_warning.as_ref().map(|(e, _)| e.clone()),
            // No warning, no locals to make room for.
            effective_warning_locals: self.policy_warning.as_ref().map(|(_, n)| *n).unwrap_or(0),
            purposes: std::mem::take(&mut self.purposes),
            routes: std::mem::take(&mut self.routes),
            rankings: std::mem::take(&mut self.rankings),
            assertions: std::mem::take(&mut self.assertions),
            tests: std::mem::take(&mut self.tests),
            digest: Digest::default(),
        })
    }
}

/// A citation as the IR keeps it.
fn cite(c: &ast::Citation) -> Cite {
    Cite {
        document: c.document.text.clone(),
        target: match &c.target {
            ast::CitationTarget::Id(n) => CiteTarget::Id(n.text.clone()),
            ast::CitationTarget::Article(n) => CiteTarget::Article(n.text.clone()),
        },
        paragraph: c.paragraph.as_ref().map(|p| p.text.clone()),
    }
}

fn category(c: ast::Category) -> Category {
    match c {
        ast::Category::Base => Category::Base,
        ast::Category::Bonus => Category::Bonus,
        ast::Category::Deduction => Category::Deduction,
    }
}

/// Where a declaration of the same name or id was first made, among items, purposes or routes.
fn first_named(decls: &[&ast::Declaration], name: &ast::Name) -> Option<Span> {
    decls
        .iter()
        .filter_map(|d| match &d.kind {
            DeclKind::Item { id: n, .. }
            | DeclKind::Route { id: n, .. }
            | DeclKind::Purpose { name: n, .. }
            | DeclKind::Sample { name: n, .. } => Some(n),
            _ => None,
        })
        .find(|n| n.text == name.text)
        .map(|n| n.span)
}
