//! Diagnostics as data for editors and CI annotations (`jifen check --format json`): code,
//! severity, file, 1-based line and column (in characters), message, fix, and every label.

use super::{Diagnostic, Lang, Severity};
use crate::syntax::span::{SourceMap, Span};
use serde_json::{json, Value};

fn place(span: Span, sources: &SourceMap) -> Value {
    let (line, column) = sources.line_col(span);
    let end = Span { start: span.end, ..span };
    let (end_line, end_column) = sources.line_col(end);
    json!({
        // A span in no file of the policy: "?" (with line 0 from line_col), never a blank path.
        "file": sources.file(span.file).map_or("?", |f| f.path.as_str()),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
    })
}

/// One diagnostic as a JSON object.
pub fn diagnostic(d: &Diagnostic, sources: &SourceMap, lang: Lang) -> Value {
    let mut v = json!({
        "code": d.code.as_str(),
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "message": d.message.get(lang),
        "fix": d.help.as_ref().map(|h| h.get(lang)),
        "notes": d.notes.iter().map(|n| n.get(lang)).collect::<Vec<_>>(),
        "labels": d.labels.iter().map(|l| {
            let mut p = place(l.span, sources);
            if let Value::Object(m) = &mut p {
                m.insert("message".into(), json!(l.message.get(lang)));
                m.insert("primary".into(), json!(l.primary));
            }
            p
        }).collect::<Vec<_>>(),
    });
    if let (Some(span), Value::Object(m)) = (d.primary_span(), &mut v) {
        if let Value::Object(p) = place(span, sources) {
            m.extend(p);
        }
    }
    v
}

/// All diagnostics of a compilation, with the counts.
/// `policy` is the compiled policy's name, version and audit hash (null when it did not compile).
pub fn report(ds: &[Diagnostic], sources: &SourceMap, lang: Lang, policy: Option<&crate::ir::Origin>) -> Value {
    let errors = ds.iter().filter(|d| d.is_error()).count();
    json!({
        "policy": policy.map(crate::report::json::provenance),
        "diagnostics": ds.iter().map(|d| diagnostic(d, sources, lang)).collect::<Vec<_>>(),
        "errors": errors,
        "warnings": ds.len() - errors,
    })
}
