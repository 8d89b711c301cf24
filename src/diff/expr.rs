//! The leaves that moved between two versions of one rule.
//!
//! Two expressions are the same when they read the same in canonical spelling (binders numbered,
//! ids resolved to names, `>=` and `满` one operator). Where they differ, the walk goes down while
//! both sides have the same shape and reports the smallest phrase a drafter recognises: a
//! `每满 … 计 …，最高 …` step, a comparison, a match arm, a bracket, an operand of 且/或.
//! Arms of a 匹配 and brackets of a 分段 are matched by their pattern, so their order is no change.

use super::Detail;
use crate::ir::words::{Spelling, Words};
use crate::ir::*;

/// A phrase longer than this is opened up to find the part that moved, when both sides share its shape.
const PHRASE: usize = 60;

pub struct ExprDiff<'a> {
    old: Words<'a>,
    new: Words<'a>,
    old_canon: Words<'a>,
    new_canon: Words<'a>,
}

impl<'a> ExprDiff<'a> {
    pub fn new(old: &'a Policy, new: &'a Policy) -> Self {
        ExprDiff {
            old: Words::new(old, Spelling::Source),
            new: Words::new(new, Spelling::Source),
            old_canon: Words::new(old, Spelling::Canonical),
            new_canon: Words::new(new, Spelling::Canonical),
        }
    }

    pub fn same(&self, a: &Expr, b: &Expr) -> bool {
        self.old_canon.expr(a) == self.new_canon.expr(b)
    }

    pub fn old_words(&self, e: &Expr) -> String {
        self.old.expr(e)
    }

    pub fn new_words(&self, e: &Expr) -> String {
        self.new.expr(e)
    }

    /// The details in which `b` differs from `a`, under `aspect` (`计分`, `条件`, …).
    pub fn leaves(&self, aspect: &str, a: &Expr, b: &Expr) -> Vec<Detail> {
        let mut out = Vec::new();
        self.walk(aspect, None, a, b, &mut out);
        out
    }

    fn whole(&self, aspect: &str, at: Option<&str>, a: &Expr, b: &Expr, out: &mut Vec<Detail>) {
        out.push(Detail::changed(aspect, at, self.old.expr(a), self.new.expr(b)));
    }

    fn walk(&self, aspect: &str, at: Option<&str>, a: &Expr, b: &Expr, out: &mut Vec<Detail>) {
        if self.same(a, b) {
            return;
        }
        let before = out.len();
        match (&a.kind, &b.kind) {
            (ExprKind::And(..), ExprKind::And(..)) | (ExprKind::Or(..), ExprKind::Or(..)) => {
                let or = matches!(a.kind, ExprKind::Or(..));
                let (xs, ys) = (chain(a, or), chain(b, or));
                self.operands(aspect, at, a, b, &xs, &ys, out);
                return;
            }
            (ExprKind::Match { scrutinee: s, arms: xs }, ExprKind::Match { scrutinee: t, arms: ys })
                if self.same(s, t) =>
            {
                let key_old = |m: &MatchArm| self.old_canon.arm_pattern(s, m);
                let key_new = |m: &MatchArm| self.new_canon.arm_pattern(t, m);
                for x in xs {
                    match ys.iter().find(|y| key_new(y) == key_old(x)) {
                        Some(y) => {
                            let here = self.old.arm_pattern(s, x);
                            self.walk(aspect, Some(&here), &x.result, &y.result, out);
                        }
                        None => out.push(Detail::removed(aspect, at, self.old.match_arm(s, x))),
                    }
                }
                for y in ys.iter().filter(|y| !xs.iter().any(|x| key_old(x) == key_new(y))) {
                    out.push(Detail::added(aspect, at, self.new.match_arm(t, y)));
                }
                return;
            }
            (
                ExprKind::Brackets { scrutinee: s, arms: xs, otherwise: xo },
                ExprKind::Brackets { scrutinee: t, arms: ys, otherwise: yo },
            ) if self.same(s, t) => {
                for x in xs {
                    let key = self.old_canon.bracket_range(s, x);
                    match ys.iter().find(|y| self.new_canon.bracket_range(t, y) == key) {
                        Some(y) => {
                            let here = self.old.bracket_range(s, x);
                            self.walk(aspect, Some(&here), &x.result, &y.result, out);
                        }
                        None => out.push(Detail::removed(aspect, at, self.old.bracket(s, x))),
                    }
                }
                for y in ys {
                    let key = self.new_canon.bracket_range(t, y);
                    if !xs.iter().any(|x| self.old_canon.bracket_range(s, x) == key) {
                        out.push(Detail::added(aspect, at, self.new.bracket(t, y)));
                    }
                }
                match (xo, yo) {
                    (Some(x), Some(y)) => self.walk(aspect, Some("其他情形"), x, y, out),
                    (Some(x), None) => {
                        out.push(Detail::removed(aspect, at, format!("其他情形 → {}", self.old.expr(x))))
                    }
                    (None, Some(y)) => out.push(Detail::added(aspect, at, format!("其他情形 → {}", self.new.expr(y)))),
                    (None, None) => {}
                }
                return;
            }
            // “每满 … 计 …，最高 …” moves as one phrase, read against the quantity it counts.
            (
                ExprKind::Step { quantity: q, every: e1, gives: g1, cap: c1 },
                ExprKind::Step { quantity: r, every: e2, gives: g2, cap: c2 },
            ) if self.same(q, r) => {
                let phrase = |w: &Words, e: &Expr, g: &Expr, c: &Option<Box<Expr>>| {
                    let mut s = format!("每满 {} 计 {}", w.expr(e), w.expr(g));
                    if let Some(c) = c {
                        s.push_str(&format!("，最高 {}", w.expr(c)));
                    }
                    s
                };
                let here = self.old.expr(q);
                out.push(Detail::changed(
                    aspect,
                    // Without a place to name, the phrase stands alone.
                    Some(at.map(|a| format!("{a}：{here}")).as_deref().unwrap_or(&here)),
                    phrase(&self.old, e1, g1, c1),
                    phrase(&self.new, e2, g2, c2),
                ));
                return;
            }
            _ => {}
        }
        // Rules (若, 若有, functions, aggregates) are always opened; a phrase only when it is long.
        let short = self.old.expr(a).chars().count() <= PHRASE && self.new.expr(b).chars().count() <= PHRASE;
        if structural(a) || !short {
            if let (Some(xs), Some(ys)) = (children(a), children(b)) {
                if self.same_shell(a, b) && xs.len() == ys.len() {
                    for (x, y) in xs.iter().zip(&ys) {
                        self.walk(aspect, at, x, y, out);
                    }
                }
            }
        }
        // Nothing below moved (an operator or a name of the phrase itself did): the phrase whole.
        if out.len() == before {
            self.whole(aspect, at, a, b, out);
        }
    }

    /// Whether two phrases differ only inside their sub-expressions: same operator, function,
    /// field, table, variants — so reporting the sub-expressions that moved says everything.
    fn same_shell(&self, a: &Expr, b: &Expr) -> bool {
        let (po, pn) = (self.old_canon.policy(), self.new_canon.policy());
        match (&a.kind, &b.kind) {
            (ExprKind::Field { name: x, .. }, ExprKind::Field { name: y, .. }) => x == y,
            // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
            (ExprKind::Lookup { table: x, .. }, ExprKind::Lookup { table: y, .. }) => {
                po.tables.get(x.0 as usize).map(|t| &t.name) == pn.tables.get(y.0 as usize).map(|t| &t.name)
            }
            (ExprKind::Neg(_), ExprKind::Neg(_))
            | (ExprKind::Not(_), ExprKind::Not(_))
            | (ExprKind::Undecided(_), ExprKind::Undecided(_))
            | (ExprKind::Default(..), ExprKind::Default(..))
            | (ExprKind::If { .. }, ExprKind::If { .. }) => true,
            (ExprKind::Arith(x, ..), ExprKind::Arith(y, ..)) => x == y,
            (ExprKind::Compare(x, ..), ExprKind::Compare(y, ..)) => x == y,
            (ExprKind::DateShift { unit: x, backwards: p, .. }, ExprKind::DateShift { unit: y, backwards: q, .. }) => {
                x == y && p == q
            }
            (ExprKind::Between { below: x, .. }, ExprKind::Between { below: y, .. }) => x == y,
            (ExprKind::OneOf { value: v, variants: x }, ExprKind::OneOf { value: w, variants: y }) => {
                let names = |p: &Policy, e: &Expr, vs: &[u32]| -> Vec<String> {
                    match &e.ty {
                        Type::Enum(en) => vs.iter().map(|v| p.variant_name(*en, *v).to_string()).collect(),
                        _ => Vec::new(),
                    }
                };
                names(po, v, x) == names(pn, w, y)
            }
            (ExprKind::IfLet { local: x, .. }, ExprKind::IfLet { local: y, .. }) => x == y,
            (ExprKind::Call { builtin: x, .. }, ExprKind::Call { builtin: y, .. }) => x == y,
            (
                ExprKind::Aggregate { function: f, local: x, filter: fa, value: va, range_end: ra, .. },
                ExprKind::Aggregate { function: g, local: y, filter: fb, value: vb, range_end: rb, .. },
            ) => {
                f == g
                    && x == y
                    && fa.is_some() == fb.is_some()
                    && va.is_some() == vb.is_some()
                    && ra.is_some() == rb.is_some()
            }
            _ => false,
        }
    }

    /// Operands of a 且/或 chain, aligned in order: operands that read the same stay matched, the
    /// rest are paired in order as changes, the remainder added or removed. A reordering alone is
    /// a change (the connectives decide left to right), shown whole.
    #[allow(clippy::too_many_arguments)]
    fn operands(
        &self,
        aspect: &str,
        at: Option<&str>,
        a: &Expr,
        b: &Expr,
        xs: &[&Expr],
        ys: &[&Expr],
        out: &mut Vec<Detail>,
    ) {
        let kx: Vec<String> = xs.iter().map(|x| self.old_canon.expr(x)).collect();
        let ky: Vec<String> = ys.iter().map(|y| self.new_canon.expr(y)).collect();
        let mut sorted_x = kx.clone();
        let mut sorted_y = ky.clone();
        sorted_x.sort();
        sorted_y.sort();
        if sorted_x == sorted_y {
            self.whole(aspect, at, a, b, out);
            return;
        }
        for pair in align(&kx, &ky) {
            match pair {
                (Some(a), Some(b)) => {
                    if let (Some(x), Some(y)) = (xs.get(a), ys.get(b)) {
                        self.walk(aspect, at, x, y, out);
                    }
                }
                (Some(a), None) => out.extend(xs.get(a).map(|x| Detail::removed(aspect, at, self.old.expr(x)))),
                (None, Some(b)) => out.extend(ys.get(b).map(|y| Detail::added(aspect, at, self.new.expr(y)))),
                (None, None) => {}
            }
        }
    }
}

/// The operands of a chain of 且 (or of 或), left to right.
fn chain(e: &Expr, or: bool) -> Vec<&Expr> {
    match (&e.kind, or) {
        (ExprKind::And(a, b), false) | (ExprKind::Or(a, b), true) => {
            let mut v = chain(a, or);
            v.extend(chain(b, or));
            v
        }
        _ => vec![e],
    }
}

/// Two lists aligned with the fewest changes: an element kept (equal keys), changed (paired with an
/// unequal one), added or removed each counts one change but the first, and of the alignments with
/// the fewest changes the one keeping equal elements is taken. The count is the edit distance, so
/// comparing new with old finds as many changes as old with new — which a longest common
/// subsequence did not: with repeated elements it could keep the wrong copy and report a
/// removal and an addition where one change was made (the `diff` fuzzer found it).
pub fn align<T: PartialEq>(xs: &[T], ys: &[T]) -> Vec<(Option<usize>, Option<usize>)> {
    let (n, m) = (xs.len(), ys.len());
    // cost[i][j]: the fewest changes turning xs[i..] into ys[j..]. Every cell read below has
    // i ≤ n and j ≤ m, inside this (n+1)×(m+1) table, so the fallbacks are never used.
    let mut cost = vec![vec![0usize; m + 1]; n + 1];
    let at = |cost: &Vec<Vec<usize>>, i: usize, j: usize| cost.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            let v = if i == n {
                m - j
            } else if j == m {
                n - i
            } else {
                let same = xs.get(i) == ys.get(j);
                let diagonal = at(&cost, i + 1, j + 1) + usize::from(!same);
                diagonal.min(at(&cost, i + 1, j) + 1).min(at(&cost, i, j + 1) + 1)
            };
            if let Some(cell) = cost.get_mut(i).and_then(|r| r.get_mut(j)) {
                *cell = v;
            }
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        let here = at(&cost, i, j);
        let same = i < n && j < m && xs.get(i) == ys.get(j);
        if i < n && j < m && here == at(&cost, i + 1, j + 1) + usize::from(!same) {
            out.push((Some(i), Some(j)));
            i += 1;
            j += 1;
        } else if i < n && here == at(&cost, i + 1, j) + 1 {
            out.push((Some(i), None));
            i += 1;
        } else {
            out.push((None, Some(j)));
            j += 1;
        }
    }
    out
}

fn structural(e: &Expr) -> bool {
    matches!(
        e.kind,
        ExprKind::If { .. }
            | ExprKind::IfLet { .. }
            | ExprKind::Call { .. }
            | ExprKind::Aggregate { .. }
            | ExprKind::Default(..)
    )
}

/// The sub-expressions of a phrase, for opening up a long one (none for the keyed forms above).
fn children(e: &Expr) -> Option<Vec<&Expr>> {
    Some(match &e.kind {
        ExprKind::Field { record, .. } => vec![record],
        ExprKind::Lookup { key, .. } => vec![key],
        ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Undecided(x) => vec![x],
        ExprKind::Arith(_, a, b) | ExprKind::Compare(_, a, b) | ExprKind::Default(a, b) => vec![a, b],
        ExprKind::DateShift { date, amount, .. } => vec![date, amount],
        ExprKind::Between { value, low, high, .. } => vec![value, low, high],
        ExprKind::OneOf { value, .. } => vec![value],
        ExprKind::If { cond, then, otherwise } => vec![cond, then, otherwise],
        ExprKind::IfLet { value, then, otherwise, .. } => vec![value, then, otherwise],
        ExprKind::Call { args, .. } => args.iter().collect(),
        ExprKind::Aggregate { list, filter, value, range_end, .. } => {
            let mut v: Vec<&Expr> = vec![list];
            v.extend(filter.as_deref());
            v.extend(value.as_deref());
            v.extend(range_end.as_deref());
            v
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::align;

    /// Changes an alignment reports: pairs of unequal elements, additions and removals.
    fn changes(xs: &[char], ys: &[char]) -> usize {
        align(xs, ys)
            .iter()
            .filter(|p| match p {
                (Some(a), Some(b)) => xs.get(*a) != ys.get(*b),
                _ => true,
            })
            .count()
    }

    #[test]
    fn alignments_count_the_same_changes_both_ways() {
        let lists: Vec<Vec<char>> = ["", "a", "aaa", "abca", "bbb", "abcb", "xyzb", "babab", "cab", "aabbcc"]
            .iter()
            .map(|s| s.chars().collect())
            .collect();
        for xs in &lists {
            for ys in &lists {
                assert_eq!(changes(xs, ys), changes(ys, xs), "{xs:?} {ys:?}");
            }
        }
        // The fuzzer's case: one repeated clause kept, the others changed in place.
        let old: Vec<char> = "abcd".chars().collect();
        let new: Vec<char> = "ddd".chars().collect();
        assert_eq!(changes(&old, &new), 3);
        // Equal elements stay matched around an insertion.
        assert_eq!(align(&['a', 'b'], &['a', 'x', 'b']), vec![(Some(0), Some(0)), (None, Some(1)), (Some(1), Some(2))]);
    }
}
