//! Brackets (分段): overlaps are errors, gaps between neighbours are warnings, and values left
//! uncovered without 其他情形 are errors.

use super::Checker;
use crate::diag::{Code, Diagnostic, Label, Msg};
use crate::syntax::span::Span;
use rust_decimal::Decimal;

/// A bracket `满 from 未满 below`; a missing bound is open.
pub struct Range {
    pub from: Option<Decimal>,
    pub below: Option<Decimal>,
    pub span: Span,
}

fn show(d: Option<Decimal>, open: &str) -> String {
    // A bound that is not there is an open end, shown as ∞ or −∞, never as 0.
    d.map(|x| x.normalize().to_string()).unwrap_or_else(|| open.to_string())
}

impl Checker<'_> {
    pub(super) fn check_brackets(&mut self, ranges: &[Range], has_otherwise: bool, scrutinee: Span, unit: String) {
        for r in ranges {
            if let (Some(f), Some(b)) = (r.from, r.below) {
                if f >= b {
                    self.error(Diagnostic::error(
                        Code::BracketOverlap,
                        Msg::new(
                            format!("空的分段：满 {} 未满 {}", f.normalize(), b.normalize()),
                            format!("empty bracket: from {} below {}", f.normalize(), b.normalize()),
                        ),
                        Label::primary(
                            r.span,
                            Msg::new("下限不小于上限", "the lower bound is not below the upper bound"),
                        ),
                    ));
                }
            }
        }
        let mut sorted: Vec<&Range> = ranges.iter().collect();
        sorted.sort_by(|a, b| match (a.from, b.from) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y),
        });
        // Each bracket is compared with the earlier one that reaches furthest, so a bracket inside
        // another is an overlap, not also a gap.
        let mut furthest: Option<&Range> = None;
        for b in sorted.iter().copied() {
            let Some(a) = furthest else {
                furthest = Some(b);
                continue;
            };
            if a.below.is_some() && b.below.is_none_or(|bb| a.below.is_some_and(|ab| bb > ab)) {
                furthest = Some(b);
            }
            // a covers [a.from, a.below); b starts at b.from (≥ a.from).
            let a_end = a.below;
            let b_start = b.from;
            match (a_end, b_start) {
                (None, _) | (_, None) => self.overlap(a, b),
                (Some(end), Some(start)) if start < end => self.overlap(a, b),
                (Some(end), Some(start)) if start > end => {
                    let d = Diagnostic::warning(
                        Code::BracketGap,
                        Msg::new(
                            format!(
                                "分段之间有空隙：{} 至 {} 之间的值不在任何分段内",
                                end.normalize(),
                                start.normalize()
                            ),
                            format!(
                                "gap between brackets: values from {} below {} fall in none",
                                end.normalize(),
                                start.normalize()
                            ),
                        ),
                        Label::primary(
                            b.span,
                            Msg::new(
                                format!("这一段从 {} 开始", start.normalize()),
                                format!("this bracket starts at {}", start.normalize()),
                            ),
                        ),
                    )
                    .with_label(Label::secondary(
                        a.span,
                        Msg::new(
                            format!("上一段到 {} 为止（不含）", end.normalize()),
                            format!("the previous one ends below {}", end.normalize()),
                        ),
                    ))
                    .with_help(Msg::new(
                        if has_otherwise {
                            "空隙中的值落入「其他情形」；若非有意，把两段接上"
                        } else {
                            "把两段接上，或加「其他情形 → …」"
                        },
                        if has_otherwise {
                            "values in the gap fall to `otherwise`; join the brackets if that is not intended"
                        } else {
                            "join the brackets or add an `otherwise` arm"
                        },
                    ));
                    if has_otherwise {
                        self.error(d);
                    } else {
                        self.not_total(
                            scrutinee,
                            &format!("满 {}{unit} 未满 {}{unit}", end.normalize(), start.normalize()),
                            Some(d),
                        );
                    }
                }
                _ => {}
            }
        }
        if has_otherwise || ranges.is_empty() {
            return;
        }
        if let Some(first) = sorted.first() {
            if let Some(f) = first.from {
                // 以下 would include the bound (民法典 第一千二百五十九条); the gap is below it.
                self.not_total(scrutinee, &format!("未满 {}{unit}", f.normalize()), None);
            }
        }
        if let Some(last) = sorted.iter().filter_map(|r| r.below).max() {
            if sorted.iter().all(|r| r.below.is_some()) {
                self.not_total(scrutinee, &format!("满 {}{unit}", last.normalize()), None);
            }
        }
    }

    fn overlap(&mut self, a: &Range, b: &Range) {
        self.error(
            Diagnostic::error(
                Code::BracketOverlap,
                Msg::new(
                    format!(
                        "分段重叠：[{}, {}) 与 [{}, {})",
                        show(a.from, "−∞"),
                        show(a.below, "∞"),
                        show(b.from, "−∞"),
                        show(b.below, "∞")
                    ),
                    format!(
                        "overlapping brackets: [{}, {}) and [{}, {})",
                        show(a.from, "-inf"),
                        show(a.below, "inf"),
                        show(b.from, "-inf"),
                        show(b.below, "inf")
                    ),
                ),
                Label::primary(b.span, Msg::new("这一段", "this bracket")),
            )
            .with_label(Label::secondary(a.span, Msg::new("与这一段重叠", "overlaps this one")))
            .with_help(Msg::new(
                "用「满 X 未满 Y」：上一段的「未满」等于下一段的「满」",
                "make each bracket's `below` equal the next one's `from`",
            )),
        );
    }

    fn not_total(&mut self, scrutinee: Span, range: &str, gap: Option<Diagnostic>) {
        let mut d = Diagnostic::error(
            Code::BracketNotTotal,
            Msg::new(
                format!("分段不完整：{range} 的值没有对应的分段"),
                format!("brackets do not cover the values {range}"),
            ),
            Label::primary(
                scrutinee,
                Msg::new("这个值可能落在所有分段之外", "this value may fall outside every bracket"),
            ),
        )
        .with_help(Msg::new(
            "加一行「其他情形 → …」，或补上缺少的分段",
            "add an `otherwise` arm, or the missing bracket",
        ));
        if let Some(g) = gap {
            d.labels.extend(g.labels.into_iter().map(|mut l| {
                l.primary = false;
                l
            }));
        }
        self.error(d);
    }
}
