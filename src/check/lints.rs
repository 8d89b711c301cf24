//! Whole-policy lints, proved on the checked IR before any applicant is read.
//!
//! Warnings: a constant or table nothing uses (W0401), an enumeration value no rule, table or
//! default names (W0402), a record field nothing reads (W0403), a scoring item no purpose counts
//! (W0404), a table looked up under a condition that admits a key the table does not list
//! (W0405). Errors, found by folding constants: a 介于 whose bounds are reversed or that spans more
//! than a year (E0503), a step or divisor that is zero (E0504).
//!
//! A warning is silenced by a comment `# 允许 W0402：理由` on the declaration or the lines just
//! above it (`lib.rs` applies it, since it needs the text).

use super::rules::visit;
use super::Checker;
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::ir::*;
use crate::syntax::span::Span;
use rust_decimal::Decimal;
use std::collections::HashSet;

/// What the policy's expressions use.
#[derive(Default)]
struct Uses {
    consts: HashSet<u32>,
    tables: HashSet<u32>,
    variants: HashSet<(u32, u32)>,
    fields: HashSet<(u32, u32)>,
}

fn record_of(ty: &Type) -> Option<RecordId> {
    match ty {
        Type::Record(r) => Some(*r),
        Type::Optional(inner) | Type::List(inner) => record_of(inner),
        _ => None,
    }
}

fn enum_of(ty: &Type) -> Option<EnumId> {
    match ty {
        Type::Enum(e) => Some(*e),
        Type::Optional(inner) | Type::List(inner) => enum_of(inner),
        _ => None,
    }
}

/// Every expression the policy holds, with no parent twice.
fn roots(p: &Policy) -> Vec<&Expr> {
    let mut out: Vec<&Expr> = Vec::new();
    out.extend(p.constants.iter().map(|c| &c.value));
    for t in &p.tables {
        out.extend(t.rows.iter().map(|r| &r.value));
        out.extend(t.otherwise.iter().chain(t.missing.iter()));
    }
    for i in &p.items {
        out.extend(i.lets.iter().map(|l| &l.value));
        out.push(&i.body);
    }
    for c in p.purposes.iter().flat_map(|u| u.clauses.iter()) {
        out.extend([&c.test, &c.message]);
    }
    for r in &p.routes {
        if let RouteBody::Clauses { clauses, .. } = &r.body {
            for c in clauses {
                out.extend([&c.test, &c.message]);
            }
        }
    }
    out.extend(p.rankings.iter().flat_map(|r| r.keys.iter().map(|k| &k.key)));
    for a in &p.assertions {
        out.extend([&a.test, &a.message]);
    }
    out.extend(p.effective_warning.iter());
    out
}

fn uses(p: &Policy) -> Uses {
    let mut u = Uses::default();
    for root in roots(p) {
        visit(root, &mut |e| match &e.kind {
            ExprKind::Const(id) => {
                u.consts.insert(id.0);
            }
            ExprKind::Lookup { table, .. } => {
                u.tables.insert(table.0);
            }
            ExprKind::Literal(Literal::Variant(en, v)) => {
                u.variants.insert((en.0, *v));
            }
            ExprKind::OneOf { value, variants } => {
                if let Some(en) = enum_of(&value.ty) {
                    u.variants.extend(variants.iter().map(|v| (en.0, *v)));
                }
            }
            ExprKind::Match { scrutinee, arms } => {
                if let Some(en) = enum_of(&scrutinee.ty) {
                    u.variants.extend(arms.iter().flat_map(|a| a.variants.iter().map(|v| (en.0, *v))));
                }
            }
            ExprKind::Field { record, field, .. } => {
                if let Some(r) = record_of(&record.ty) {
                    u.fields.insert((r.0, *field));
                }
            }
            _ => {}
        });
    }
    for t in &p.tables {
        for row in &t.rows {
            if let Literal::Variant(en, v) = row.key {
                u.variants.insert((en.0, v));
            }
        }
    }
    u.tables.extend(p.assertions.iter().map(|a| a.table.0));
    for (ri, r) in p.records.iter().enumerate() {
        for (fi, f) in r.fields.iter().enumerate() {
            if let Some(Literal::Variant(en, v)) = &f.default {
                u.variants.insert((en.0, *v));
            }
            // The identity, the evaluation date and the name are read by the tool itself.
            if [r.id_field, r.as_of_field, r.label_field].contains(&Some(fi)) {
                u.fields.insert((super::idx(ri), super::idx(fi)));
            }
        }
    }
    u
}

/// A constant folded to a literal, when it is one (directly or through constants).
fn folded<'p>(p: &'p Policy, e: &'p Expr, depth: usize) -> Option<&'p Literal> {
    match &e.kind {
        ExprKind::Literal(l) => Some(l),
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        ExprKind::Const(id) if depth < 16 => folded(p, &p.constants.get(id.0 as usize)?.value, depth + 1),
        _ => None,
    }
}

impl Checker<'_> {
    pub(super) fn lint(&mut self, p: &Policy, spans: &SpanTable) {
        let u = uses(p);
        self.unused_values(&u);
        self.unused_variants(p, &u);
        self.unused_fields(p, &u);
        self.items_not_counted(p);
        self.lookups_reaching_missing(p, spans);
        self.missing_descriptions(p, spans);
        // visit lends each node to its callback only; the checks run on copies afterwards.
        let mut found: Vec<Expr> = Vec::new();
        for root in roots(p) {
            visit(root, &mut |e| {
                if matches!(
                    e.kind,
                    ExprKind::Between { .. } | ExprKind::Step { .. } | ExprKind::Arith(ArithOp::Div, ..)
                ) {
                    found.push(e.clone());
                }
            });
        }
        for e in &found {
            self.fold_checks(p, spans, e);
        }
        self.next_year_elsewhere();
    }

    /// 次年 means something only at the end of a 介于 over days of the year.
    fn next_year_elsewhere(&mut self) {
        let stray: Vec<Span> = self
            .next_year_literals
            .iter()
            .filter(|(node, _)| !self.next_year_bounds.contains(node))
            .map(|(_, span)| *span)
            .collect();
        for span in stray {
            self.error(
                Diagnostic::error(
                    Code::BoundsReversed,
                    Msg::new(
                        "「次年」只能写在跨年期间的终点",
                        "次年 belongs only at the end of a window across the new year",
                    ),
                    Label::primary(span, Msg::new("这里不是「介于 … 至 …」的终点", "not the end of a 介于 … 至 …")),
                )
                .with_help(Msg::new(
                    "写成「介于 12月1日 至 次年1月31日」，其他地方去掉「次年」",
                    "write 介于 12月1日 至 次年1月31日; drop 次年 elsewhere",
                )),
            );
        }
    }

    fn unused_values(&mut self, u: &Uses) {
        let mut unused: Vec<((&str, &str), String, Span)> = Vec::new();
        for (i, c) in self.consts.iter().enumerate() {
            if !u.consts.contains(&super::idx(i)) {
                unused.push((("常量", "constant"), c.name.text.clone(), c.name.span));
            }
        }
        for (i, t) in self.tables.iter().enumerate() {
            if !u.tables.contains(&super::idx(i)) {
                unused.push((("表", "table"), t.name.text.clone(), t.name.span));
            }
        }
        for ((zh, en), name, span) in unused {
            self.error(
                Diagnostic::warning(
                    Code::UnusedDeclaration,
                    Msg::new(format!("{zh}「{name}」没有被用到"), format!("{en} `{name}` is never used")),
                    Label::primary(span, Msg::new("没有任何规则用到它", "no rule uses it")),
                )
                .with_help(Msg::new(
                    format!(
                        "删去它；或者检查应当用到它的规则是否写错了名称（要保留它，在上方写 # 允许 {}）",
                        Code::UnusedDeclaration
                    ),
                    format!(
                        "remove it, or check the rule that should use it (to keep it, write # 允许 {} above it)",
                        Code::UnusedDeclaration
                    ),
                )),
            );
        }
    }

    fn unused_variants(&mut self, p: &Policy, u: &Uses) {
        let spans = self.variant_spans.clone();
        for (ei, e) in p.enums.iter().enumerate() {
            for (vi, v) in e.variants.iter().enumerate() {
                if u.variants.contains(&(super::idx(ei), super::idx(vi))) {
                    continue;
                }
                let Some(span) = spans.get(ei).and_then(|s| s.get(vi)).copied() else { continue };
                self.error(
                    Diagnostic::warning(
                        Code::UnusedVariant,
                        Msg::new(
                            format!("枚举「{}」的取值「{v}」没有被任何规则、表或默认值用到", e.name),
                            format!("value `{v}` of `{}` is named by no rule, table or default", e.name),
                        ),
                        Label::primary(span, Msg::new("没有规则提到它", "nothing names it")),
                    )
                    .with_help(Msg::new(
                        format!("检查取值是否写错或两个取值粘在了一起（漏了「、」）；申请人记录需要而规则不用的取值，在枚举上方写 # 允许 {}", Code::UnusedVariant),
                        format!("check for a misspelt value or two values run together (a missing 、); for values records need but no rule reads, write # 允许 {} above the enumeration", Code::UnusedVariant),
                    )),
                );
            }
        }
    }

    fn unused_fields(&mut self, p: &Policy, u: &Uses) {
        let fields: Vec<(RecordId, Vec<(String, Span)>)> = self
            .record_decls
            .iter()
            .map(|(id, _, fs)| (*id, fs.iter().map(|f| (f.name.text.clone(), f.name.span)).collect()))
            .collect();
        for (rid, fs) in fields {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            let Some(record) = p.records.get(rid.0 as usize) else { continue };
            for (fi, (name, span)) in fs.iter().enumerate() {
                if u.fields.contains(&(rid.0, super::idx(fi))) {
                    continue;
                }
                self.error(
                    Diagnostic::warning(
                        Code::UnusedField,
                        Msg::new(
                            format!("「{}」的字段「{name}」没有被任何规则读取", record.name),
                            format!("field `{name}` of `{}` is read by no rule", record.name),
                        ),
                        Label::primary(*span, Msg::new("没有规则读取它", "no rule reads it")),
                    )
                    .with_help(Msg::new(
                        format!("删去它，或检查应当读取它的规则；记录格式要求而规则不用的字段，在记录上方写 # 允许 {}", Code::UnusedField),
                        format!("remove it or check the rule that should read it; for fields the record format requires, write # 允许 {} above the record", Code::UnusedField),
                    )),
                );
            }
        }
    }

    /// Each scoring item's id and the head of its declaration, where a warning about it points.
    fn item_heads(&self) -> Vec<(String, Span)> {
        self.item_decls
            .iter()
            .filter_map(|d| match &d.kind {
                crate::syntax::ast::DeclKind::Item { id, .. } => Some((id.text.clone(), d.head)),
                _ => None,
            })
            .collect()
    }

    fn items_not_counted(&mut self, p: &Policy) {
        let counted: HashSet<Category> = p.purposes.iter().flat_map(|u| u.categories.iter().copied()).collect();
        let decls = self.item_heads();
        for item in &p.items {
            if counted.contains(&item.category) || p.purposes.is_empty() {
                continue;
            }
            let Some((_, span)) = decls.iter().find(|(id, _)| *id == item.id) else { continue };
            let cat = match item.category {
                Category::Base => "基础分",
                Category::Bonus => "附加分",
                Category::Deduction => "扣减分",
            };
            self.error(
                Diagnostic::warning(
                    Code::ItemNotCounted,
                    Msg::new(
                        format!("分项 [{}] 是{cat}，但没有用途计入{cat}", item.id),
                        format!("item [{}] is {cat}, which no purpose counts", item.id),
                    ),
                    Label::primary(*span, Msg::new("它的分数不进入任何总分", "its points reach no total")),
                )
                .with_help(Msg::new(
                    format!("在某个用途的「计入」中加上{cat}，或改正分项的类别"),
                    format!("add {cat} to a purpose's 计入, or correct the item's category"),
                )),
            );
        }
    }

    /// A policy that words its rules (说明) words all of them: a clause or item without one would
    /// show the policy's own expression on a page meant for an applicant.
    fn missing_descriptions(&mut self, p: &Policy, spans: &SpanTable) {
        let clauses = || {
            p.purposes.iter().flat_map(|u| u.clauses.iter()).chain(p.routes.iter().flat_map(|r| match &r.body {
                RouteBody::Clauses { clauses, .. } => clauses.as_slice(),
                RouteBody::SameAs(_) => &[],
            }))
        };
        let worded = clauses().any(|c| c.description.is_some()) || p.items.iter().any(|i| i.description.is_some());
        if !worded {
            return;
        }
        let help = Msg::new(
            "在规则下加一行「说明 “…”」，用条文的话写它说什么，用 {…} 填入申请人的情况",
            "add a line `说明 “…”` under the rule: what it says in the law's words, with {…} for the applicant's facts",
        );
        // A clause of a group (沿用) is the same clause in each route: one warning for it.
        let mut seen: Vec<NodeId> = Vec::new();
        for c in clauses().filter(|c| c.description.is_none()) {
            if seen.contains(&c.test.node) {
                continue;
            }
            seen.push(c.test.node);
            let Some(span) = spans.get(c.test.node) else { continue };
            self.error(
                Diagnostic::warning(
                    Code::MissingDescription,
                    Msg::new(
                        "条款没有说明：说明页上会显示政策的表达式",
                        "clause without 说明: explanations will show the policy's expression",
                    ),
                    Label::primary(span, Msg::new("这条条款", "this clause")),
                )
                .with_help(help.clone()),
            );
        }
        let decls = self.item_heads();
        for item in p.items.iter().filter(|i| i.description.is_none()) {
            let Some((_, span)) = decls.iter().find(|(id, _)| *id == item.id) else { continue };
            self.error(
                Diagnostic::warning(
                    Code::MissingDescription,
                    Msg::new(
                        format!("分项 [{}] 没有说明：说明页上会显示申请人的原始字段", item.id),
                        format!("item [{}] without 说明: explanations will show the record's raw fields", item.id),
                    ),
                    Label::primary(*span, Msg::new("这个分项", "this item")),
                )
                .with_help(help.clone()),
            );
        }
    }

    /// A table with 未列出, looked up with a key that an earlier clause restricts to a set of values
    /// (`适用 设过渡期` = `居住地 是 … 之一`): every value of the set must have its row.
    fn lookups_reaching_missing(&mut self, p: &Policy, spans: &SpanTable) {
        let mut clause_lists: Vec<&[ClauseDef]> = p.purposes.iter().map(|u| u.clauses.as_slice()).collect();
        for r in &p.routes {
            if let RouteBody::Clauses { clauses, .. } = &r.body {
                clause_lists.push(clauses);
            }
        }
        let mut reported: HashSet<(u32, u32)> = HashSet::new();
        for clauses in clause_lists {
            let mut guards: Vec<(String, EnumId, Vec<u32>, NodeId)> = Vec::new();
            for c in clauses {
                for expr in [&c.test, &c.message] {
                    visit(expr, &mut |e| {
                        let ExprKind::Lookup { table, key } = &e.kind else { return };
                        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
                        let Some(t) = p.tables.get(table.0 as usize) else { return };
                        if t.otherwise.is_some() {
                            return;
                        }
                        let k = describe_path(key);
                        for (path, en, allowed, guard_node) in &guards {
                            if Some(path) != k.as_ref() {
                                continue;
                            }
                            for v in allowed {
                                let listed = t.rows.iter().any(|r| r.key == Literal::Variant(*en, *v));
                                if listed || !reported.insert((table.0, *v)) {
                                    continue;
                                }
                                let value = p.variant_name(*en, *v).to_string();
                                let (Some(at), guard) = (spans.get(e.node), spans.get(*guard_node)) else { continue };
                                let mut d = Diagnostic::warning(
                                    Code::LookupReachesMissing,
                                    Msg::new(
                                        format!("表「{}」没有「{value}」这一行，但前面的条款允许{path}为「{value}」", t.name),
                                        format!("table `{}` has no row for `{value}`, which an earlier clause admits for {path}", t.name),
                                    ),
                                    Label::primary(at, Msg::new(format!("{value}的申请人在这里得到「未列出」"), format!("an applicant with {value} gets 未列出 here"))),
                                );
                                if let Some(g) = guard {
                                    d = d.with_label(Label::secondary(
                                        g,
                                        Msg::new(format!("这里允许「{value}」"), format!("admits `{value}` here")),
                                    ));
                                }
                                self.error(d.with_help(Msg::new(
                                    format!("在表「{}」中加上「{value} → …」，或从前面的条件中去掉「{value}」", t.name),
                                    format!("add a row `{value} → …` to `{}`, or remove `{value}` from the earlier condition", t.name),
                                )));
                            }
                        }
                    });
                }
                if let Some((path, en, allowed)) = restriction(p, &c.test, 0) {
                    guards.push((path, en, allowed, c.test.node));
                }
            }
        }
    }

    /// 介于 with constant bounds the wrong way round (or a window longer than a year), and a step
    /// or divisor that is a constant zero.
    fn fold_checks(&mut self, p: &Policy, spans: &SpanTable, e: &Expr) {
        match &e.kind {
            ExprKind::Between { low, high, below, .. } => {
                let (Some(lo), Some(hi)) = (folded(p, low, 0), folded(p, high, 0)) else { return };
                let next_year = self.next_year_bounds.contains(&high.node.0);
                let reversed = match (lo, hi) {
                    (Literal::MonthDay(lm, ld), Literal::MonthDay(hm, hd)) => {
                        if next_year {
                            (lm, ld) <= (hm, hd)
                        } else {
                            (lm, ld) > (hm, hd)
                        }
                    }
                    // 满 A 未满 A holds for nothing.
                    (Literal::Number(a), Literal::Number(b)) => a > b || (*below && a == b),
                    (Literal::Date(a), Literal::Date(b)) => a > b || (*below && a == b),
                    _ => false,
                };
                if !reversed {
                    return;
                }
                let (Some(at), Some(lo_at), Some(hi_at)) =
                    (spans.get(e.node), spans.get(low.node), spans.get(high.node))
                else {
                    return;
                };
                let _ = at;
                let help = if next_year {
                    Msg::new(
                        "跨年期间的终点（次年某日）要早于起点，期间才不超过一年；不跨年的期间不写「次年」",
                        "a window ending 次年 (next year) must end before its start day, or it would exceed a year; drop 次年 for a window within one year",
                    )
                } else if matches!(lo, Literal::MonthDay(..)) {
                    Msg::new(
                        "把两端对调；跨年的期间写成「12月1日 至 次年1月31日」",
                        "swap the bounds; a window across the new year is written 12月1日 至 次年1月31日",
                    )
                } else {
                    Msg::new("把两端对调：介于 小 至 大", "swap the bounds: 介于 low 至 high")
                };
                let message = if next_year {
                    Msg::new(
                        "「介于 … 至 次年…」超过一年：终点不早于起点",
                        "`介于 … 至 次年…` spans more than a year: its end is not before its start",
                    )
                } else {
                    Msg::new(
                        "「介于」的起点晚于终点：这个范围是空的",
                        "`介于` starts after it ends: the range is empty",
                    )
                };
                self.error(
                    Diagnostic::error(Code::BoundsReversed, message, Label::primary(lo_at, Msg::new("起点", "start")))
                        .with_label(Label::secondary(hi_at, Msg::new("终点", "end")))
                        .with_help(help),
                );
            }
            ExprKind::Step { every, .. } => self.zero(
                p,
                spans,
                every,
                Msg::new("「每满」的步长", "the step of 每满"),
                Msg::new(
                    "写成大于零的数，如「每满 1个月 计 0.5分」",
                    "write a number above zero, such as 每满 1个月 计 0.5分",
                ),
            ),
            ExprKind::Arith(ArithOp::Div, _, divisor) => self.zero(
                p,
                spans,
                divisor,
                Msg::new("除数", "the divisor"),
                Msg::new("除以零没有结果：改正除数", "division by zero has no result: correct the divisor"),
            ),
            _ => {}
        }
    }

    fn zero(&mut self, p: &Policy, spans: &SpanTable, e: &Expr, what: Msg, help: Msg) {
        let Some(Literal::Number(n)) = folded(p, e, 0) else { return };
        if *n != Decimal::ZERO {
            return;
        }
        let Some(at) = spans.get(e.node) else { return };
        self.error(
            Diagnostic::error(
                Code::ZeroStep,
                Msg::new(format!("{}是零", what.zh), format!("{} is zero", what.en)),
                Label::primary(at, Msg::new("这里的值恒为零", "always zero")),
            )
            .with_help(help),
        );
    }
}

/// A condition that restricts a key: `X 是 a、b 之一`, `X = a`, or a constant that is one.
fn restriction(p: &Policy, test: &Expr, depth: usize) -> Option<(String, EnumId, Vec<u32>)> {
    match &test.kind {
        ExprKind::OneOf { value, variants } => Some((describe_path(value)?, enum_of(&value.ty)?, variants.clone())),
        ExprKind::Compare(CmpOp::Eq, a, b) => match (&a.kind, &b.kind) {
            (_, ExprKind::Literal(Literal::Variant(en, v))) => Some((describe_path(a)?, *en, vec![*v])),
            _ => None,
        },
        // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
        ExprKind::Const(id) if depth < 16 => restriction(p, &p.constants.get(id.0 as usize)?.value, depth + 1),
        _ => None,
    }
}

/// `申请人.居住地`: a path into the applicant, the only keys a restriction can be about.
fn describe_path(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Applicant => Some("申请人".into()),
        ExprKind::Field { record, name, .. } => Some(format!("{}.{name}", describe_path(record)?)),
        _ => None,
    }
}
