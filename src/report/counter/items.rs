//! The items on the page: those that scored, each with its arithmetic in the law's words, and
//! those that gave nothing, with why.

use super::modelled::item_modelled;
use super::{described, ItemGroup, ItemLine};
use crate::eval::trace::{Rule, Step};
use crate::eval::value::canonical;
use crate::eval::{Evaluation, ItemResult};
use crate::ir::{Category, Policy};

pub(super) fn item_groups(policy: &Policy, eval: &Evaluation) -> Vec<ItemGroup> {
    let mut groups = Vec::new();
    for (category, total) in
        [(Category::Base, eval.base), (Category::Bonus, eval.bonus), (Category::Deduction, eval.deduction)]
    {
        let items: Vec<&ItemResult> = eval.items.iter().filter(|r| r.category == category).collect();
        if items.is_empty() {
            continue;
        }
        let mut group = ItemGroup { category, total, scored: Vec::new(), nothing: Vec::new() };
        for r in items {
            let def = policy.items.iter().find(|i| i.id == r.id);
            let why = described(policy, def.and_then(|d| d.description.as_ref()), r.trace.description.as_deref())
                .unwrap_or_else(|| facts_in_words(r));
            if r.points.is_zero() {
                group.nothing.push(if why.is_empty() { r.id.clone() } else { format!("{}（{why}）", r.id) });
                continue;
            }
            let mut text = why;
            let arithmetic = arithmetic(&r.trace.steps);
            if !arithmetic.is_empty() {
                if !text.is_empty() {
                    text.push('，');
                }
                text.push_str(&arithmetic);
            }
            text.push_str(&format!(" → {}分", canonical(r.points)));
            if let (Some(raw), Some(cap)) = (r.uncapped, def.and_then(|d| d.cap)) {
                text.push_str(&format!("（{}分超过本项上限，按{}分计）", canonical(raw), canonical(cap)));
            }
            let cite = def.map_or_else(
                || "?".into(),
                |d| d.provenance.cites.iter().map(|c| c.precise()).collect::<Vec<_>>().join("；"),
            );
            group.scored.push(ItemLine {
                name: r.id.clone(),
                points: r.points,
                text,
                cite,
                modelled: def.is_some_and(|d| !item_modelled(policy, d).is_empty()),
                node: def.map(|d| d.body.node),
            });
        }
        groups.push(group);
    }
    groups
}

/// An item without a 说明: its facts by field name, without paths or positions.
fn facts_in_words(r: &ItemResult) -> String {
    let shown: Vec<String> = r
        .trace
        .facts
        .iter()
        .filter(|f| !f.path.contains('['))
        .map(|f| format!("{}{}", f.path.rsplit('.').next().unwrap_or(&f.path), f.value))
        .collect();
    shown.join("、")
}

/// The arithmetic of the steps that count, in the law's words: `每满1个月计0.5分，共86个 = 43分`.
fn arithmetic(steps: &[Step]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in steps {
        let Some(rule) = &s.rule else { continue };
        let part = match rule {
            Rule::Every { every, every_is_one, gives, times, raw, cap, capped } => {
                let mut t = if *every_is_one {
                    format!("每满{every}计{gives}")
                } else {
                    format!("满{times}个{every}，每满{every}计{gives}")
                };
                if let (Some(cap), true) = (cap, capped) {
                    t.push_str(&format!("，共{raw}，超过上限，按最高{cap}计"));
                }
                t
            }
            Rule::Bracket { from, below, .. } => match (from, below) {
                (Some(f), Some(b)) => format!("满{f}、未满{b}"),
                (Some(f), None) => format!("满{f}"),
                (None, Some(b)) => format!("未满{b}"),
                (None, None) => "不在所列区间".into(),
            },
            Rule::Times { left, right, .. } => format!("{left} × {right}"),
            Rule::Matched { .. } => continue,
            Rule::Union { kept, merged, days } => {
                let ranges: Vec<String> =
                    merged.iter().map(|(a, b)| format!("{}至{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d"))).collect();
                if *kept > 1 {
                    format!("{kept}段合并为{}，共{days}日（重叠只计一次）", ranges.join("、"))
                } else {
                    format!("{}，共{days}日", ranges.join("、"))
                }
            }
        };
        parts.push(part);
    }
    parts.join("，")
}
