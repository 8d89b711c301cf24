//! Purposes (用途), admission routes (途径), rankings (排序) and static assertions (约束).

use super::expr::Scope;
use super::names;
use super::{Checker, ValueRef};
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::*;
use crate::syntax::ast::{self, DeclKind};

impl<'a> Checker<'a> {
    pub(super) fn check_rules(&mut self) {
        let groups: Vec<&ast::Clause> = self.clause_groups.iter().flat_map(|(_, cs)| cs.iter()).collect();
        for c in groups {
            self.check_clause_citations(c);
        }
        let purposes = std::mem::take(&mut self.purpose_decls);
        for decl in &purposes {
            self.check_purpose(decl);
        }
        self.purpose_decls = purposes;
        let routes = std::mem::take(&mut self.route_decls);
        for decl in &routes {
            self.check_route(decl);
        }
        self.route_decls = routes;
        let ranks = std::mem::take(&mut self.rank_decls);
        for decl in &ranks {
            self.check_rank(decl);
        }
        self.rank_decls = ranks;
        let asserts = std::mem::take(&mut self.assert_decls);
        for decl in &asserts {
            self.check_assert(decl);
        }
        self.assert_decls = asserts;
    }

    fn first_cite(&self, citations: &[ast::Citation]) -> Option<Cite> {
        citations.first().map(super::cite)
    }

    /// The clauses in order, a 沿用 replaced by its group's clauses (with whether they came from one).
    fn expand<'c>(&mut self, items: &'c [ast::ClauseItem]) -> Vec<(&'c ast::Clause, bool)>
    where
        'a: 'c,
    {
        let mut out = Vec::new();
        for item in items {
            match item {
                ast::ClauseItem::Clause(c) => out.push((c.as_ref(), false)),
                ast::ClauseItem::Reuse(name) => {
                    let group = self.clause_groups.iter().find(|(n, _)| n.text == name.text).map(|(_, cs)| *cs);
                    match group {
                        Some(cs) => out.extend(cs.iter().map(|c| (c, true))),
                        None if self.is_broken(&[ast::DeclarationKind::ClauseGroup], Some(&name.text)) => {}
                        None => {
                            let names: Vec<String> = self.clause_groups.iter().map(|(n, _)| n.text.clone()).collect();
                            let mut d = Diagnostic::error(
                                Code::UnknownName,
                                Msg::new(
                                    format!("未声明的条款组「{}」", name.text),
                                    format!("unknown clause group `{}`", name.text),
                                ),
                                Label::primary(name.span, Msg::new("没有这个条款组", "no such clause group")),
                            );
                            if let Some(s) = names::closest(&name.text, names.iter().map(String::as_str)) {
                                d = d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?")));
                            }
                            self.error(d);
                        }
                    }
                }
            }
        }
        out
    }

    fn clauses(&mut self, items: &[ast::ClauseItem], decl: &ast::Declaration, scope: &mut Scope) -> Vec<ClauseDef> {
        let fallback = self.provenance(decl).cites.into_iter().next();
        let mut out = Vec::new();
        let mut labels: Vec<&ast::Name> = Vec::new();
        for (c, from_group) in self.expand(items) {
            if let Some(label) = &c.label {
                match labels.iter().find(|l| l.text == label.text) {
                    Some(first) => {
                        let first_span = first.span;
                        self.error(
                            Diagnostic::error(
                                Code::Duplicate,
                                Msg::new(
                                    format!("条款标识「{}」在同一{}中用了两次", label.text, decl_noun(decl)),
                                    format!("clause label `{}` is used twice in one {}", label.text, decl_noun_en(decl)),
                                ),
                                Label::primary(label.span, Msg::new("又用了一次", "used again here")),
                            )
                            .with_label(Label::secondary(first_span, Msg::new("第一次在这里", "first used here")))
                            .with_help(Msg::new(
                                "条款标识是版本比对的依据，同一用途或途径内每条条款的标识须各不相同",
                                "a label is the clause's identity in diffs: give each clause of a purpose or route its own",
                            )),
                        );
                    }
                    None => labels.push(label),
                }
            }
            let test = self.condition(&c.test, scope);
            let message = self.expr(&c.message, scope, Some(&Type::Text));
            self.expect_type(&message.ty, &Type::Text, c.message.span, Msg::new("理由", "the reason"));
            // Checked last, so the names it binds come after the rule's: the rule's IR is the same
            // with or without a 说明.
            let description = c.description.as_ref().map(|d| self.description(d, scope));
            // A group's clauses are checked for citations once, where the group is declared.
            if !from_group {
                self.check_clause_citations(c);
            }
            // The grammar makes every clause cite (`依据 …` is not optional there): a clause with no
            // article would give reasons citing nothing, so it is a fault, not a blank citation.
            let cite = match self.first_cite(&c.citations).or_else(|| fallback.clone()) {
                Some(cite) => cite,
                None => {
                    self.fault(c.test.span, "条款没有引用条文", "a clause citing no article");
                    Cite { document: String::new(), target: CiteTarget::Article(String::new()), paragraph: None }
                }
            };
            let kind = match c.kind {
                ast::ClauseKind::Applies => ClauseKind::Applies,
                ast::ClauseKind::Window => ClauseKind::Window,
                ast::ClauseKind::Condition => ClauseKind::Condition,
            };
            out.push(ClauseDef {
                kind,
                label: c.label.as_ref().map(|l| l.text.clone()),
                test,
                description,
                message,
                cite,
                modelled: c.modelled.as_ref().map(|m| m.note.clone().unwrap_or_default()),
            });
        }
        out
    }

    /// A clause's reason cites the article that states the condition; check it like a declaration's.
    fn check_clause_citations(&mut self, c: &ast::Clause) {
        self.check_citation_list(c.test.span, &c.citations);
    }

    fn check_purpose(&mut self, decl: &ast::Declaration) {
        let DeclKind::Purpose { name, title, counts, clauses } = &decl.kind else { return };
        let mut categories = Vec::new();
        let mut categories_cite = None;
        match counts {
            Some(c) => {
                for (cat, span) in &c.categories {
                    let cat = super::category(*cat);
                    if categories.contains(&cat) {
                        self.unreachable(
                            *span,
                            Msg::new(
                                format!("类别「{}」已写过", cat.zh()),
                                format!("category {} appears twice", cat.zh()),
                            ),
                        );
                    }
                    categories.push(cat);
                }
                self.check_citation_list(c.span, &c.citations);
                categories_cite = self.first_cite(&c.citations);
            }
            None => categories = vec![Category::Base, Category::Bonus, Category::Deduction],
        }
        let mut scope = Scope::default();
        self.total_allowed = true;
        let lowered = self.clauses(clauses, decl, &mut scope);
        self.total_allowed = false;
        self.purposes.push(PurposeDef {
            name: name.text.clone(),
            title: title.clone(),
            categories,
            categories_cite,
            clauses: lowered,
            locals: scope.count(),
            provenance: self.provenance(decl),
        });
    }

    pub(super) fn purpose_index(&mut self, name: &ast::Name) -> Option<u32> {
        let found = self.purposes.iter().position(|p| p.name == name.text);
        if found.is_none() && !self.is_broken(&[ast::DeclarationKind::Purpose], Some(&name.text)) {
            let all: Vec<String> = self.purposes.iter().map(|p| p.name.clone()).collect();
            let mut d = Diagnostic::error(
                Code::UnknownName,
                Msg::new(format!("未声明的用途「{}」", name.text), format!("unknown purpose `{}`", name.text)),
                Label::primary(name.span, Msg::new("没有这个用途", "no such purpose")),
            );
            if let Some(s) = names::closest(&name.text, all.iter().map(String::as_str)) {
                d = d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?")));
            }
            self.error(d);
        }
        found.map(super::idx)
    }

    fn check_route(&mut self, decl: &ast::Declaration) {
        let DeclKind::Route { id, title, same_as, clauses } = &decl.kind else { return };
        let body = match same_as {
            Some(p) => match self.purpose_index(p) {
                Some(i) => RouteBody::SameAs(i),
                None => return,
            },
            None => {
                let mut scope = Scope::default();
                let lowered = self.clauses(clauses, decl, &mut scope);
                RouteBody::Clauses { clauses: lowered, locals: scope.count() }
            }
        };
        self.routes.push(RouteDef {
            id: id.text.clone(),
            title: title.clone(),
            body,
            provenance: self.provenance(decl),
        });
    }

    fn check_rank(&mut self, decl: &ast::Declaration) {
        let DeclKind::Rank { purposes, group, keys } = &decl.kind else { return };
        let indices: Vec<u32> = purposes.iter().filter_map(|p| self.purpose_index(p)).collect();
        let mut scope = Scope::default();
        let group = group.as_ref().map(|g| {
            let lowered = self.expr(g, &mut scope, None);
            if !matches!(lowered.ty, Type::Enum(_) | Type::Error) {
                let d = self.wrong_kind(
                    g.span,
                    &lowered.ty,
                    Msg::new(
                        "分组的依据须为枚举值（每个值一轮，各有指标数）",
                        "a ranking groups by an enumeration value (one round per value, each with its quota)",
                    ),
                );
                self.error(d);
            }
            lowered
        });
        self.total_allowed = true;
        let mut lowered = Vec::new();
        for k in keys {
            let key = self.expr(&k.key, &mut scope, None);
            let base = match &key.ty {
                Type::Optional(t) => (**t).clone(),
                t => t.clone(),
            };
            if !matches!(base, Type::Number(_) | Type::Date | Type::Error) {
                let d = self.wrong_kind(
                    k.key.span,
                    &key.ty,
                    Msg::new("排序的键须为数或日期", "a ranking key must be a number or a date"),
                );
                self.error(d);
            }
            lowered.push(RankKey { key, descending: k.descending });
        }
        self.total_allowed = false;
        self.rankings.push(RankingDef {
            purposes: indices,
            group,
            keys: lowered,
            locals: scope.count(),
            provenance: self.provenance(decl),
        });
    }

    fn check_assert(&mut self, decl: &ast::Declaration) {
        let DeclKind::Assert { title, var, table, test, message } = &decl.kind else { return };
        let table_id = match self.value_ref(&table.text) {
            Some(ValueRef::Table(t)) => t,
            _ if self.is_broken(&[ast::DeclarationKind::Table], Some(&table.text)) => return,
            _ => {
                let tables: Vec<String> = self.tables.iter().map(|t| t.name.text.clone()).collect();
                let mut d = Diagnostic::error(
                    Code::UnknownName,
                    Msg::new(format!("未声明的表「{}」", table.text), format!("unknown table `{}`", table.text)),
                    Label::primary(table.span, Msg::new("约束遍历的须是一张表", "an assertion ranges over a table")),
                );
                if let Some(s) = names::closest(&table.text, tables.iter().map(String::as_str)) {
                    d = d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?")));
                }
                self.error(d);
                return;
            }
        };
        // The id was found by name among the tables collected, so the slot is there (u32 → usize
        // widens losslessly: lib.rs).
        let Some(key_ty) = self.tables.get(table_id.0 as usize).map(|t| t.key_ty.clone()) else {
            self.fault(table.span, "表的编号无效", "a table id out of range");
            return;
        };
        let mut scope = Scope::default();
        let local = scope.bind(&var.text, key_ty);
        let t = self.condition(test, &mut scope);
        let m = self.expr(message, &mut scope, Some(&Type::Text));
        self.expect_type(&m.ty, &Type::Text, message.span, Msg::new("理由", "the reason"));
        for (e, src) in [(&t, test), (&m, message)] {
            if let Some((what, node)) = self.dynamic_part(e) {
                // The node is one the checker just made, so its span is in the table; the
                // expression's own span would only place the label.
                let span = self.spans.get(node).unwrap_or(src.span);
                self.error(
                    Diagnostic::error(
                        Code::AssertionNotStatic,
                        Msg::new(format!("约束「{title}」依赖{}，无法在编译时证明", what.zh), format!("assertion `{title}` depends on {}, so it cannot be proved when compiling", what.en)),
                        Label::primary(span, Msg::new(format!("这里用到了{}", what.zh), format!("this uses {}", what.en))),
                    )
                    .with_help(Msg::new("约束只能使用表、常量和字面量；申请人的条件请写成「条件」", "assertions may use tables, constants and literals only; conditions on applicants are 条件 clauses")),
                );
            }
        }
        self.assertions.push(AssertionDef {
            title: title.clone(),
            table: table_id,
            local,
            var: var.text.clone(),
            test: t,
            message: m,
            locals: scope.count(),
            provenance: self.provenance(decl),
        });
    }

    /// What in an expression depends on an evaluation (the applicant, the date, a purpose's total),
    /// following constants and tables.
    fn dynamic_part(&self, e: &Expr) -> Option<(Msg, NodeId)> {
        let mut found = None;
        visit(e, &mut |x| {
            if found.is_some() {
                return;
            }
            let what = match &x.kind {
                ExprKind::Applicant => Some(Msg::new("申请人", "the applicant")),
                ExprKind::AsOf => Some(Msg::new("评估日", "the evaluation date")),
                ExprKind::Total => Some(Msg::new("总分", "a total")),
                // u32 ids → usize here and below: lossless (usize has at least 32 bits: lib.rs).
                ExprKind::Const(id) => self
                    .consts
                    .get(id.0 as usize)
                    .and_then(|c| c.def.as_ref())
                    .and_then(|d| self.dynamic_part(&d.value))
                    .map(|(m, _)| m),
                ExprKind::Lookup { table, .. } => {
                    self.tables.get(table.0 as usize).and_then(|t| t.def.as_ref()).and_then(|d| {
                        d.rows
                            .iter()
                            .map(|r| &r.value)
                            .chain(d.otherwise.iter())
                            .find_map(|v| self.dynamic_part(v))
                            .map(|(m, _)| m)
                    })
                }
                _ => None,
            };
            found = what.map(|m| (m, x.node));
        });
        found
    }
}

pub(crate) use crate::ir::visit::visit;

fn decl_noun(decl: &ast::Declaration) -> &'static str {
    match decl.kind {
        DeclKind::Route { .. } => "途径",
        _ => "用途",
    }
}

fn decl_noun_en(decl: &ast::Declaration) -> &'static str {
    match decl.kind {
        DeclKind::Route { .. } => "route",
        _ => "purpose",
    }
}
