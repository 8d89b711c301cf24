//! `jifen test`: each test's verdict, and for a failure, expected against actual with the part of
//! the evaluation that differs (the clauses of a decision, the steps of an item).

use crate::diag::Lang;
use crate::eval::decide::{Decision, Outcome};
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::*;
use crate::syntax::span::SourceMap;
use crate::testing::{Mismatch, Subject, TestOutcome};

fn status_word(s: ExpectedStatus, lang: Lang) -> &'static str {
    match (s, lang) {
        (ExpectedStatus::Eligible, Lang::Zh) => "符合条件",
        (ExpectedStatus::Ineligible, Lang::Zh) => "不符合",
        (ExpectedStatus::Undecidable, Lang::Zh) => "无法判定",
        (ExpectedStatus::NotApplicable, Lang::Zh) => "不适用",
        (ExpectedStatus::Closed, Lang::Zh) => "不受理",
        (ExpectedStatus::Eligible, Lang::En) => "eligible",
        (ExpectedStatus::Ineligible, Lang::En) => "ineligible",
        (ExpectedStatus::Undecidable, Lang::En) => "undecidable",
        (ExpectedStatus::NotApplicable, Lang::En) => "not applicable",
        (ExpectedStatus::Closed, Lang::En) => "closed",
    }
}

/// What an expectation is about, by name; "?" marks one the policy lacks, never a blank name.
/// (u32 → usize widens losslessly: lib.rs; so in this file.)
fn subject(p: &Policy, s: &Subject) -> String {
    match s {
        Subject::Purpose(i) => format!("用途 {}", p.purposes.get(*i as usize).map(|x| x.name.as_str()).unwrap_or("?")),
        Subject::Route(i) => format!("途径 [{}]", p.routes.get(*i as usize).map(|x| x.id.as_str()).unwrap_or("?")),
        Subject::Item(i) => format!("分项 [{}]", p.items.get(*i as usize).map(|x| x.id.as_str()).unwrap_or("?")),
        Subject::Total(i) => format!("总分 {}", p.purposes.get(*i as usize).map(|x| x.name.as_str()).unwrap_or("?")),
    }
}

fn decision<'e>(e: &'e Evaluation, s: &Subject) -> Option<&'e Decision> {
    // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
    match s {
        Subject::Purpose(i) => e.purposes.get(*i as usize).map(|p| &*p.decision),
        Subject::Route(i) => e.routes.get(*i as usize).map(|r| &*r.decision),
        _ => None,
    }
}

fn clauses(out: &mut String, policy: &Policy, d: &Decision) {
    for c in &d.clauses {
        let mark = match c.outcome {
            Outcome::Holds => "✓",
            Outcome::Fails => "✗",
            Outcome::Undecided => "？",
        };
        let trace = c.shown();
        let facts: Vec<String> = trace.facts.iter().map(|f| format!("{} {}", f.path, f.value)).collect();
        let facts = if facts.is_empty() { String::new() } else { format!("（{}）", facts.join("；")) };
        out.push_str(&format!("          {mark} {}{facts}", trace.test));
        if let (Outcome::Fails | Outcome::Undecided, Some(r)) = (c.outcome, &c.reason) {
            out.push_str(&format!("：{}  {}", r.message(policy), r.cite));
        }
        out.push('\n');
    }
}

fn item_steps(out: &mut String, e: &Evaluation, i: u32) {
    // u32 → usize widens losslessly (usize has at least 32 bits: lib.rs).
    let Some(item) = e.items.get(i as usize) else { return };
    let facts: Vec<String> = item.trace.facts.iter().map(|f| format!("{} {}", f.path, f.value)).collect();
    if !facts.is_empty() {
        out.push_str(&format!("          事实：{}\n", facts.join("；")));
    }
    for s in &item.trace.steps {
        out.push_str(&format!("          {}\n", s.text));
    }
}

/// The report of a run: one line per test, the details of each failure, and a summary.
pub fn render(policy: &Policy, spans: &SpanTable, sources: &SourceMap, outcomes: &[TestOutcome], lang: Lang) -> String {
    let mut out = String::new();
    for o in outcomes {
        let Some(test) = policy.tests.get(o.index) else { continue };
        let place = spans
            .get(test.node)
            .map(|s| {
                let (line, _) = sources.line_col(s);
                // rsplit yields at least the whole path; a file the policy lacks is shown as "?",
                // with line_col's line 0.
                let path = sources
                    .file(s.file)
                    .map_or_else(|| "?".to_string(), |f| f.path.rsplit('/').next().unwrap_or(&f.path).to_string());
                format!("  {path}:{line}")
            })
            // A test whose place is not known is named without one.
            .unwrap_or_default();
        out.push_str(&format!("{} {}{place}\n", if o.passed() { "✓" } else { "✗" }, test.name));
        if let Some(e) = &o.failed_to_run {
            let (zh, en) = ("测试的事实读不成申请人记录：", "the test's facts do not make an applicant record: ");
            out.push_str(&format!("      {}{e}\n", if lang == Lang::Zh { zh } else { en }));
        }
        // The policy's own words (names, reasons, steps) stay as written; the frame is in `lang`.
        let (colon, comma, open, close) =
            if lang == Lang::Zh { ("：", "，", "（", "）") } else { (": ", ", ", " (", ")") };
        for m in &o.mismatches {
            let (expected_word, actual_word) =
                if lang == Lang::Zh { ("预期", "实际") } else { ("expected", "actual") };
            match m {
                Mismatch::Status { what, expected, actual, reasons } => {
                    let actual = if lang == Lang::Zh { actual.zh() } else { actual.en() };
                    out.push_str(&format!(
                        "      {}{colon}{expected_word} {}{comma}{actual_word} {actual}{}\n",
                        subject(policy, what),
                        status_word(*expected, lang),
                        if reasons.is_empty() {
                            String::new()
                        } else {
                            format!("{open}{}{close}", reasons.join("；"))
                        }
                    ));
                    if let Some(d) = o.evaluation.as_ref().and_then(|e| decision(e, what)) {
                        clauses(&mut out, policy, d);
                    }
                }
                Mismatch::Reason { what, expected, actual } => {
                    let reason_word = if lang == Lang::Zh { "理由" } else { " reason" };
                    out.push_str(&format!(
                        "      {}{colon}{expected_word}{reason_word} “{expected}”{comma}{actual_word} “{}”\n",
                        subject(policy, what),
                        actual.join("”“")
                    ));
                }
                Mismatch::Points { what, expected, actual } => {
                    out.push_str(&format!(
                        "      {}{colon}{expected_word} {}分{comma}{actual_word} {}分\n",
                        subject(policy, what),
                        canonical(*expected),
                        canonical(*actual)
                    ));
                    if let (Subject::Item(i), Some(e)) = (what, &o.evaluation) {
                        item_steps(&mut out, e, *i);
                    }
                }
            }
        }
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let total = outcomes.len();
    out.push_str(&match lang {
        Lang::Zh => format!("{total} 个测试：{} 个通过，{failed} 个失败\n", total - failed),
        Lang::En => format!("{total} tests: {} passed, {failed} failed\n", total - failed),
    });
    out
}
