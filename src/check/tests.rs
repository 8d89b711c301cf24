//! 样例 and 测试: the facts of a test are checked against the applicant schema (field names,
//! types, units, enumeration values) and its expectations against the purposes, routes and items
//! the policy declares — all before any test runs.

use super::expr::Scope;
use super::Checker;
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::types::BaseUnit;
use crate::ir::*;
use crate::syntax::ast::{self, DeclKind, Expectation, FactValue};
use std::collections::HashMap;

impl Checker<'_> {
    pub(super) fn check_tests(&mut self) {
        let Some(applicant) = self.applicant else { return };
        let samples: HashMap<String, &[ast::Fact]> = self
            .sample_decls
            .iter()
            .filter_map(|d| match &d.kind {
                DeclKind::Sample { name, facts } => Some((name.text.clone(), facts.as_slice())),
                _ => None,
            })
            .collect();
        // Samples are checked once on their own, so that a fault in one is reported once.
        for d in self.sample_decls.clone() {
            if let DeclKind::Sample { facts, .. } = &d.kind {
                let _ = self.facts(applicant, facts);
            }
        }
        for decl in self.test_decls.clone() {
            let DeclKind::Test { name, based_on, as_of, facts, expected } = &decl.kind else { continue };
            let mut merged: Vec<(String, TestValue)> = Vec::new();
            if let Some(base) = based_on {
                match samples.get(&base.text) {
                    Some(base_facts) => {
                        let errors = self.diags.0.len();
                        merged = self.facts(applicant, base_facts);
                        // Already reported when the sample was checked on its own.
                        self.diags.0.truncate(errors);
                    }
                    None if self.is_broken(&[ast::DeclarationKind::Sample], Some(&base.text)) => {}
                    None => self.error(
                        Diagnostic::error(
                            Code::UnknownName,
                            Msg::new(
                                format!("未声明的样例「{}」", base.text),
                                format!("unknown sample `{}`", base.text),
                            ),
                            Label::primary(base.span, Msg::new("没有这个样例", "no such sample")),
                        )
                        .with_help(Msg::new(
                            format!("已有的样例：{}", samples.keys().cloned().collect::<Vec<_>>().join("、")),
                            format!("samples: {}", samples.keys().cloned().collect::<Vec<_>>().join(", ")),
                        )),
                    ),
                }
            }
            for (field, value) in self.facts(applicant, facts) {
                match merged.iter_mut().find(|(f, _)| *f == field) {
                    Some(slot) => slot.1 = value,
                    None => merged.push((field, value)),
                }
            }
            let as_of = as_of.as_ref().and_then(|d| self.date(d));
            let expected = expected.iter().filter_map(|e| self.expectation(e)).collect();
            let node = self.spans.push(decl.head);
            self.tests.push(TestDef { name: name.clone(), node, as_of, facts: merged, expected });
        }
    }

    fn facts(&mut self, record: RecordId, facts: &[ast::Fact]) -> Vec<(String, TestValue)> {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let Some(def) = self.records.get(record.0 as usize).cloned() else { return Vec::new() };
        let mut out: Vec<(String, TestValue)> = Vec::new();
        for f in facts {
            let Some(field) = def.fields.iter().find(|x| x.name == f.field.text) else {
                let names: Vec<&str> = def.fields.iter().map(|x| x.name.as_str()).collect();
                let mut d = Diagnostic::error(
                    Code::UnknownField,
                    Msg::new(
                        format!("「{}」没有字段「{}」", def.name, f.field.text),
                        format!("`{}` has no field `{}`", def.name, f.field.text),
                    ),
                    Label::primary(f.field.span, Msg::new("未声明的字段", "no such field")),
                );
                if let Some(s) = super::names::closest(&f.field.text, names.iter().copied()) {
                    d = d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?")));
                }
                self.error(d);
                continue;
            };
            if out.iter().any(|(n, _)| *n == f.field.text) {
                self.error(
                    Diagnostic::error(
                        Code::Duplicate,
                        Msg::new(
                            format!("字段「{}」写了两次", f.field.text),
                            format!("field `{}` is given twice", f.field.text),
                        ),
                        Label::primary(f.field.span, Msg::new("第二次", "again here")),
                    )
                    .with_help(Msg::new("删去其中一行", "remove one of them")),
                );
                continue;
            }
            if let Some(v) = self.fact_value(&f.value, &field.ty) {
                out.push((f.field.text.clone(), v));
            }
        }
        out
    }

    fn fact_value(&mut self, v: &FactValue, ty: &Type) -> Option<TestValue> {
        match (v, ty) {
            (_, Type::Optional(inner)) => self.fact_value(v, inner),
            (FactValue::Record(facts, _), Type::Record(r)) => Some(TestValue::Record(self.facts(*r, facts))),
            (FactValue::List(items, _), Type::List(inner)) => {
                Some(TestValue::List(items.iter().filter_map(|x| self.fact_value(x, inner)).collect()))
            }
            (FactValue::Literal(e), Type::List(_)) if matches!(e.kind, ast::ExprKind::EmptyList) => {
                Some(TestValue::List(Vec::new()))
            }
            (FactValue::Name(n), Type::Enum(e)) => {
                self.variant_index(*e, n).map(|i| TestValue::Lit(Literal::Variant(*e, i)))
            }
            (FactValue::Literal(e), _) if !matches!(ty, Type::Record(_) | Type::List(_) | Type::Enum(_)) => {
                let mut scope = Scope::default();
                let lowered = self.expr(e, &mut scope, Some(ty));
                if !self.expect_type(&lowered.ty, ty, e.span, Msg::new("测试中的事实", "a test's fact")) {
                    return None;
                }
                match lowered.kind {
                    ExprKind::Literal(l) => Some(TestValue::Lit(l)),
                    _ => None,
                }
            }
            (other, _) => {
                let want = self.type_name(ty);
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        Msg::new(format!("这里应为「{want}」"), format!("expected `{want}` here")),
                        Label::primary(other.span(), Msg::new("写法与字段的类型不符", "does not fit the field's type")),
                    )
                    .with_help(Msg::new(
                        "记录写成（字段 = 值，…），列表写成 [值，值]，枚举写取值，其他写带单位的数、日期、真/假或 “文字”",
                        "a record is (field = value, …), a list [value, value], an enumeration a value; others a number with its unit, a date, 真/假 or “text”",
                    )),
                );
                None
            }
        }
    }

    fn expectation(&mut self, e: &Expectation) -> Option<Expected> {
        match e {
            Expectation::Purpose { name, status, reason } => Some(Expected::Purpose {
                purpose: self.purpose_index(name)?,
                status: self.status(status)?,
                reason: reason.clone(),
            }),
            Expectation::Route { id, status, reason } => {
                let route = self.routes.iter().position(|r| r.id == id.text);
                if route.is_none() {
                    self.unknown_id(id, "途径", "route", self.routes.iter().map(|r| r.id.clone()).collect());
                }
                Some(Expected::Route {
                    route: super::idx(route?),
                    status: self.status(status)?,
                    reason: reason.clone(),
                })
            }
            Expectation::Item { id, points } => {
                let item = self.items.iter().position(|i| i.id == id.text);
                if item.is_none() {
                    self.unknown_id(id, "分项", "item", self.items.iter().map(|i| i.id.clone()).collect());
                }
                Some(Expected::Item { item: super::idx(item?), points: self.points(points)? })
            }
            Expectation::Total { purpose, points } => {
                Some(Expected::Total { purpose: self.purpose_index(purpose)?, points: self.points(points)? })
            }
        }
    }

    fn unknown_id(&mut self, id: &ast::Name, zh: &str, en: &str, ids: Vec<String>) {
        let mut d = Diagnostic::error(
            Code::UnknownName,
            Msg::new(format!("未声明的{zh} [{}]", id.text), format!("unknown {en} [{}]", id.text)),
            Label::primary(id.span, Msg::new(format!("没有这个{zh}"), format!("no such {en}"))),
        );
        if let Some(s) = super::names::closest(&id.text, ids.iter().map(String::as_str)) {
            d = d.with_help(Msg::new(format!("是不是 [{s}]？"), format!("did you mean [{s}]?")));
        }
        self.error(d);
    }

    fn points(&mut self, q: &ast::Quantity) -> Option<Decimal> {
        let e = ast::Expr { kind: ast::ExprKind::Quantity(q.clone()), span: q.span };
        let mut scope = Scope::default();
        let lowered = self.expr(&e, &mut scope, Some(&Type::Number(Unit::base(BaseUnit::Points))));
        if !self.expect_type(
            &lowered.ty,
            &Type::Number(Unit::base(BaseUnit::Points)),
            q.span,
            Msg::new("预期的分数", "the expected points"),
        ) {
            return None;
        }
        match lowered.kind {
            ExprKind::Literal(Literal::Number(d)) => Some(d),
            _ => None,
        }
    }

    fn status(&mut self, (word, _span): &(String, crate::syntax::span::Span)) -> Option<ExpectedStatus> {
        Some(match word.as_str() {
            "符合条件" | "eligible" => ExpectedStatus::Eligible,
            "不符合" | "ineligible" | "failing" => ExpectedStatus::Ineligible,
            "无法判定" | "undecidable" => ExpectedStatus::Undecidable,
            "不适用" | "not_applicable" => ExpectedStatus::NotApplicable,
            "不受理" | "closed" => ExpectedStatus::Closed,
            _ => return None,
        })
    }
}

use rust_decimal::Decimal;
