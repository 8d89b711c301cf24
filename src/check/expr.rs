//! Expressions: resolve names, compute types with units, lower to IR.

use super::names::{self, FunctionKind};
use super::{Checker, ValueRef};
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::types::unit_word;
use crate::ir::*;
use crate::syntax::ast::{self, BinOp, ExprKind as A};
use crate::syntax::span::Span;
use rust_decimal::Decimal;

/// Local variables in scope (let, 若有, comprehension variables).
#[derive(Default)]
pub struct Scope {
    frames: Vec<(String, LocalId, Type)>,
    next: u32,
}

impl Scope {
    pub fn bind(&mut self, name: &str, ty: Type) -> LocalId {
        let id = LocalId(self.next);
        self.next += 1;
        self.frames.push((name.to_string(), id, ty));
        id
    }

    fn lookup(&self, name: &str) -> Option<(LocalId, Type)> {
        self.frames.iter().rev().find(|(n, _, _)| n == name).map(|(_, id, t)| (*id, t.clone()))
    }

    fn mark(&self) -> usize {
        self.frames.len()
    }

    fn reset(&mut self, mark: usize) {
        self.frames.truncate(mark);
    }

    pub fn count(&self) -> u32 {
        self.next
    }
}

/// A quantity literal's value in base units, and its unit.
pub fn quantity_value(q: &ast::Quantity) -> (Decimal, Unit) {
    let mut value = q.value;
    let mut unit = Unit::NONE;
    if let Some((b, scale)) = q.unit.as_deref().and_then(unit_word) {
        value *= scale;
        unit = Unit::base(b);
    }
    if let Some((b, scale)) = q.per_unit.as_deref().and_then(unit_word) {
        value /= scale;
        unit = unit.per(Unit::base(b));
    }
    (value, unit)
}

impl<'a> Checker<'a> {
    fn mk(&mut self, span: Span, ty: Type, kind: ExprKind) -> Expr {
        Expr { node: self.spans.push(span), ty, kind }
    }

    fn poisoned(&mut self, span: Span) -> Expr {
        self.mk(span, Type::Error, ExprKind::Literal(Literal::Absent))
    }

    /// Report a type mismatch unless `got` fits `want`.
    pub(super) fn expect_type(&mut self, got: &Type, want: &Type, span: Span, what: Msg) -> bool {
        if got.compatible(want) {
            return true;
        }
        let (g, w) = (self.type_name(got), self.type_name(want));
        let (code, help) = match (got, want) {
            (Type::Optional(inner), _) if inner.compatible(want) => (Code::OptionalNotHandled, optional_help()),
            (Type::Number(_), Type::Number(_)) => (
                Code::UnitMismatch,
                Msg::new(
                    format!("换算成「{w}」，如乘以一个比率（× …{w}/{g}）"),
                    format!("convert to `{w}` with an explicit rate"),
                ),
            ),
            _ => (Code::TypeMismatch, Msg::new(format!("这里需要「{w}」"), format!("a `{w}` is needed here"))),
        };
        self.error(
            Diagnostic::error(
                code,
                Msg::new(
                    format!("{}应为「{}」，实际是「{}」", what.zh, w, g),
                    format!("{} should be `{}`, found `{}`", what.en, w, g),
                ),
                Label::primary(span, Msg::new(format!("这里是「{g}」"), format!("this is `{g}`"))),
            )
            .with_help(help),
        );
        false
    }

    pub(super) fn expr(&mut self, e: &ast::Expr, scope: &mut Scope, expected: Option<&Type>) -> Expr {
        let span = e.span;
        match &e.kind {
            A::Quantity(q) => {
                let (v, u) = quantity_value(q);
                self.mk(span, Type::Number(u), ExprKind::Literal(Literal::Number(v)))
            }
            A::Date(text) => match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) => self.mk(span, Type::Date, ExprKind::Literal(Literal::Date(d))),
                Err(_) => {
                    let lit = ast::DateLit { text: text.clone(), span };
                    let _ = self.date(&lit);
                    self.poisoned(span)
                }
            },
            A::Text(t) => self.mk(span, Type::Text, ExprKind::Literal(Literal::Text(t.clone()))),
            A::MonthDay(m, d, next_year) => {
                // 2000 is a leap year: 2月29日 is a day of the year, which common years map to 28 February.
                if chrono::NaiveDate::from_ymd_opt(2000, *m, *d).is_none() {
                    let lit = ast::DateLit { text: format!("{m}月{d}日"), span };
                    self.bad_date(&lit);
                    return self.poisoned(span);
                }
                let e = self.mk(span, Type::MonthDay, ExprKind::Literal(Literal::MonthDay(*m, *d)));
                if *next_year {
                    self.next_year_literals.push((e.node.0, span));
                }
                e
            }
            A::Template(parts) => {
                let mut lowered = Vec::new();
                for part in parts {
                    match part {
                        ast::TemplatePart::Text(t) => {
                            lowered.push(self.mk(span, Type::Text, ExprKind::Literal(Literal::Text(t.clone()))))
                        }
                        ast::TemplatePart::Hole(e) => {
                            let x = self.expr(e, scope, None);
                            if matches!(x.ty, Type::Record(_) | Type::List(_) | Type::EmptyList) {
                                let d = self.wrong_kind(
                                    e.span,
                                    &x.ty,
                                    Msg::new("文字中只能填入单个的值", "a text can only show single values"),
                                );
                                self.error(d);
                            }
                            lowered.push(x);
                        }
                    }
                }
                self.mk(span, Type::Text, ExprKind::Template(lowered))
            }
            A::Undecided(reason) => {
                let r = self.expr(reason, scope, Some(&Type::Text));
                self.expect_type(&r.ty, &Type::Text, reason.span, Msg::new("待定的理由", "the reason"));
                self.mk(span, Type::Never, ExprKind::Undecided(Box::new(r)))
            }
            A::Total => {
                if !self.total_allowed {
                    self.error(
                        Diagnostic::error(
                            Code::TotalOutsidePurpose,
                            Msg::new(
                                "「总分」只能用在用途的条款和排序中",
                                "`total` is only meaningful in a purpose's clauses and in rankings",
                            ),
                            Label::primary(span, Msg::new("这里没有「用途」", "no purpose here")),
                        )
                        .with_help(Msg::new(
                            "总分取决于用途计入哪些类别（计入 基础分、附加分、扣减分）；把这个条件写进「用途」",
                            "a total depends on the categories a purpose counts; move this condition into a purpose",
                        )),
                    );
                    return self.poisoned(span);
                }
                self.mk(span, Type::points(), ExprKind::Total)
            }
            A::Bool(b) => self.mk(span, Type::Bool, ExprKind::Literal(Literal::Bool(*b))),
            A::EmptyList => {
                let ty = match expected {
                    Some(t @ Type::List(_)) => t.clone(),
                    _ => Type::EmptyList,
                };
                self.mk(span, ty, ExprKind::Literal(Literal::EmptyList))
            }
            A::Applicant => {
                // A policy without 申请人 is reported once (E0401, or the declaration's syntax
                // error); Type::Error keeps every use of it from being reported again.
                let ty = self.applicant.map(Type::Record).unwrap_or(Type::Error);
                self.mk(span, ty, ExprKind::Applicant)
            }
            A::AsOf => self.mk(span, Type::Date, ExprKind::AsOf),
            A::Name(n) => self.name(n, scope, expected),
            A::Field(record, field) => self.field(span, record, field, scope),
            A::Index(table, key) => self.index(span, table, key, scope),
            A::Neg(inner) => {
                let x = self.expr(inner, scope, None);
                if !matches!(x.ty, Type::Number(_) | Type::Error) {
                    self.expect_type(
                        &x.ty,
                        &Type::Number(Unit::NONE),
                        inner.span,
                        Msg::new("取负的对象", "negated value"),
                    );
                }
                let ty = x.ty.clone();
                self.mk(span, ty, ExprKind::Neg(Box::new(x)))
            }
            A::Not(inner) => {
                let x = self.condition(inner, scope);
                self.mk(span, Type::Bool, ExprKind::Not(Box::new(x)))
            }
            A::Binary(op, l, r) => self.binary(span, *op, l, r, scope),
            A::Between { value, low, high, below } => {
                let v = self.expr(value, scope, None);
                let lo = self.expr(low, scope, Some(&v.ty));
                let hi = self.expr(high, scope, Some(&v.ty));
                if matches!(high.kind, A::MonthDay(_, _, true)) {
                    self.next_year_bounds.insert(hi.node.0);
                }
                // A date between two days of the year (受理期 5月1日 至 5月31日) compares within its own year.
                let yearly = v.ty == Type::Date && lo.ty == Type::MonthDay && hi.ty == Type::MonthDay;
                if !yearly {
                    self.comparable(&v, value, &lo, low, true);
                    self.comparable(&v, value, &hi, high, true);
                }
                self.mk(
                    span,
                    Type::Bool,
                    ExprKind::Between { value: Box::new(v), low: Box::new(lo), high: Box::new(hi), below: *below },
                )
            }
            A::OneOf { value, variants } => {
                let v = self.expr(value, scope, None);
                let mut indices = Vec::new();
                match &v.ty {
                    Type::Enum(en) => {
                        for name in variants {
                            if let Some(i) = self.variant_index(*en, name) {
                                indices.push(i);
                            }
                        }
                    }
                    Type::Error => {}
                    other => {
                        let t = self.type_name(other);
                        self.error(Diagnostic::error(
                            Code::TypeMismatch,
                            Msg::new(
                                format!("「是 … 之一」只用于枚举，这里是「{t}」"),
                                format!("`is … oneof` needs an enumeration, found `{t}`"),
                            ),
                            Label::primary(value.span, Msg::new(format!("这里是「{t}」"), format!("this is `{t}`"))),
                        ));
                    }
                }
                self.mk(span, Type::Bool, ExprKind::OneOf { value: Box::new(v), variants: indices })
            }
            A::Step(step) => self.step(span, step, scope),
            A::If { cond, then, otherwise } => {
                let c = self.condition(cond, scope);
                let t = self.expr(then, scope, expected);
                let o = self.expr(otherwise, scope, Some(&t.ty));
                let ty = self.join(&t, &o, otherwise.span);
                self.mk(span, ty, ExprKind::If { cond: Box::new(c), then: Box::new(t), otherwise: Box::new(o) })
            }
            A::IfLet { name, value, then, otherwise } => {
                let v = self.expr(value, scope, None);
                let inner = match &v.ty {
                    Type::Optional(t) => (**t).clone(),
                    Type::Error => Type::Error,
                    other => {
                        let t = self.type_name(other);
                        self.error(
                            Diagnostic::error(
                                Code::TypeMismatch,
                                Msg::new(
                                    format!("「若有」需要一个可选值，这里是「{t}」"),
                                    format!("`iflet` needs an optional value, found `{t}`"),
                                ),
                                Label::primary(value.span, Msg::new("这个值总是存在", "this value is always present")),
                            )
                            .with_help(Msg::new(
                                "直接使用该值，或改用「若 … 则 … 否则 …」",
                                "use the value directly, or `if … then … else …`",
                            )),
                        );
                        other.clone()
                    }
                };
                let mark = scope.mark();
                let local = scope.bind(&name.text, inner);
                let t = self.expr(then, scope, expected);
                scope.reset(mark);
                let o = self.expr(otherwise, scope, Some(&t.ty));
                let ty = self.join(&t, &o, otherwise.span);
                self.mk(
                    span,
                    ty,
                    ExprKind::IfLet {
                        local,
                        name: name.text.clone(),
                        value: Box::new(v),
                        then: Box::new(t),
                        otherwise: Box::new(o),
                    },
                )
            }
            A::Match { scrutinee, arms } => self.match_expr(span, scrutinee, arms, scope, expected),
            A::Brackets { scrutinee, arms } => self.brackets(span, scrutinee, arms, scope, expected),
            A::Call { function, args } => self.call(span, function, args, scope),
            A::Comprehension { function, comp } => self.comprehension(span, function, comp, scope),
        }
    }

    /// A value of the wrong kind for a construct: E0205 when it is optional (the fix is to handle
    /// absence), E0201 otherwise. The caller may add a more specific help.
    pub(super) fn wrong_kind(&self, span: Span, found: &Type, needs: Msg) -> Diagnostic {
        let t = self.type_name(found);
        let optional = matches!(found, Type::Optional(_));
        let d = Diagnostic::error(
            if optional { Code::OptionalNotHandled } else { Code::TypeMismatch },
            Msg::new(format!("{}，这里是「{t}」", needs.zh), format!("{}, found `{t}`", needs.en)),
            Label::primary(span, Msg::new(format!("这里是「{t}」"), format!("this is `{t}`"))),
        );
        if optional {
            d.with_help(optional_help())
        } else {
            d
        }
    }

    /// The first arm fixes the result type (unless the context expects one); later arms must match it.
    fn unify_arm(&mut self, result_ty: &mut Option<Type>, r: &Expr, span: Span, what: Msg) {
        match result_ty {
            Some(t) if !t.is_error() => {
                let t = t.clone();
                self.expect_type(&r.ty, &t, span, what);
            }
            _ => *result_ty = Some(r.ty.clone()),
        }
    }

    pub(super) fn condition(&mut self, e: &ast::Expr, scope: &mut Scope) -> Expr {
        let x = self.expr(e, scope, Some(&Type::Bool));
        self.expect_type(&x.ty, &Type::Bool, e.span, Msg::new("条件", "the condition"));
        x
    }

    /// A 说明: text, in the scope of the rule it describes.
    pub(super) fn description(&mut self, e: &ast::Expr, scope: &mut Scope) -> Expr {
        let x = self.expr(e, scope, Some(&Type::Text));
        self.expect_type(&x.ty, &Type::Text, e.span, Msg::new("说明", "the description"));
        x
    }

    /// The common type of two branches.
    fn join(&mut self, a: &Expr, b: &Expr, b_span: Span) -> Type {
        if a.ty.is_error() {
            return b.ty.clone();
        }
        self.expect_type(&b.ty, &a.ty, b_span, Msg::new("这个分支", "this branch"));
        a.ty.clone()
    }

    fn name(&mut self, n: &ast::Name, scope: &mut Scope, expected: Option<&Type>) -> Expr {
        if let Some((local, ty)) = scope.lookup(&n.text) {
            return self.mk(n.span, ty, ExprKind::Local { local, name: n.text.clone() });
        }
        match self.value_ref(&n.text) {
            Some(ValueRef::Const(id)) => {
                // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
                if matches!(self.consts.get(id.0 as usize).map(|c| &c.state), Some(super::State::InProgress)) {
                    self.cycle(n);
                    return self.poisoned(n.span);
                }
                self.references.push((n.text.clone(), n.span));
                let ty = self.ensure_const(id);
                self.references.pop();
                return self.mk(n.span, ty, ExprKind::Const(id));
            }
            Some(ValueRef::Table(_)) => {
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        Msg::new(
                            format!("「{}」是表，须用 [键] 查询", n.text),
                            format!("`{}` is a table; look it up with [key]", n.text),
                        ),
                        Label::primary(n.span, Msg::new("缺少 [键]", "missing [key]")),
                    )
                    .with_help(Msg::new(format!("写成 {}[申请人.…]", n.text), format!("write {}[…]", n.text))),
                );
                return self.poisoned(n.span);
            }
            None => {}
        }
        if let Some(Type::Enum(e)) = expected {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            if let Some(i) = self.enums.get(e.0 as usize).and_then(|d| d.variants.iter().position(|v| *v == n.text)) {
                return self.mk(n.span, Type::Enum(*e), ExprKind::Literal(Literal::Variant(*e, super::idx(i))));
            }
        }
        self.unknown_name(n, scope, expected);
        self.poisoned(n.span)
    }

    /// A constant or table used while its own value is being worked out: the cycle, step by step,
    /// each step labelled where one declaration uses the next.
    fn cycle(&mut self, n: &ast::Name) {
        let start = self.references.iter().position(|(name, _)| *name == n.text);
        let chain: Vec<(String, Span)> = match start {
            Some(i) => self.references.iter().skip(i + 1).cloned().collect(),
            None => self.references.clone(),
        };
        let mut steps: Vec<(String, String, Span)> = Vec::new();
        let mut user = n.text.clone();
        for (used, at) in chain.iter().chain(std::iter::once(&(n.text.clone(), n.span))) {
            steps.push((user.clone(), used.clone(), *at));
            user = used.clone();
        }
        let path: Vec<&str> =
            std::iter::once(n.text.as_str()).chain(steps.iter().map(|(_, used, _)| used.as_str())).collect();
        let (zh, en) = if steps.len() <= 1 {
            (format!("循环定义：「{}」的值依赖它自己", n.text), format!("cycle: `{}` depends on itself", n.text))
        } else {
            (format!("循环定义：{}", path.join(" → ")), format!("cycle: {}", path.join(" -> ")))
        };
        let mut labels = steps.iter().enumerate().map(|(i, (user, used, at))| {
            let msg = Msg::new(
                format!("第{}步：「{user}」在这里用到「{used}」", i + 1),
                format!("step {}: `{user}` uses `{used}` here", i + 1),
            );
            if i + 1 == steps.len() {
                Label::primary(*at, msg)
            } else {
                Label::secondary(*at, msg)
            }
        });
        let mut ordered: Vec<Label> = labels.by_ref().collect();
        // The primary label (where the cycle closes) comes first.
        ordered.rotate_right(1);
        let Some(first) = ordered.first().cloned() else { return };
        let mut d = Diagnostic::error(Code::Cycle, Msg::new(zh, en), first);
        for l in ordered.into_iter().skip(1) {
            d = d.with_label(l);
        }
        self.error(d.with_help(Msg::new(
            "常量和表不能相互引用成环；把其中一个写成具体的值",
            "constants and tables cannot use each other in a cycle: write one of the values out",
        )));
    }

    fn unknown_name(&mut self, n: &ast::Name, scope: &Scope, expected: Option<&Type>) {
        if self.is_broken(&[ast::DeclarationKind::Const, ast::DeclarationKind::Table], Some(&n.text)) {
            return;
        }
        // Where an enumeration's value is expected (`学历 = 专科`), an unknown word is an unknown
        // value: list the values, never guess one that is spelt alike but means something else.
        if let Some(Type::Enum(e)) = expected {
            let e = *e;
            let _ = self.variant_index(e, n);
            return;
        }
        let mut candidates: Vec<String> = scope.frames.iter().map(|(n, _, _)| n.clone()).collect();
        candidates.extend(self.values.keys().cloned());
        if let Some(Type::Enum(e)) = expected {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            if let Some(d) = self.enums.get(e.0 as usize) {
                candidates.extend(d.variants.iter().cloned());
            }
        }
        let mut d = Diagnostic::error(
            Code::UnknownName,
            Msg::new(format!("未声明的名称「{}」", n.text), format!("unknown name `{}`", n.text)),
            Label::primary(n.span, Msg::new("找不到这个名称", "not found")),
        );
        let known = |rest: &str| {
            crate::syntax::keywords::is_keyword(rest)
                || candidates.iter().any(|c| c == rest)
                || self.applicant_field(rest)
        };
        if let Some(k) = names::glued_keyword(&n.text, &known) {
            d = d.with_help(Msg::new(
                format!("「{k}」是关键字：在它后面加一个空格"),
                format!("`{k}` is a keyword: put a space after it"),
            ));
        } else if let Some(s) = names::closest(&n.text, candidates.iter().map(String::as_str)) {
            d = d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?")));
        } else if self.applicant_field(&n.text) {
            d = d.with_help(Msg::new(
                format!("申请人的字段要写成「申请人.{}」", n.text),
                format!("applicant fields are written `申请人.{}`", n.text),
            ));
        }
        self.error(d);
    }

    fn applicant_field(&self, name: &str) -> bool {
        self.applicant
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            .and_then(|a| self.records.get(a.0 as usize))
            .is_some_and(|r| r.fields.iter().any(|f| f.name == name))
    }

    fn field(&mut self, span: Span, record: &ast::Expr, field: &ast::Name, scope: &mut Scope) -> Expr {
        let r = self.expr(record, scope, None);
        let rid = match &r.ty {
            Type::Record(id) => *id,
            Type::Error => return self.poisoned(span),
            Type::Optional(inner) if matches!(**inner, Type::Record(_)) => {
                let t = self.type_name(&r.ty);
                self.error(
                    Diagnostic::error(
                        Code::OptionalNotHandled,
                        Msg::new(
                            format!("可选值「{t}」须先处理才能取字段「{}」", field.text),
                            format!("optional `{t}` must be handled before reading `{}`", field.text),
                        ),
                        Label::primary(record.span, Msg::new("这个值可能不存在", "this value may be absent")),
                    )
                    .with_help(optional_help()),
                );
                return self.poisoned(span);
            }
            other => {
                let t = self.type_name(other);
                self.error(Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(format!("「{t}」没有字段"), format!("`{t}` has no fields")),
                    Label::primary(record.span, Msg::new(format!("这里是「{t}」"), format!("this is `{t}`"))),
                ));
                return self.poisoned(span);
            }
        };
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let Some(def) = self.records.get(rid.0 as usize) else {
            return self.poisoned(span);
        };
        match def.fields.iter().enumerate().find(|(_, f)| f.name == field.text) {
            Some((i, f)) => {
                let ty = f.ty.clone();
                self.mk(
                    span,
                    ty,
                    ExprKind::Field { record: Box::new(r), field: super::idx(i), name: field.text.clone() },
                )
            }
            None => {
                let rec_name = def.name.clone();
                let fields: Vec<String> = def.fields.iter().map(|f| f.name.clone()).collect();
                let mut d = Diagnostic::error(
                    Code::UnknownField,
                    Msg::new(
                        format!("「{}」没有字段「{}」", rec_name, field.text),
                        format!("`{}` has no field `{}`", rec_name, field.text),
                    ),
                    Label::primary(field.span, Msg::new("未知的字段", "unknown field")),
                );
                d = match names::closest(&field.text, fields.iter().map(String::as_str)) {
                    Some(s) => d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?"))),
                    None => d.with_help(Msg::new(
                        format!("可用的字段：{}", fields.join("、")),
                        format!("fields: {}", fields.join(", ")),
                    )),
                };
                self.error(d);
                self.poisoned(span)
            }
        }
    }

    fn index(&mut self, span: Span, table: &ast::Expr, key: &ast::Expr, scope: &mut Scope) -> Expr {
        let A::Name(name) = &table.kind else {
            self.error(Diagnostic::error(
                Code::TypeMismatch,
                Msg::new("只有表可以用 [键] 查询", "only tables can be looked up with [key]"),
                Label::primary(table.span, Msg::new("这不是表", "not a table")),
            ));
            return self.poisoned(span);
        };
        let id = match self.value_ref(&name.text) {
            Some(ValueRef::Table(id)) => id,
            Some(ValueRef::Const(_)) => {
                self.error(Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(
                        format!("「{}」是常量，不是表", name.text),
                        format!("`{}` is a constant, not a table", name.text),
                    ),
                    Label::primary(name.span, Msg::new("不能用 [键] 查询", "cannot be looked up")),
                ));
                return self.poisoned(span);
            }
            None => {
                self.unknown_name(name, scope, None);
                return self.poisoned(span);
            }
        };
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        if matches!(self.tables.get(id.0 as usize).map(|t| &t.state), Some(super::State::InProgress)) {
            self.cycle(name);
            return self.poisoned(span);
        }
        // The id was found by name among the tables collected, so the slot is there.
        let Some((key_ty, value_ty)) = self.tables.get(id.0 as usize).map(|t| (t.key_ty.clone(), t.value_ty.clone()))
        else {
            self.fault(name.span, "表的编号无效", "a table id out of range");
            return self.poisoned(span);
        };
        let k = self.expr(key, scope, Some(&key_ty));
        self.expect_type(
            &k.ty,
            &key_ty,
            key.span,
            Msg::new(format!("表「{}」的键", name.text), format!("the key of `{}`", name.text)),
        );
        self.references.push((name.text.clone(), name.span));
        self.ensure_table(id);
        self.references.pop();
        self.mk(span, value_ty, ExprKind::Lookup { table: id, key: Box::new(k) })
    }

    fn binary(&mut self, span: Span, op: BinOp, l: &ast::Expr, r: &ast::Expr, scope: &mut Scope) -> Expr {
        match op {
            BinOp::And | BinOp::Or => {
                let a = self.condition(l, scope);
                let b = self.condition(r, scope);
                let kind = if op == BinOp::And {
                    ExprKind::And(Box::new(a), Box::new(b))
                } else {
                    ExprKind::Or(Box::new(a), Box::new(b))
                };
                self.mk(span, Type::Bool, kind)
            }
            BinOp::Default => {
                let a = self.expr(l, scope, None);
                let inner = match &a.ty {
                    Type::Optional(t) => (**t).clone(),
                    Type::Error => Type::Error,
                    other => {
                        let t = self.type_name(other);
                        self.error(Diagnostic::error(
                            Code::TypeMismatch,
                            Msg::new(
                                format!("「缺省」的左边须为可选值，这里是「{t}」"),
                                format!("`default` needs an optional value on its left, found `{t}`"),
                            ),
                            Label::primary(l.span, Msg::new("这个值总是存在", "always present")),
                        ));
                        other.clone()
                    }
                };
                let b = self.expr(r, scope, Some(&inner));
                self.expect_type(&b.ty, &inner, r.span, Msg::new("缺省值", "the default"));
                self.mk(span, inner, ExprKind::Default(Box::new(a), Box::new(b)))
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                // A bare enumeration value on the left (`本科 = x.学历`) takes the right side's type.
                let left_is_bare = matches!(&l.kind, A::Name(n) if scope.lookup(&n.text).is_none() && self.value_ref(&n.text).is_none());
                let (a, b) = if left_is_bare {
                    let b = self.expr(r, scope, None);
                    let a = self.expr(l, scope, Some(&b.ty));
                    (a, b)
                } else {
                    let a = self.expr(l, scope, None);
                    let b = self.expr(r, scope, Some(&a.ty));
                    (a, b)
                };
                let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
                self.comparable(&a, l, &b, r, ordered);
                let cmp = match op {
                    BinOp::Eq => CmpOp::Eq,
                    BinOp::Ne => CmpOp::Ne,
                    BinOp::Lt => CmpOp::Lt,
                    BinOp::Le => CmpOp::Le,
                    BinOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                self.mk(span, Type::Bool, ExprKind::Compare(cmp, Box::new(a), Box::new(b)))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => self.arith(span, op, l, r, scope),
        }
    }

    fn arith(&mut self, span: Span, op: BinOp, l: &ast::Expr, r: &ast::Expr, scope: &mut Scope) -> Expr {
        let a = self.expr(l, scope, None);
        let b = self.expr(r, scope, None);
        let aop = match op {
            BinOp::Add => ArithOp::Add,
            BinOp::Sub => ArithOp::Sub,
            BinOp::Mul => ArithOp::Mul,
            _ => ArithOp::Div,
        };
        match (&a.ty, &b.ty) {
            (Type::Error, _) | (_, Type::Error) => {
                let kind = ExprKind::Arith(aop, Box::new(a), Box::new(b));
                self.mk(span, Type::Error, kind)
            }
            (Type::Date, Type::Number(u)) if matches!(op, BinOp::Add | BinOp::Sub) => {
                let unit = match u.as_base() {
                    Some(BaseUnit::Year) => Some(DateUnit::Years),
                    Some(BaseUnit::Month) => Some(DateUnit::Months),
                    Some(BaseUnit::Day) => Some(DateUnit::Days),
                    _ => None,
                };
                let Some(unit) = unit else {
                    let t = u.zh();
                    self.error(
                        Diagnostic::error(
                            Code::UnitMismatch,
                            Msg::new(
                                format!("日期只能加减年、个月或日，不能加减「{t}」"),
                                format!("a date moves by years, months or days, not `{t}`"),
                            ),
                            Label::primary(r.span, Msg::new(format!("这里是「{t}」"), format!("this is `{t}`"))),
                        )
                        .with_help(Msg::new("写成如 评估日 − 5年", "write e.g. 评估日 − 5年")),
                    );
                    return self.poisoned(span);
                };
                let backwards = op == BinOp::Sub;
                self.mk(
                    span,
                    Type::Date,
                    ExprKind::DateShift { date: Box::new(a), amount: Box::new(b), unit, backwards },
                )
            }
            (Type::Number(x), Type::Number(y)) => {
                let (x, y) = (*x, *y);
                let unit = match op {
                    BinOp::Add | BinOp::Sub => {
                        if x != y {
                            self.unit_clash(Code::UnitMismatch, x, l.span, y, r.span, r);
                        }
                        x
                    }
                    BinOp::Mul => x.times(y),
                    _ => x.per(y),
                };
                self.mk(span, Type::Number(unit), ExprKind::Arith(aop, Box::new(a), Box::new(b)))
            }
            (ta, tb) => {
                let (na, nb) = (self.type_name(ta), self.type_name(tb));
                let optional = matches!(ta, Type::Optional(_)) || matches!(tb, Type::Optional(_));
                let (code, help) = if optional {
                    (Code::OptionalNotHandled, optional_help())
                } else {
                    (
                        Code::TypeMismatch,
                        Msg::new(
                            "算术只用于数与带单位的数（日期可加减年、个月、日）",
                            "arithmetic works on numbers (and dates ± years, months, days)",
                        ),
                    )
                };
                self.error(
                    Diagnostic::error(
                        code,
                        Msg::new(
                            format!("不能对「{na}」和「{nb}」做算术"),
                            format!("cannot do arithmetic on `{na}` and `{nb}`"),
                        ),
                        Label::primary(span, Msg::new(format!("「{na}」与「{nb}」"), format!("`{na}` and `{nb}`"))),
                    )
                    .with_help(help),
                );
                self.poisoned(span)
            }
        }
    }

    /// Two sides of a comparison must have the same type (and unit).
    fn comparable(&mut self, a: &Expr, a_src: &ast::Expr, b: &Expr, b_src: &ast::Expr, ordered: bool) {
        let (a_span, b_span) = (a_src.span, b_src.span);
        match (&a.ty, &b.ty) {
            (Type::Error, _) | (_, Type::Error) => {}
            (Type::Number(x), Type::Number(y)) => {
                if x != y {
                    self.unit_clash(Code::UnitComparison, *x, a_span, *y, b_span, b_src);
                    self.describe_last_left(a);
                }
            }
            (Type::Date, Type::Date) => {}
            (x, y) if x == y && !ordered && matches!(x, Type::Enum(_) | Type::Bool | Type::Text) => {}
            (x, y) => {
                let (nx, ny) = (self.type_name(x), self.type_name(y));
                let optional = matches!(x, Type::Optional(_)) || matches!(y, Type::Optional(_));
                let (code, help) = if optional {
                    (Code::OptionalNotHandled, optional_help())
                } else if x == y {
                    (
                        Code::TypeMismatch,
                        Msg::new(
                            "枚举、布尔和文本只能比较是否相等（= 或 ≠）",
                            "enumerations, booleans and text compare only with = and ≠",
                        ),
                    )
                } else {
                    (
                        Code::TypeMismatch,
                        Msg::new("比较的两边须为同一类型", "both sides of a comparison must have the same type"),
                    )
                };
                self.error(
                    Diagnostic::error(
                        code,
                        Msg::new(format!("不能比较「{nx}」与「{ny}」"), format!("cannot compare `{nx}` with `{ny}`")),
                        Label::primary(a_span, Msg::new(format!("这里是「{nx}」"), format!("this is `{nx}`"))),
                    )
                    .with_label(Label::secondary(
                        b_span,
                        Msg::new(format!("这里是「{ny}」"), format!("this is `{ny}`")),
                    ))
                    .with_help(help),
                );
            }
        }
    }

    /// Name the fact behind the left side of a unit clash (`申请人.社保连续月数`), as drafters read it.
    fn describe_last_left(&mut self, a: &Expr) {
        let Some(path) = fact_path(a) else { return };
        if let Some(label) = self.diags.0.last_mut().and_then(|d| d.labels.first_mut()) {
            label.message.zh = format!("{}（{}）", label.message.zh, path);
            label.message.en = format!("{} ({})", label.message.en, path);
        }
    }

    fn unit_clash(&mut self, code: Code, x: Unit, x_span: Span, y: Unit, y_span: Span, rhs: &ast::Expr) {
        let verb = if code == Code::UnitComparison { ("比较", "compare") } else { ("相加减", "add or subtract") };
        self.unit_clash_in(code, verb, (x, x_span), (y, y_span), rhs);
    }

    /// `rhs` is the side with unit `y`, where a fix would be written.
    fn unit_clash_in(
        &mut self,
        code: Code,
        verb: (&str, &str),
        (x, x_span): (Unit, Span),
        (y, y_span): (Unit, Span),
        rhs: &ast::Expr,
    ) {
        let (nx, ny) = (unit_label(x), unit_label(y));
        let help = conversion_help(x, y, rhs);
        self.error(
            Diagnostic::error(
                code,
                Msg::new(
                    format!("单位不一致：不能{}「{}」与「{}」", verb.0, nx, ny),
                    format!("unit mismatch: cannot {} `{}` with `{}`", verb.1, nx, ny),
                ),
                Label::primary(x_span, Msg::new(format!("这里是「{nx}」"), format!("this is `{nx}`"))),
            )
            .with_label(Label::secondary(y_span, Msg::new(format!("这里是「{ny}」"), format!("this is `{ny}`"))))
            .with_help(help),
        );
    }

    fn step(&mut self, span: Span, step: &ast::Step, scope: &mut Scope) -> Expr {
        let q = self.expr(&step.quantity, scope, None);
        let every = self.expr(&step.every, scope, None);
        let gives = self.expr(&step.gives, scope, None);
        let cap = step.cap.as_ref().map(|c| (self.expr(c, scope, None), c.span));
        for (x, s) in [(&q, step.quantity.span), (&every, step.every.span), (&gives, step.gives.span)] {
            if !matches!(x.ty, Type::Number(_) | Type::Error) {
                let d = self.wrong_kind(s, &x.ty, Msg::new("「每满 … 计 …」需要数", "`every … gives …` needs numbers"));
                self.error(d);
            }
        }
        let verb = ("在「每满 … 计 …，最高 …」中并用", "combine in `每满 … 计 …，最高 …`");
        if let (Type::Number(x), Type::Number(y)) = (&q.ty, &every.ty) {
            if x != y {
                self.unit_clash_in(
                    Code::UnitMismatch,
                    verb,
                    (*x, step.quantity.span),
                    (*y, step.every.span),
                    &step.every,
                );
            }
        }
        if let (Some((c, cs)), Some(cap_expr), Type::Number(g)) = (&cap, &step.cap, &gives.ty) {
            if let Type::Number(cu) = &c.ty {
                if cu != g {
                    self.unit_clash_in(Code::UnitMismatch, verb, (*g, step.gives.span), (*cu, *cs), cap_expr);
                }
            }
        }
        let ty = gives.ty.clone();
        self.mk(
            span,
            ty,
            ExprKind::Step {
                quantity: Box::new(q),
                every: Box::new(every),
                gives: Box::new(gives),
                cap: cap.map(|(c, _)| Box::new(c)),
            },
        )
    }

    fn match_expr(
        &mut self,
        span: Span,
        scrutinee: &ast::Expr,
        arms: &[ast::MatchArm],
        scope: &mut Scope,
        expected: Option<&Type>,
    ) -> Expr {
        let s = self.expr(scrutinee, scope, None);
        let enum_id = match &s.ty {
            Type::Enum(e) => Some(*e),
            Type::Error => None,
            other => {
                let d = self.wrong_kind(
                    scrutinee.span,
                    other,
                    Msg::new("「匹配」只用于枚举", "`match` needs an enumeration"),
                );
                let d = if d.help.is_none() {
                    d.with_help(Msg::new("数值请用「分段」", "use `brackets` for numbers"))
                } else {
                    d
                };
                self.error(d);
                None
            }
        };
        let mut lowered = Vec::new();
        let mut result_ty: Option<Type> = expected.cloned().filter(|t| !t.is_error());
        let mut covered: Vec<u32> = Vec::new();
        let mut has_otherwise = false;
        for arm in arms {
            let mut variants = Vec::new();
            if arm.patterns.is_empty() {
                if has_otherwise {
                    self.unreachable(arm.span, Msg::new("「其他情形」已写过", "`otherwise` appears twice"));
                }
                has_otherwise = true;
            }
            if let Some(e) = enum_id {
                for p in &arm.patterns {
                    if let Some(i) = self.variant_index(e, p) {
                        if covered.contains(&i) {
                            self.unreachable(
                                p.span,
                                Msg::new(
                                    format!("「{}」已在前面的分支中", p.text),
                                    format!("`{}` is already matched above", p.text),
                                ),
                            );
                        } else {
                            covered.push(i);
                            variants.push(i);
                        }
                    }
                }
            }
            let r = self.expr(&arm.result, scope, result_ty.as_ref());
            self.unify_arm(&mut result_ty, &r, arm.result.span, Msg::new("这个分支", "this arm"));
            lowered.push(MatchArm { variants, result: r });
        }
        if let (Some(e), false) = (enum_id, has_otherwise) {
            let missing = self.missing_variants(e, &covered, scrutinee.span);
            if !missing.is_empty() {
                self.error(
                    Diagnostic::error(
                        Code::NonExhaustiveMatch,
                        Msg::new(
                            format!("匹配不完整：未处理 {}", missing.join("、")),
                            format!("non-exhaustive match: {} not covered", missing.join(", ")),
                        ),
                        Label::primary(scrutinee.span, Msg::new("这些取值没有对应的分支", "these values have no arm")),
                    )
                    .with_help(Msg::new(
                        format!("补上「{} → …」，或加「其他情形 → …」", missing.join("、")),
                        format!("add `{} → …`, or `其他情形 → …` (otherwise)", missing.join("、")),
                    )),
                );
            }
        }
        // The grammar gives a match at least one arm, and the first arm sets the type.
        let ty = result_ty.unwrap_or_else(|| {
            self.fault(span, "「匹配」没有分支", "a match without arms");
            Type::Error
        });
        self.mk(span, ty, ExprKind::Match { scrutinee: Box::new(s), arms: lowered })
    }

    fn brackets(
        &mut self,
        span: Span,
        scrutinee: &ast::Expr,
        arms: &[ast::BracketArm],
        scope: &mut Scope,
        expected: Option<&Type>,
    ) -> Expr {
        let s = self.expr(scrutinee, scope, None);
        let unit = match &s.ty {
            Type::Number(u) => Some(*u),
            Type::Error => None,
            other => {
                let d =
                    self.wrong_kind(scrutinee.span, other, Msg::new("「分段」只用于数", "`brackets` needs a number"));
                self.error(d);
                None
            }
        };
        let mut result_ty: Option<Type> = expected.cloned().filter(|t| !t.is_error());
        let mut lowered = Vec::new();
        let mut otherwise: Option<Box<Expr>> = None;
        let mut ranges = Vec::new();
        for arm in arms {
            let r = self.expr(&arm.result, scope, result_ty.as_ref());
            self.unify_arm(&mut result_ty, &r, arm.result.span, Msg::new("这个分段", "this bracket"));
            if arm.otherwise {
                if otherwise.is_some() {
                    self.unreachable(arm.span, Msg::new("「其他情形」已写过", "`otherwise` appears twice"));
                }
                otherwise = Some(Box::new(r));
                continue;
            }
            let from = arm.from.as_ref().map(|q| self.bound(q, unit));
            let below = arm.below.as_ref().map(|q| self.bound(q, unit));
            ranges.push(super::coverage::Range { from, below, span: arm.span });
            lowered.push(Bracket { from, below, result: r });
        }
        // No unit when the value is not a number, which is reported above: the coverage messages
        // then show bare numbers.
        self.check_brackets(&ranges, otherwise.is_some(), scrutinee.span, unit.map(|u| u.zh()).unwrap_or_default());
        // The grammar gives brackets at least one arm, and the first arm sets the type.
        let ty = result_ty.unwrap_or_else(|| {
            self.fault(span, "「分段」没有分段", "brackets without arms");
            Type::Error
        });
        self.mk(span, ty, ExprKind::Brackets { scrutinee: Box::new(s), arms: lowered, otherwise })
    }

    fn bound(&mut self, q: &ast::Quantity, unit: Option<Unit>) -> Decimal {
        let (v, u) = quantity_value(q);
        if let Some(want) = unit {
            if u != want {
                let e = ast::Expr { kind: A::Quantity(q.clone()), span: q.span };
                self.unit_clash(Code::UnitComparison, want, q.span, u, q.span, &e);
            }
        }
        v
    }

    fn call(&mut self, span: Span, function: &ast::Name, args: &[ast::Expr], scope: &mut Scope) -> Expr {
        let builtin = match names::function(&function.text) {
            Some(FunctionKind::Call(b)) | Some(FunctionKind::Both(b, _)) => b,
            Some(FunctionKind::Over(_)) => {
                self.error(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        Msg::new(
                            format!("「{}」须遍历一个列表", function.text),
                            format!("`{}` works over a list", function.text),
                        ),
                        Label::primary(function.span, Msg::new("这里", "here")),
                    )
                    .with_help(Msg::new(
                        format!("写成 {}（记录 属于 申请人.… 其中 …：…）", function.text),
                        "write f(x in list where … : …)",
                    )),
                );
                return self.poisoned(span);
            }
            None => {
                self.unknown_function(function);
                return self.poisoned(span);
            }
        };
        let lowered: Vec<Expr> = args.iter().map(|a| self.expr(a, scope, None)).collect();
        let (min, max) = match builtin {
            Builtin::FullYears | Builtin::Days | Builtin::Duration | Builtin::SameYear => (2, 2),
            Builtin::Age => (1, 2),
            Builtin::Year | Builtin::Magnitude => (1, 1),
            Builtin::Max | Builtin::Min => (1, usize::MAX),
        };
        if lowered.len() < min || lowered.len() > max {
            let want = if min == max {
                format!("{min}")
            } else if max == usize::MAX {
                format!("至少 {min}")
            } else {
                format!("{min} 至 {max}")
            };
            self.error(
                Diagnostic::error(
                    Code::ArgumentCount,
                    Msg::new(
                        format!("「{}」需要 {} 个参数，这里有 {} 个", function.text, want, lowered.len()),
                        format!(
                            "`{}` takes {} argument(s), found {}",
                            function.text,
                            want.replace("至少", "at least").replace('至', "to"),
                            lowered.len()
                        ),
                    ),
                    Label::primary(span, Msg::new("参数个数不对", "wrong number of arguments")),
                )
                .with_help(Msg::same(names::builtin_signature(builtin))),
            );
            return self.poisoned(span);
        }
        let ty = match builtin {
            Builtin::Magnitude => {
                if let (Some(a), Some(src)) = (lowered.first(), args.first()) {
                    if !matches!(a.ty, Type::Number(_) | Type::Error) {
                        let d = self.wrong_kind(
                            src.span,
                            &a.ty,
                            Msg::new("「数值」需要一个数", "`magnitude` needs a number"),
                        );
                        self.error(d);
                    }
                }
                Type::Number(Unit::NONE)
            }
            Builtin::SameYear => {
                let want = [Type::Date, Type::MonthDay];
                for ((a, src), w) in lowered.iter().zip(args).zip(want.iter()) {
                    self.expect_type(
                        &a.ty,
                        w,
                        src.span,
                        Msg::new(format!("「{}」的参数", function.text), format!("argument of `{}`", function.text)),
                    );
                }
                Type::Date
            }
            Builtin::FullYears | Builtin::Days | Builtin::Duration | Builtin::Age | Builtin::Year => {
                for (a, src) in lowered.iter().zip(args) {
                    self.expect_type(
                        &a.ty,
                        &Type::Date,
                        src.span,
                        Msg::new(format!("「{}」的参数", function.text), format!("argument of `{}`", function.text)),
                    );
                }
                match builtin {
                    Builtin::Days => Type::Number(Unit::base(BaseUnit::Day)),
                    Builtin::Duration => Type::Text,
                    Builtin::Year => Type::Number(Unit::NONE),
                    _ => Type::Number(Unit::base(BaseUnit::Year)),
                }
            }
            Builtin::Max | Builtin::Min => {
                // At least one argument: the count was checked above.
                let Some((first, first_span)) = lowered.first().zip(args.first()).map(|(a, s)| (a.ty.clone(), s.span))
                else {
                    self.fault(span, "「最大」「最小」没有参数", "`max`/`min` without arguments");
                    return self.poisoned(span);
                };
                if !matches!(first, Type::Number(_) | Type::Date | Type::Error) {
                    let needs = Msg::new(
                        format!("「{}」只比较数或日期", function.text),
                        format!("`{}` compares numbers or dates", function.text),
                    );
                    let d = self.wrong_kind(first_span, &first, needs);
                    self.error(d);
                }
                for (a, src) in lowered.iter().zip(args).skip(1) {
                    if let (Type::Number(x), Type::Number(y)) = (&first, &a.ty) {
                        if x != y {
                            self.unit_clash(Code::UnitComparison, *x, first_span, *y, src.span, src);
                            continue;
                        }
                    }
                    self.expect_type(
                        &a.ty,
                        &first,
                        src.span,
                        Msg::new(format!("「{}」的参数", function.text), format!("argument of `{}`", function.text)),
                    );
                }
                first
            }
        };
        self.mk(span, ty, ExprKind::Call { builtin, args: lowered })
    }

    fn unknown_function(&mut self, function: &ast::Name) {
        let mut d = Diagnostic::error(
            Code::UnknownFunction,
            Msg::new(format!("未知的函数「{}」", function.text), format!("unknown function `{}`", function.text)),
            Label::primary(function.span, Msg::new("语言没有这个函数", "no such function")),
        );
        let all: Vec<&str> = names::FUNCTIONS.iter().map(|(zh, _, _)| *zh).collect();
        d = match names::closest(&function.text, all.iter().copied()) {
            Some(s) => d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?"))),
            None => d.with_help(Msg::new(
                format!("可用的函数：{}", all.join("、")),
                format!("functions: {}", all.join(", ")),
            )),
        };
        self.error(d);
    }

    fn comprehension(
        &mut self,
        span: Span,
        function: &ast::Name,
        comp: &ast::Comprehension,
        scope: &mut Scope,
    ) -> Expr {
        let aggregate = match names::function(&function.text) {
            Some(FunctionKind::Over(a)) | Some(FunctionKind::Both(_, a)) => a,
            Some(FunctionKind::Call(_)) => {
                self.error(Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(
                        format!("「{}」不遍历列表，请直接传参数", function.text),
                        format!("`{}` does not work over a list", function.text),
                    ),
                    Label::primary(function.span, Msg::new("这里", "here")),
                ));
                return self.poisoned(span);
            }
            None => {
                self.unknown_function(function);
                return self.poisoned(span);
            }
        };
        let list = self.expr(&comp.list, scope, None);
        let elem = match &list.ty {
            Type::List(t) => (**t).clone(),
            Type::Error | Type::EmptyList => Type::Error,
            other => {
                let d = self.wrong_kind(comp.list.span, other, Msg::new("「属于」后面须为列表", "`in` needs a list"));
                self.error(d);
                Type::Error
            }
        };
        let mark = scope.mark();
        let local = scope.bind(&comp.var.text, elem);
        let filter = comp.filter.as_ref().map(|f| Box::new(self.condition(f, scope)));
        let value = comp.value.as_ref().map(|v| self.expr(v, scope, None));
        let range_end = comp.range_end.as_ref().map(|v| self.expr(v, scope, None));
        scope.reset(mark);
        let fname = function.text.clone();
        let need_value = |c: &mut Self, what: Msg| {
            c.error(
                Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(format!("「{fname}」需要{}", what.zh), format!("`{fname}` needs {}", what.en)),
                    Label::primary(span, Msg::new("这里", "here")),
                )
                .with_help(Msg::new(
                    format!("写成 {fname}（x 属于 列表 其中 条件：值）"),
                    "write f(x in list where cond : value)",
                )),
            );
        };
        // `value` and `range_end` are lowered from `comp.value` and `comp.range_end`: where one is
        // there, so is its span below, and the comprehension's span would only place a label.
        let ty = match aggregate {
            Aggregate::Count => {
                if value.is_some() {
                    need_value(self, Msg::new("的是条件（其中 …），不需要「：值」", "a filter (where …), not a value"));
                }
                Type::Number(Unit::base(BaseUnit::Times))
            }
            Aggregate::Any | Aggregate::All => match &value {
                Some(v) => {
                    let (t, s) = (v.ty.clone(), comp.value.as_ref().map(|x| x.span).unwrap_or(span));
                    self.expect_type(&t, &Type::Bool, s, Msg::new("条件", "the condition"));
                    Type::Bool
                }
                None => Type::Bool,
            },
            Aggregate::Sum | Aggregate::Max | Aggregate::Min => match &value {
                Some(v) => {
                    let t = v.ty.clone();
                    let ok =
                        matches!(t, Type::Number(_) | Type::Error) || (aggregate != Aggregate::Sum && t == Type::Date);
                    if !ok {
                        let needs = Msg::new(format!("「{fname}」的值须为数"), format!("`{fname}` needs numbers"));
                        let d = self.wrong_kind(comp.value.as_ref().map(|x| x.span).unwrap_or(span), &t, needs);
                        self.error(d);
                    }
                    if aggregate == Aggregate::Sum {
                        t
                    } else {
                        Type::Optional(Box::new(t))
                    }
                }
                None => {
                    need_value(self, Msg::new("「：值」", "`: value`"));
                    Type::Error
                }
            },
            Aggregate::UnionDays => {
                match (&value, &range_end) {
                    (Some(a), Some(b)) => {
                        let (ta, tb) = (a.ty.clone(), b.ty.clone());
                        let sa = comp.value.as_ref().map(|x| x.span).unwrap_or(span);
                        let sb = comp.range_end.as_ref().map(|x| x.span).unwrap_or(span);
                        self.expect_type(&ta, &Type::Date, sa, Msg::new("起始日期", "the start date"));
                        self.expect_type(&tb, &Type::Date, sb, Msg::new("结束日期", "the end date"));
                    }
                    _ => need_value(self, Msg::new("日期区间「：起 至 止」", "a date range `: from to until`")),
                }
                Type::Number(Unit::base(BaseUnit::Day))
            }
        };
        self.mk(
            span,
            ty,
            ExprKind::Aggregate {
                function: aggregate,
                local,
                name: comp.var.text.clone(),
                list: Box::new(list),
                filter,
                value: value.map(Box::new),
                range_end: range_end.map(Box::new),
            },
        )
    }
}

fn optional_help() -> Msg {
    Msg::new(
        "先处理值不存在的情形：若有 x = … 则 … 否则 …，或 … 缺省 …",
        "handle absence first: `iflet x = … then … else …`, or `… default …`",
    )
}

fn unit_label(u: Unit) -> String {
    if u.is_none() {
        "无单位的数".into()
    } else {
        u.zh()
    }
}

/// The applicant fact an expression reads, as `申请人.社保连续月数`.
fn fact_path(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Field { record, name, .. } => match &record.kind {
            ExprKind::Applicant => Some(format!("申请人.{name}")),
            _ => fact_path(record).map(|p| format!("{p}.{name}")),
        },
        ExprKind::Local { name, .. } => Some(name.clone()),
        _ => None,
    }
}

/// A concrete fix for a unit clash: `24个月` for `2年` against months, or an explicit rate.
fn conversion_help(want: Unit, got: Unit, rhs: &ast::Expr) -> Msg {
    let (w, g) = (unit_label(want), unit_label(got));
    // `最高 60` beside `计 0.5分`: the number lacks its unit; a conversion rate would be wrong.
    if let (true, A::Quantity(q)) = (got.is_none() && !want.is_none(), &rhs.kind) {
        if q.unit.is_none() {
            let n = q.value.normalize();
            return Msg::new(
                format!("数字要带单位：写成「{n}{w}」"),
                format!("the number needs its unit: write `{n}{w}`"),
            );
        }
    }
    let per_year = |b: BaseUnit| match b {
        BaseUnit::Month => Some(Decimal::from(12)),
        _ => None,
    };
    if let (Some(wb), Some(BaseUnit::Year)) = (want.as_base(), got.as_base()) {
        if let Some(rate) = per_year(wb) {
            if let A::Quantity(q) = &rhs.kind {
                let n = (q.value * rate).normalize();
                return Msg::new(
                    // `got` is years, so the quantity wrote its unit (年 or 周岁).
                    format!(
                        "写成 `{n}{w}`，或换算 `{}{} × {rate}{w}/年`",
                        q.value.normalize(),
                        q.unit.clone().unwrap_or_default()
                    ),
                    format!(
                        "write `{n}{w}`, or convert: `{}{} × {rate}{w}/年`",
                        q.value.normalize(),
                        q.unit.clone().unwrap_or_default()
                    ),
                );
            }
            return Msg::new(format!("换算：× {rate}{w}/年"), format!("convert with × {rate}{w}/年"));
        }
    }
    Msg::new(
        format!("两边换算成同一单位，如乘以比率 × …{w}/{g}"),
        format!("convert both sides to one unit, e.g. multiply by a rate × …{w}/{g}"),
    )
}
