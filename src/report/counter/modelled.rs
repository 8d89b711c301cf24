//! Provenance on the page: which lines rest on a modelled value (a table or constant marked
//! 模拟取值, a clause's own 模拟取值, the scores of a document whose figures are modelled), and the
//! closing note that names each one.

use super::super::explain::modelled_note;
use crate::eval::Evaluation;
use crate::ir::{ClauseDef, Expr, ExprKind, Policy};

/// The modelled values the scored items rest on.
pub(super) fn items_modelled(policy: &Policy, eval: &Evaluation) -> Vec<Modelled> {
    let mut out = Vec::new();
    for r in eval.items.iter().filter(|r| !r.points.is_zero()) {
        if let Some(def) = policy.items.iter().find(|i| i.id == r.id) {
            note(&mut out, &item_modelled(policy, def));
        }
    }
    out
}

pub(super) fn note(all: &mut Vec<Modelled>, more: &[Modelled]) {
    for m in more {
        push(all, m.clone());
    }
}

/// A modelled value a line rests on: the declaration (or clause) that says so, and where.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Modelled {
    /// `达标积分值`, `受理期`, `《计分标准》的分值`.
    pub name: String,
    pub cite: String,
    /// The document whose 模拟取值 note applies, if any.
    #[serde(skip)]
    document: Option<String>,
}

/// The tables and constants marked 模拟取值 an expression reads, following constants.
fn modelled_reads(policy: &Policy, e: &Expr, seen: &mut Vec<u32>, out: &mut Vec<Modelled>) {
    crate::ir::visit::visit(e, &mut |x: &Expr| match &x.kind {
        ExprKind::Lookup { table, .. } => {
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            if let Some(t) = policy.tables.get(table.0 as usize) {
                if t.provenance.modelled.is_some() {
                    push(out, declared(&t.name, &t.provenance));
                }
            }
        }
        ExprKind::Const(id) if !seen.contains(&id.0) => {
            seen.push(id.0);
            if let Some(c) = policy.constants.get(id.0 as usize) {
                if c.provenance.modelled.is_some() {
                    push(out, declared(&c.name, &c.provenance));
                }
                modelled_reads(policy, &c.value, seen, out);
            }
        }
        _ => {}
    });
}

fn declared(name: &str, p: &crate::ir::Provenance) -> Modelled {
    let cite = p.cites.first().map(|c| c.precise()).unwrap_or_default();
    Modelled { name: name.to_string(), document: p.cites.first().map(|c| c.document.clone()), cite }
}

fn push(out: &mut Vec<Modelled>, m: Modelled) {
    if !out.contains(&m) {
        out.push(m);
    }
}

/// What a clause's line rests on that is modelled: its own figures (`模拟取值` on the clause) and
/// the modelled tables and constants its test reads.
pub(super) fn clause_modelled(policy: &Policy, def: &ClauseDef) -> Vec<Modelled> {
    let mut out = Vec::new();
    if let Some(note) = &def.modelled {
        let name = if note.is_empty() { "本条的数值".to_string() } else { note.clone() };
        push(&mut out, Modelled { name, cite: def.cite.precise(), document: Some(def.cite.document.clone()) });
    }
    modelled_reads(policy, &def.test, &mut Vec::new(), &mut out);
    out
}

/// What an item's line rests on that is modelled: the item's own 模拟取值, the notes of the
/// documents it cites, and the modelled tables and constants it reads.
pub(super) fn item_modelled(policy: &Policy, def: &crate::ir::ItemDef) -> Vec<Modelled> {
    let mut out = Vec::new();
    if def.provenance.modelled.is_some() {
        push(&mut out, declared(&format!("[{}]的分值", def.id), &def.provenance));
    }
    for c in &def.provenance.cites {
        if policy.documents.iter().any(|d| d.name == c.document && d.modelled.is_some()) {
            push(
                &mut out,
                Modelled {
                    name: format!("《{}》的分值", c.document),
                    cite: String::new(),
                    document: Some(c.document.clone()),
                },
            );
        }
    }
    let mut seen = Vec::new();
    for b in &def.lets {
        modelled_reads(policy, &b.value, &mut seen, &mut out);
    }
    modelled_reads(policy, &def.body, &mut seen, &mut out);
    out
}

/// The closing note: each modelled value the page marked, then the notes of the documents that
/// declare them, in the policy's own words.
pub(super) fn modelled_footnote(policy: &Policy, marked: &[Modelled]) -> Option<String> {
    if marked.is_empty() {
        return modelled_note(policy);
    }
    let names: Vec<String> = marked
        .iter()
        .map(|m| if m.cite.is_empty() { m.name.clone() } else { format!("{}（{}）", m.name, m.cite) })
        .collect();
    let mut note = format!("标 ※ 的结论与分值用到模拟取值，不是官方数字：{}。", names.join("；"));
    let mut documents: Vec<&str> = Vec::new();
    for m in marked {
        if let Some(d) = m.document.as_deref() {
            if !documents.contains(&d) {
                documents.push(d);
            }
        }
    }
    for d in documents {
        if let Some(text) = policy.documents.iter().find(|x| x.name == d).and_then(|x| x.modelled.as_ref()) {
            if !text.is_empty() && !note.contains(text.as_str()) {
                note.push_str(text);
            }
        }
    }
    Some(note)
}
