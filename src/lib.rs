//! jifen (积分): a policy-as-code language for points-based residency rules.
//!
//! The pipeline, one module per stage:
//! text → [`syntax`] (tokens, AST with spans) → [`check`] (names, types and units) → [`ir`] (typed,
//! versioned) → [`eval`] (interpreter with trace) → [`report`] (explain text, JSON contract).
//! Applicant records enter through [`data`]; diagnostics of every stage are [`diag`] values.

pub mod batch;
pub mod check;
pub mod compare;
pub mod data;
pub mod diag;
pub mod diff;
pub mod eval;
pub mod fmt;
pub mod ir;
pub mod report;
pub mod syntax;
pub mod testing;

use diag::Diagnostics;

// Ids, offsets and indices are stored as u32 and widened with `as usize` where they index, and
// counts go from usize to u64: both are lossless only where usize has 32 or 64 bits, so other
// targets are refused here.
#[cfg(not(any(target_pointer_width = "32", target_pointer_width = "64")))]
compile_error!("jifen needs a 32- or 64-bit usize: u32 ids widen to usize, and counts to u64");

/// This jifen's version, carried by every result beside the policy's hash.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
use ir::Compiled;
use std::path::Path;
use syntax::span::SourceMap;

/// A policy after compilation: its sources, the IR when there were no errors, and every diagnostic.
#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    pub compiled: Option<Compiled>,
    pub diagnostics: Diagnostics,
}

/// Read every `.jf` file of a policy directory, in file-name order.
pub fn read_policy_dir(dir: &Path) -> std::io::Result<SourceMap> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "jf"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{} 中没有 .jf 文件", dir.display())));
    }
    let mut sources = SourceMap::default();
    for p in paths {
        let text = std::fs::read_to_string(&p)?;
        // A byte-order mark some editors write is not part of the policy's text; without one the
        // text is kept as read.
        let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
        sources.add(p.display().to_string(), text);
    }
    Ok(sources)
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

/// Read and compile a policy directory.
pub fn load_policy(dir: &Path) -> std::io::Result<Loaded> {
    Ok(compile(read_policy_dir(dir)?))
}
