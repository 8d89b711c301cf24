//! Records, constants, tables and scoring items.

use super::expr::Scope;
use super::names::{self, TYPE_NAMES};
use super::{idx, Checker, State, TypeRef, ValueRef};
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::types::unit_word;
use crate::ir::*;
use crate::syntax::ast::{self, DeclKind, FieldAttr, TypeExprKind};

impl<'a> Checker<'a> {
    /// Resolve a written type. Returns the type and whether it is a whole-number count.
    pub(super) fn resolve_type(&mut self, t: &ast::TypeExpr) -> (Type, bool) {
        let (base, integer) = match &t.kind {
            TypeExprKind::List { constructor, element } => {
                if constructor.text != names::LIST_TYPE.0 && constructor.text != names::LIST_TYPE.1 {
                    self.unknown_type(constructor);
                }
                // `列表<整数 次>`: the elements are whole numbers.
                let (elem, integer) = self.resolve_type(element);
                (Type::List(Box::new(elem)), integer)
            }
            TypeExprKind::Named { name, unit } => self.resolve_named_type(name, unit.as_ref()),
        };
        if t.optional {
            (Type::Optional(Box::new(base)), integer)
        } else {
            (base, integer)
        }
    }

    fn resolve_named_type(&mut self, name: &ast::Name, unit: Option<&ast::Name>) -> (Type, bool) {
        let number_kind = match name.text.as_str() {
            "数" | "number" | "小数" | "decimal" => Some(false),
            "整数" | "integer" => Some(true),
            _ => None,
        };
        if let Some(integer) = number_kind {
            let u = match unit {
                Some(u) => self.resolve_unit(u),
                None => Unit::NONE,
            };
            return (Type::Number(u), integer);
        }
        if let Some(u) = unit {
            self.error(
                Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(
                        format!("类型「{}」后面不能跟单位", name.text),
                        format!("type `{}` takes no unit", name.text),
                    ),
                    Label::primary(u.span, Msg::new("多余的单位", "unexpected unit")),
                )
                .with_help(Msg::new(
                    "带单位的数写成「整数 个月」或「小数 元」",
                    "write numbers with units as `整数 个月` or `小数 元`",
                )),
            );
        }
        if let Some((b, _)) = unit_word(&name.text) {
            // A unit alone (`分`, `平方米`) is a decimal quantity; counts say 整数.
            return (Type::Number(Unit::base(b)), false);
        }
        match name.text.as_str() {
            "文本" | "text" => return (Type::Text, false),
            "日期" | "date" => return (Type::Date, false),
            "布尔" | "bool" => return (Type::Bool, false),
            _ => {}
        }
        match self.types.get(&name.text) {
            Some((TypeRef::Enum(e), _)) => (Type::Enum(*e), false),
            Some((TypeRef::Record(r), _)) => (Type::Record(*r), false),
            None => {
                self.unknown_type(name);
                (Type::Error, false)
            }
        }
    }

    fn resolve_unit(&mut self, u: &ast::Name) -> Unit {
        match unit_word(&u.text) {
            Some((b, scale)) if scale == rust_decimal::Decimal::ONE => Unit::base(b),
            _ => {
                self.error(
                    Diagnostic::error(
                        Code::UnknownUnit,
                        Msg::new(format!("未知的单位「{}」", u.text), format!("unknown unit `{}`", u.text)),
                        Label::primary(u.span, Msg::new("不是语言支持的单位", "not a unit of the language")),
                    )
                    .with_help(Msg::new(
                        "可用的单位：分 元 个月 年 日 平方米 小时 次",
                        "units: 分 元 个月 年 日 平方米 小时 次",
                    )),
                );
                Unit::NONE
            }
        }
    }

    fn unknown_type(&mut self, name: &ast::Name) {
        if self.is_broken(&[ast::DeclarationKind::Enum, ast::DeclarationKind::Record], Some(&name.text)) {
            return;
        }
        let mut candidates: Vec<String> = self.types.keys().cloned().collect();
        candidates.extend(TYPE_NAMES.iter().map(|(zh, _)| zh.to_string()));
        candidates.extend(["分", "元", "个月", "年", "日", "平方米", "小时", "次", "列表"].map(String::from));
        let mut d = Diagnostic::error(
            Code::UnknownType,
            Msg::new(format!("未知的类型「{}」", name.text), format!("unknown type `{}`", name.text)),
            Label::primary(name.span, Msg::new("没有声明这个类型", "no such type")),
        );
        d = match names::closest(&name.text, candidates.iter().map(String::as_str)) {
            Some(s) => d.with_help(Msg::new(format!("是不是「{s}」？"), format!("did you mean `{s}`?"))),
            None => d.with_help(Msg::new(
                "用「枚举」或「记录」声明它，或使用内置类型：文本 日期 布尔 整数 小数",
                "declare it with enum or record, or use a builtin type",
            )),
        };
        self.error(d);
    }

    pub(super) fn check_record(&mut self, id: RecordId, _decl: &ast::Declaration, fields: &[ast::FieldDecl]) {
        let mut defs: Vec<FieldDef> = Vec::new();
        let mut seen: Vec<(String, crate::syntax::span::Span)> = Vec::new();
        let (mut id_field, mut as_of_field, mut label_field) = (None, None, None);
        for f in fields {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == f.name.text) {
                let first = *first;
                self.duplicate(Msg::new("字段", "field"), &f.name, first);
                continue;
            }
            seen.push((f.name.text.clone(), f.name.span));
            let (ty, integer) = self.resolve_type(&f.ty);
            let default = f.default.as_ref().map(|e| self.default_literal(e, &ty));
            let index = defs.len();
            for (attr, span) in &f.attrs {
                let (slot, want, what) = match attr {
                    FieldAttr::Id => (&mut id_field, Type::Text, Msg::new("标识", "id")),
                    FieldAttr::AsOf => (&mut as_of_field, Type::Date, Msg::new("评估日", "evaluation date")),
                    FieldAttr::Label => (&mut label_field, Type::Text, Msg::new("称谓", "label")),
                };
                *slot = Some(index);
                let base = match &ty {
                    Type::Optional(t) => (**t).clone(),
                    t => t.clone(),
                };
                if !base.compatible(&want) {
                    let want_name = self.type_name(&want);
                    self.error(Diagnostic::error(
                        Code::TypeMismatch,
                        Msg::new(
                            format!("标为「{}」的字段须为{}类型", what.zh, want_name),
                            format!("a field marked {} must be of type {}", what.en, want_name),
                        ),
                        Label::primary(*span, Msg::new("这里", "here")),
                    ));
                }
            }
            defs.push(FieldDef { name: f.name.text.clone(), ty, integer, default });
        }
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        if let Some(r) = self.records.get_mut(id.0 as usize) {
            r.fields = defs;
            r.id_field = id_field;
            r.as_of_field = as_of_field;
            r.label_field = label_field;
        }
    }

    /// Field defaults are literals: `无`, `假`, `0次`, `[]`.
    fn default_literal(&mut self, e: &ast::Expr, ty: &Type) -> Literal {
        let mut scope = Scope::default();
        let lowered = self.expr(e, &mut scope, Some(ty));
        let lit = match lowered.kind {
            ExprKind::Literal(l) => Some(l),
            _ => None,
        };
        match lit {
            Some(l) => {
                self.expect_type(&lowered.ty, ty, e.span, Msg::new("缺省值", "default value"));
                l
            }
            None => {
                self.error(Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new("字段的缺省值须为字面量", "a field default must be a literal"),
                    Label::primary(
                        e.span,
                        Msg::new(
                            "这里要写一个值，如 0次、假、无、[]",
                            "write a value such as 0次, 假, [], or a variant",
                        ),
                    ),
                ));
                Literal::Absent
            }
        }
    }

    pub(super) fn resolve_table_types(&mut self, id: TableId) {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs); so in the rest of this fn.
        let Some(slot) = self.tables.get(id.0 as usize) else {
            return;
        };
        let DeclKind::Table { key_type, value_type, .. } = &slot.decl.kind else {
            return;
        };
        let (k, _) = self.resolve_type(key_type);
        let (v, _) = self.resolve_type(value_type);
        if !matches!(k, Type::Enum(_) | Type::Number(_) | Type::Error) {
            let name = self.type_name(&k);
            self.error(
                Diagnostic::error(
                    Code::TypeMismatch,
                    Msg::new(
                        format!("表的键须为枚举或整数，不能是「{name}」"),
                        format!("table keys must be an enumeration or a number, not `{name}`"),
                    ),
                    Label::primary(key_type.span, Msg::new("键的类型", "key type")),
                )
                .with_help(Msg::new("按枚举（如 学历）或年度（整数）列表", "key tables by an enumeration or by year")),
            );
        }
        if let Some(slot) = self.tables.get_mut(id.0 as usize) {
            slot.key_ty = k;
            slot.value_ty = v;
        }
    }

    pub(super) fn ensure_const(&mut self, id: ConstId) -> Type {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs); so in the rest of this fn.
        let Some(slot) = self.consts.get(id.0 as usize) else {
            return Type::Error;
        };
        match slot.state {
            // Done is set together with the definition, below.
            State::Done => {
                return match slot.def.as_ref().map(|d| d.ty.clone()) {
                    Some(ty) => ty,
                    None => {
                        let span = slot.name.span;
                        self.fault(span, "常量已检查却没有定义", "a checked constant without its definition");
                        Type::Error
                    }
                }
            }
            State::InProgress => return Type::Error,
            State::Unvisited => {}
        }
        let (decl, name, value) = (slot.decl, slot.name.clone(), slot.value);
        if let Some(s) = self.consts.get_mut(id.0 as usize) {
            s.state = State::InProgress;
        }
        let mut scope = Scope::default();
        let lowered = self.expr(value, &mut scope, None);
        let def = ConstDef {
            name: name.text.clone(),
            ty: lowered.ty.clone(),
            value: lowered,
            locals: scope.count(),
            provenance: self.provenance(decl),
        };
        let ty = def.ty.clone();
        if let Some(s) = self.consts.get_mut(id.0 as usize) {
            s.state = State::Done;
            s.def = Some(def);
        }
        ty
    }

    pub(super) fn ensure_table(&mut self, id: TableId) {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs); so in the rest of this fn.
        let Some(slot) = self.tables.get(id.0 as usize) else {
            return;
        };
        if !matches!(slot.state, State::Unvisited) {
            return;
        }
        let (decl, name, rows, key_ty, value_ty) =
            (slot.decl, slot.name.clone(), slot.rows, slot.key_ty.clone(), slot.value_ty.clone());
        if let Some(s) = self.tables.get_mut(id.0 as usize) {
            s.state = State::InProgress;
        }
        let mut lowered_rows = Vec::new();
        let mut otherwise = None;
        let mut seen_keys: Vec<(Literal, crate::syntax::span::Span)> = Vec::new();
        // One frame for the whole table: rows and the 未列出 message share its locals.
        let mut scope = Scope::default();
        for row in rows {
            let value = self.expr(&row.value, &mut scope, Some(&value_ty));
            self.expect_type(&value.ty, &value_ty, row.value.span, Msg::new("表中的值", "table value"));
            let (key, key_span) = match &row.key {
                ast::TableKey::Otherwise(span) => {
                    if otherwise.is_some() {
                        self.unreachable(*span, Msg::new("「其他情形」已写过", "`otherwise` appears twice"));
                    }
                    otherwise = Some(value);
                    continue;
                }
                ast::TableKey::Variant(v) => match &key_ty {
                    Type::Enum(e) => match self.variant_index(*e, v) {
                        Some(i) => (Literal::Variant(*e, i), v.span),
                        None => continue,
                    },
                    Type::Error => continue,
                    other => {
                        let want = self.type_name(other);
                        self.error(Diagnostic::error(
                            Code::TypeMismatch,
                            Msg::new(format!("键应为{want}"), format!("expected a key of type {want}")),
                            Label::primary(v.span, Msg::new("这里", "here")),
                        ));
                        continue;
                    }
                },
                ast::TableKey::Number(n, span) => match &key_ty {
                    Type::Number(_) => (Literal::Number(*n), *span),
                    Type::Error => continue,
                    other => {
                        let want = self.type_name(other);
                        self.error(Diagnostic::error(
                            Code::TypeMismatch,
                            Msg::new(
                                format!("键应为{want}，而不是数"),
                                format!("expected a key of type {want}, not a number"),
                            ),
                            Label::primary(*span, Msg::new("这里", "here")),
                        ));
                        continue;
                    }
                },
            };
            if let Some((_, first)) = seen_keys.iter().find(|(k, _)| *k == key) {
                let first = *first;
                self.unreachable(key_span, Msg::new("同一个键写了两行", "this key already has a row"));
                if let Some(d) = self.diags.0.last_mut() {
                    d.labels.push(Label::secondary(first, Msg::new("第一行在这里", "first row here")));
                }
                continue;
            }
            seen_keys.push((key.clone(), key_span));
            lowered_rows.push(TableRow { key, value });
        }
        let (missing, missing_key) = match table_missing_message(decl) {
            Some(m) => {
                let key = scope.bind("键", key_ty.clone());
                let text = self.expr(m, &mut scope, Some(&Type::Text));
                self.expect_type(&text.ty, &Type::Text, m.span, Msg::new("「未列出」的说明", "the `missing` message"));
                (Some(text), Some(key))
            }
            None => (None, None),
        };
        if let (Type::Enum(e), None, None) = (&key_ty, &otherwise, &missing) {
            let covered: Vec<u32> = lowered_rows
                .iter()
                .filter_map(|r| match r.key {
                    Literal::Variant(_, i) => Some(i),
                    _ => None,
                })
                .collect();
            let missing = self.missing_variants(*e, &covered, name.span);
            if let Some(first) = missing.first().cloned() {
                self.error(
                    Diagnostic::error(
                        Code::TableMissingKey,
                        Msg::new(
                            format!("表「{}」缺少以下取值的行：{}", name.text, missing.join("、")),
                            format!("table `{}` has no row for: {}", name.text, missing.join(", ")),
                        ),
                        Label::primary(name.span, Msg::new("不完整的表", "incomplete table")),
                    )
                    .with_help(Msg::new(
                        format!("补上「{first} → …」，或加一行「其他情形 → …」"),
                        "add the missing rows, or an `otherwise` row",
                    )),
                );
            }
        }
        let def = TableDef {
            name: name.text.clone(),
            key_ty,
            value_ty,
            rows: lowered_rows,
            otherwise,
            missing,
            missing_key,
            locals: scope.count(),
            provenance: self.provenance(decl),
        };
        if let Some(s) = self.tables.get_mut(id.0 as usize) {
            s.state = State::Done;
            s.def = Some(def);
        }
    }

    pub(super) fn check_item(&mut self, decl: &ast::Declaration) {
        let DeclKind::Item { id, title, category, cap, body } = &decl.kind else {
            return;
        };
        let mut scope = Scope::default();
        let mut lets = Vec::new();
        for (name, value) in &body.lets {
            let v = self.expr(value, &mut scope, None);
            let local = scope.bind(&name.text, v.ty.clone());
            lets.push(LetBinding { local, name: name.text.clone(), value: v });
        }
        let lowered = self.expr(&body.result, &mut scope, Some(&Type::points()));
        // Checked after the body, so the names it binds come after the body's: the body's IR is
        // the same with or without a 说明.
        let description = body.description.as_ref().map(|d| self.description(d, &mut scope));
        if !lowered.ty.compatible(&Type::points()) {
            let got = self.type_name(&lowered.ty);
            self.error(
                Diagnostic::error(
                    Code::ItemNotPoints,
                    Msg::new(
                        format!("分项 [{}] 的结果是「{}」，应为「分」", id.text, got),
                        format!("item [{}] gives `{}`, not points (分)", id.text, got),
                    ),
                    Label::primary(
                        body.result.span,
                        Msg::new(format!("这里得到「{got}」"), format!("this is `{got}`")),
                    ),
                )
                .with_help(Msg::new(
                    "用「每满 N 计 M分」或乘以分值（如 × 2分/次）换算成分",
                    "convert to points with `every N gives M分` or a rate such as × 2分/次",
                )),
            );
        }
        let cap = cap.as_ref().and_then(|q| {
            let (b, scale) = q.unit.as_deref().and_then(unit_word)?;
            if b != BaseUnit::Points || q.per_unit.is_some() {
                self.error(Diagnostic::error(
                    Code::UnitMismatch,
                    Msg::new("分项的上限须以「分」为单位", "an item's cap must be in points (分)"),
                    Label::primary(q.span, Msg::new("这里", "here")),
                ));
                return None;
            }
            Some(q.value * scale)
        });
        let category = super::category(*category);
        self.items.push(ItemDef {
            id: id.text.clone(),
            title: title.clone(),
            category,
            cap,
            lets,
            description,
            body: lowered,
            locals: scope.count(),
            provenance: self.provenance(decl),
        });
    }

    pub(super) fn value_ref(&self, name: &str) -> Option<ValueRef> {
        self.values.get(name).map(|(r, _)| *r)
    }

    pub(super) fn variant_index(&mut self, e: EnumId, v: &ast::Name) -> Option<u32> {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        let def = self.enums.get(e.0 as usize)?;
        if let Some(i) = def.variants.iter().position(|x| *x == v.text) {
            return Some(idx(i));
        }
        let (enum_name, variants) = (def.name.clone(), def.variants.clone());
        let mut d = Diagnostic::error(
            Code::UnknownVariant,
            Msg::new(
                format!("枚举「{}」没有取值「{}」", enum_name, v.text),
                format!("enumeration `{}` has no value `{}`", enum_name, v.text),
            ),
            Label::primary(v.span, Msg::new("未知的取值", "unknown value")),
        );
        // Never a guess: 专科 is one character from 本科 but means something else. The drafter
        // picks from the values the enumeration declares, or declares a new one.
        d = d.with_help(Msg::new(
            format!("「{}」的取值只有：{}；要用新的取值，先在枚举中声明它", enum_name, variants.join("、")),
            format!(
                "`{}` has only these values: {}; declare a new value in the enumeration first",
                enum_name,
                variants.join(", ")
            ),
        ));
        self.error(d);
        None
    }

    /// The enumeration's values `covered` leaves out. An enumeration the checker does not have
    /// would leave out nothing and pass any match: that is a fault, reported at `span`.
    pub(super) fn missing_variants(
        &mut self,
        e: EnumId,
        covered: &[u32],
        span: crate::syntax::span::Span,
    ) -> Vec<String> {
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        match self.enums.get(e.0 as usize) {
            Some(d) => d
                .variants
                .iter()
                .enumerate()
                .filter(|(i, _)| !covered.contains(&idx(*i)))
                .map(|(_, v)| v.clone())
                .collect(),
            None => {
                self.fault(span, "枚举的编号无效", "an enumeration id out of range");
                Vec::new()
            }
        }
    }

    pub(super) fn unreachable(&mut self, span: crate::syntax::span::Span, what: Msg) {
        self.error(
            Diagnostic::error(
                Code::UnreachableArm,
                Msg::new(format!("重复：{}", what.zh), format!("repeated: {}", what.en)),
                Label::primary(
                    span,
                    Msg::new("前面已经写过，这里永远用不到", "already covered above; never used here"),
                ),
            )
            .with_help(Msg::new(
                "删去重复的这一处；同一行里没有重复的取值要保留",
                "remove this repetition; keep the other values of the same line",
            )),
        );
    }

    pub(super) fn type_name(&self, t: &Type) -> String {
        crate::ir::type_name(t, &self.enums, &self.records)
    }
}

/// The 未列出 message of a table declaration.
fn table_missing_message(decl: &ast::Declaration) -> Option<&ast::Expr> {
    match &decl.kind {
        DeclKind::Table { missing, .. } => missing.as_ref(),
        _ => None,
    }
}
