//! jifen (积分): a policy-as-code language for points-based residency rules.
//!
//! # Using jifen from another program
//!
//! The public API is this page: compile a policy, read an applicant's record, evaluate it, explain
//! the result (as text for a person or as data), write the result as the JSON contract, and
//! compare two versions of a policy. Every result names the exact policy that produced it (its
//! audit hash).
//!
//! ```
//! use std::path::Path;
//!
//! // Compile a policy directory; a policy with errors has diagnostics and no compiled form.
//! let loaded = jifen::load_policy(Path::new("policies/suzhou/2020"))?;
//! assert!(loaded.diagnostics_text(jifen::Lang::En).contains("0 error(s)"));
//! let policy = loaded.compiled.as_ref().ok_or("the policy has errors")?;
//! assert!(policy.hash().starts_with("sha256:"));
//!
//! // Read one applicant and evaluate on the record's own date (or another one).
//! let record = std::fs::read_to_string("examples/A0001.json")?;
//! let applicant = jifen::read_record(policy, &record).map_err(|e| e.message.en)?;
//! let evaluation = jifen::evaluate(policy, &applicant, None).map_err(|e| e.message.zh)?;
//! assert_eq!(evaluation.purposes[0].name, "积分落户");
//!
//! // The contract's JSON, a person's explanation, and the explanation as data.
//! let result = jifen::result_json(policy, &applicant, &evaluation);
//! assert_eq!(result["purposes"]["积分落户"]["status"], "eligible");
//! let text = jifen::explain(policy, &loaded.sources, &applicant, &evaluation);
//! assert!(text.contains("积分落户"));
//! let data = jifen::explain_json(policy, &loaded.sources, &applicant, &evaluation);
//! assert_eq!(data["applicant"]["id"], "A0001");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Comparing two versions:
//!
//! ```
//! use std::path::Path;
//!
//! let old = jifen::load_policy(Path::new("policies/suzhou/2015"))?;
//! let new = jifen::load_policy(Path::new("policies/suzhou/2020"))?;
//! let (old, new) = (old.compiled.ok_or("2015 has errors")?, new.compiled.ok_or("2020 has errors")?);
//! let diff = jifen::diff(&old, &new);
//! assert!(!diff.changes.is_empty());
//! assert!(jifen::diff_text(&diff).starts_with("苏州市流动人口积分与户籍准入 2015 → 2020"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Internals
//!
//! The pipeline, one module per stage: text → `syntax` (tokens, AST with spans) → `check` (names,
//! types and units) → `ir` (typed, versioned) → `eval` (interpreter with trace) → `report`
//! (explanations, the JSON contract). Records enter through `data`; diagnostics of every stage are
//! `diag` values; `batch`, `compare` and `testing` are the pipelines of the command line. These
//! modules are public only for jifen's own binary, tests, benchmarks and fuzzers: they are hidden
//! from this documentation and may change in any release.

#![deny(missing_docs)]

#[doc(hidden)]
pub mod batch;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod compare;
#[doc(hidden)]
pub mod data;
#[doc(hidden)]
pub mod diag;
#[doc(hidden)]
pub mod diff;
#[doc(hidden)]
pub mod eval;
#[doc(hidden)]
pub mod fmt;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod messages;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod syntax;
#[doc(hidden)]
pub mod testing;

mod policy_dir;

use diag::Diagnostics;

// Ids, offsets and indices are stored as u32 and widened with `as usize` where they index, and
// counts go from usize to u64: both are lossless only where usize has 32 or 64 bits, so other
// targets are refused here.
#[cfg(not(any(target_pointer_width = "32", target_pointer_width = "64")))]
compile_error!("jifen needs a 32- or 64-bit usize: u32 ids widen to usize, and counts to u64");

/// This jifen's version, carried by every result beside the policy's hash.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use data::{Applicant, RecordError};
pub use diag::Lang;
pub use diff::Diff;
pub use eval::{EvalError, Evaluation};
pub use ir::Compiled;
pub use policy_dir::{read_policy_dir, PolicyError};
pub use syntax::span::SourceMap;

use std::path::Path;

impl Compiled {
    /// The policy's audit hash, `sha256:` and 64 hex digits: SHA-256 of its IR, so formatting and
    /// comments leave it alone and any rule, figure or wording changes it.
    pub fn hash(&self) -> String {
        self.policy.digest.to_string()
    }
}

impl Loaded {
    /// Every diagnostic rendered for a terminal (without colour), then a summary line.
    pub fn diagnostics_text(&self, lang: Lang) -> String {
        diag::render_all(&self.diagnostics.0, &self.sources, diag::RenderOptions { lang, color: false })
    }
}

/// Read one applicant's record (a JSON object) against the policy's schema. Every fault of the
/// record is named in the error's message (unknown fields with the closest known one, bad dates,
/// values of the wrong kind); nothing is guessed.
pub fn read_record(policy: &Compiled, json: &str) -> Result<Applicant, RecordError> {
    data::read_record(&policy.policy, json)
}

/// Evaluate an applicant under the policy on `as_of`, or on the record's own evaluation date, with
/// the trace explanations need. An error is a record the policy cannot score (an overflow, a date
/// outside the calendar); a condition the policy cannot decide is a status, not an error.
pub fn evaluate(
    policy: &Compiled,
    applicant: &Applicant,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Evaluation, EvalError> {
    eval::evaluate(&policy.policy, &applicant.value, as_of.unwrap_or(applicant.as_of))
}

/// The result as the JSON contract gives it (`eval --format json`): the policy (name, version,
/// hash), the applicant, every item's points, each purpose's and route's status and reasons.
pub fn result_json(policy: &Compiled, applicant: &Applicant, evaluation: &Evaluation) -> serde_json::Value {
    report::json::evaluation(&policy.policy, applicant, evaluation)
}

/// The explanation for a person (`jifen explain`), as a counter hands it over: the verdict per
/// purpose and route first, then each condition and each item in the law's words (the policy's
/// 说明), with the applicant's facts, the gap and the article down to the paragraph.
pub fn explain(policy: &Compiled, sources: &SourceMap, applicant: &Applicant, evaluation: &Evaluation) -> String {
    report::counter::counter(policy, sources, applicant, evaluation, report::counter::CounterOptions::default())
}

/// The full step-by-step trace (`jifen explain --full`): every fact read and every step taken,
/// in the policy's own expressions.
pub fn explain_full(policy: &Compiled, sources: &SourceMap, applicant: &Applicant, evaluation: &Evaluation) -> String {
    report::explain::explain(policy, sources, applicant, evaluation, report::explain::ExplainOptions::default())
}

/// The explanation as data (`jifen explain --format json`), for another program to render: each
/// step, fact, clause and citation, with the source span it came from.
pub fn explain_json(
    policy: &Compiled,
    sources: &SourceMap,
    applicant: &Applicant,
    evaluation: &Evaluation,
) -> serde_json::Value {
    report::explain_json::explanation(policy, sources, applicant, evaluation)
}

/// What changed from `old` to `new`, rule by rule, with the articles each change concerns.
pub fn diff(old: &Compiled, new: &Compiled) -> Diff {
    diff::diff(&old.policy, &new.policy)
}

/// A diff as text, grouped by document and article (`jifen diff`).
pub fn diff_text(diff: &Diff) -> String {
    report::diff::text(diff)
}

/// A diff as JSON (`jifen diff --format json`).
pub fn diff_json(diff: &Diff) -> Result<String, serde_json::Error> {
    report::diff::json(diff)
}

/// A policy after compilation: its sources, the IR when there were no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    /// The policy's files as read, for diagnostics and explanations to quote.
    pub sources: SourceMap,
    /// The compiled policy, when it has no errors.
    pub compiled: Option<Compiled>,
    /// Every error and warning, in source order.
    pub diagnostics: Diagnostics,
}

/// Parse and check the policy's files.
pub fn compile(sources: SourceMap) -> Loaded {
    let mut diagnostics = Diagnostics::default();
    let mut files = Vec::new();
    for (id, file) in sources.files() {
        let parsed = syntax::parser::parse_file(id, &file.text);
        diagnostics.0.extend(parsed.errors);
        files.push(parsed.file);
    }
    // Declarations that failed to parse are still known by name, so checking the rest reports
    // their own errors without a cascade of unknown names; the IR is built only when all is well.
    let syntax_ok = !diagnostics.has_errors();
    let (ir, check_diags) = check::check(&files);
    diagnostics.0.extend(check_diags.0);
    let ir = ir.filter(|_| syntax_ok);
    // Static assertions are proved on the checked IR, so they see exactly what evaluation will.
    let compiled = ir.and_then(|(mut policy, spans)| {
        let failed = check::assertions::verify(&policy, &spans);
        let ok = failed.is_empty();
        diagnostics.0.extend(failed);
        // The IR is plain data (strings, decimals, dates, vectors): serialising it cannot fail,
        // and if it ever did the policy would be refused rather than carry a made-up hash.
        match ir::Digest::of(&policy) {
            Ok(digest) => policy.digest = digest,
            Err(e) => {
                diagnostics.0.push(diag::Diagnostic::internal(diag::Msg::new(
                    format!("无法计算政策哈希：{e}"),
                    format!("cannot compute the policy hash: {e}"),
                )));
                return None;
            }
        }
        ok.then_some(Compiled { policy, spans })
    });
    let allowances: Vec<Vec<syntax::allow::Allow>> =
        sources.files().map(|(id, f)| syntax::allow::allowances(id, &f.text)).collect();
    diagnostics.0.retain(|d| !allowed(d, &sources, &allowances));
    diagnostics.sort();
    Loaded { sources, compiled, diagnostics }
}

/// Whether a warning is one the policy says it expects (`# 允许 W0402：理由`), given each file's
/// allowances (read once per compilation, not once per warning).
fn allowed(d: &diag::Diagnostic, sources: &SourceMap, allowances: &[Vec<syntax::allow::Allow>]) -> bool {
    if d.is_error() {
        return false;
    }
    let Some(span) = d.primary_span() else { return false };
    let named = sources.snippet(span);
    // u32 → usize widens losslessly (see the compile_error! above).
    allowances.get(span.file.0 as usize).into_iter().flatten().any(|a| {
        a.code == d.code.as_str()
            && a.within.range().start <= span.range().start
            && span.range().end <= a.within.range().end
            && a.names.as_ref().is_none_or(|names| names.iter().any(|n| n == named))
    })
}

/// Read and compile a policy directory. A policy that cannot be read at all (no such directory, no
/// `.jf` file in it, a file that is not UTF-8) is a [`PolicyError`], which says why in either
/// language; a policy that is read but has errors is a [`Loaded`] with diagnostics and no compiled
/// form.
pub fn load_policy(dir: &Path) -> Result<Loaded, PolicyError> {
    Ok(compile(read_policy_dir(dir)?))
}
