//! The identities of clauses, which survive edits.
//!
//! A clause the drafter labelled (`条件 [年满十八周岁] …`) is known by its label. Any other clause is
//! known by the article it cites and its place among the owner's unlabelled clauses citing that
//! article: `第七条·2` is the second clause of the purpose that cites 第七条. Between two versions,
//! labelled clauses match by label; the others match within the same article, first those that
//! read the same (so inserting a clause does not disturb the rest), then the remaining ones in
//! order; what is left over was added or removed.

use super::expr::align;
use crate::ir::words::{Spelling, Words};
use crate::ir::{Cite, CiteTarget, ClauseDef, Policy};

/// The identity of each clause of one purpose or route, in order. `home` is the owner's own
/// document: a clause citing another document carries that document's name in its identity.
pub fn identities(clauses: &[ClauseDef], home: Option<&str>) -> Vec<String> {
    let mut seen: Vec<(String, usize)> = Vec::new();
    clauses
        .iter()
        .map(|c| {
            if let Some(label) = &c.label {
                return label.clone();
            }
            let base = article_key(&c.cite, home);
            let n = match seen.iter_mut().find(|(b, _)| *b == base) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    seen.push((base.clone(), 1));
                    1
                }
            };
            format!("{base}·{n}")
        })
        .collect()
}

fn article_key(cite: &Cite, home: Option<&str>) -> String {
    let target = match &cite.target {
        CiteTarget::Article(a) => a.clone(),
        CiteTarget::Id(id) => format!("[{id}]"),
    };
    if home.is_some_and(|h| h != cite.document) {
        format!("{} {target}", cite.document)
    } else {
        target
    }
}

/// A pair of clauses of one owner, matched across versions (one side absent for an added or
/// removed clause), with its identity (the new side's when both have one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub id: String,
    pub old: Option<usize>,
    pub new: Option<usize>,
}

/// Match the clauses of one purpose or route in two versions.
pub fn match_clauses(
    old_policy: &Policy,
    old: &[ClauseDef],
    new_policy: &Policy,
    new: &[ClauseDef],
    home: Option<&str>,
) -> Vec<Matched> {
    // One identity per clause (identities maps each): every `ids_….get(index)` below finds it.
    let ids_old = identities(old, home);
    let ids_new = identities(new, home);
    let words_old = Words::new(old_policy, Spelling::Canonical);
    let words_new = Words::new(new_policy, Spelling::Canonical);
    let text = |w: &Words, c: &ClauseDef| format!("{:?} {} {} {}", c.kind, w.expr(&c.test), w.expr(&c.message), c.cite);
    let mut out: Vec<Matched> = Vec::new();
    let mut used_new = vec![false; new.len()];
    let mut used_old = vec![false; old.len()];
    // Labels first.
    for (i, c) in old.iter().enumerate() {
        let Some(label) = &c.label else { continue };
        if let Some(j) = new.iter().position(|d| d.label.as_ref() == Some(label)) {
            out.push(Matched { id: label.clone(), old: Some(i), new: Some(j) });
            mark(&mut used_old, i);
            mark(&mut used_new, j);
        }
    }
    // Then unlabelled clauses, article by article.
    let key = |c: &ClauseDef| article_key(&c.cite, home);
    let mut articles: Vec<String> = Vec::new();
    for c in old.iter().chain(new.iter()).filter(|c| c.label.is_none()) {
        let k = key(c);
        if !articles.contains(&k) {
            articles.push(k);
        }
    }
    for article in &articles {
        let xs: Vec<usize> =
            (0..old.len()).filter(|i| old.get(*i).is_some_and(|c| c.label.is_none() && key(c) == *article)).collect();
        let ys: Vec<usize> =
            (0..new.len()).filter(|j| new.get(*j).is_some_and(|c| c.label.is_none() && key(c) == *article)).collect();
        let tx: Vec<String> = xs.iter().filter_map(|i| old.get(*i)).map(|c| text(&words_old, c)).collect();
        let ty: Vec<String> = ys.iter().filter_map(|j| new.get(*j)).map(|c| text(&words_new, c)).collect();
        // Clauses that read the same stay matched; between them, the rest pair in order.
        for pair in align(&tx, &ty) {
            if let (Some(a), Some(b)) = pair {
                if let (Some(&i), Some(&j)) = (xs.get(a), ys.get(b)) {
                    // j is a clause of `new`: its identity is there.
                    let id = ids_new.get(j).cloned().unwrap_or_default();
                    out.push(Matched { id, old: Some(i), new: Some(j) });
                    mark(&mut used_old, i);
                    mark(&mut used_new, j);
                }
            }
        }
    }
    // A clause that gained or lost a label, and reads the same, is the same clause.
    // The flags have one entry per clause; were one missing, the clause would count as used and
    // never be paired with a clause it is not.
    for (i, c) in old.iter().enumerate() {
        if used_old.get(i).copied().unwrap_or(true) {
            continue;
        }
        let t = text(&words_old, c);
        let found = (0..new.len()).find(|j| {
            !used_new.get(*j).copied().unwrap_or(true) && new.get(*j).is_some_and(|d| text(&words_new, d) == t)
        });
        if let Some(j) = found {
            // j is a clause of `new`: its identity is there.
            out.push(Matched { id: ids_new.get(j).cloned().unwrap_or_default(), old: Some(i), new: Some(j) });
            mark(&mut used_old, i);
            mark(&mut used_new, j);
        }
    }
    for (i, used) in used_old.iter().enumerate() {
        if !used {
            // i is a clause of `old`: its identity is there.
            out.push(Matched { id: ids_old.get(i).cloned().unwrap_or_default(), old: Some(i), new: None });
        }
    }
    for (j, used) in used_new.iter().enumerate() {
        if !used {
            // j is a clause of `new`: its identity is there.
            out.push(Matched { id: ids_new.get(j).cloned().unwrap_or_default(), old: None, new: Some(j) });
        }
    }
    // In the order the new version decides them (removed clauses where they stood in the old).
    // Every match has a side, so the 0 is never used.
    out.sort_by_key(|m| (m.new.or(m.old).unwrap_or(0), m.new.is_none()));
    out
}

fn mark(flags: &mut [bool], i: usize) {
    if let Some(f) = flags.get_mut(i) {
        *f = true;
    }
}
