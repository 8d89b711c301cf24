//! The laws the fuzzers check, one function per fuzz target (`fuzz/fuzz_targets/`). They live here
//! so that `tests/fuzz_findings.rs` replays every input a fuzzer ever found through the very same
//! law on stable Rust, in CI. A law that is broken panics; an input the law does not apply to (not
//! UTF-8, a policy that does not check) returns quietly.

#![allow(clippy::panic, dead_code)] // a broken law is a panic, as in a test; not every user calls every law

use super::policy_gen;
use super::render::render_every_way;
use arbitrary::Unstructured;
use jifen::syntax::span::SourceMap;
use std::sync::OnceLock;

fn compile_one(text: &str) -> jifen::Loaded {
    let mut sources = SourceMap::default();
    sources.add("fuzz.jf", text);
    jifen::compile(sources)
}

fn ir_json(loaded: &jifen::Loaded) -> serde_json::Value {
    serde_json::to_value(loaded.compiled.as_ref().map(|c| &c.policy)).unwrap_or_default()
}

/// Formatting a policy that compiles never changes its IR, and formatting twice changes nothing.
fn formatting_keeps_the_meaning(text: &str, loaded: &jifen::Loaded) {
    let formatted = jifen::fmt::format(text);
    let again = compile_one(&formatted);
    if ir_json(&again) != ir_json(loaded) {
        panic!("formatting changed the IR\n--- before\n{text}\n--- after\n{formatted}");
    }
    if jifen::fmt::format(&formatted) != formatted {
        panic!("formatting is not idempotent\n{formatted}");
    }
}

/// Target `compile_bytes`: any bytes as one policy file. The compiler answers with diagnostics,
/// never a panic; they render; a policy that compiles formats without changing its meaning.
pub fn compile_bytes(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = compile_one(text);
    render_every_way(&loaded);
    if loaded.compiled.is_some() {
        formatting_keeps_the_meaning(text, &loaded);
    }
}

/// Evaluate `record` under a checked policy and hold it to the checker's promise: whatever a
/// record that decodes holds, evaluation meets no value of a kind the checker ruled out.
fn evaluate_checked(compiled: &jifen::ir::Compiled, sources: &SourceMap, record: &str, explain: bool) {
    let policy = &compiled.policy;
    for (_, read) in jifen::data::read_jsonl(policy, record) {
        let Ok(applicant) = read else { continue };
        for as_of in [applicant.as_of, jifen::data::strict_date("2024-02-29").unwrap_or(applicant.as_of)] {
            match jifen::eval::evaluate(policy, &applicant.value, as_of) {
                Ok(evaluation) if explain => {
                    let explained = jifen::report::explain::explain(
                        compiled,
                        sources,
                        &applicant,
                        &evaluation,
                        jifen::report::explain::ExplainOptions { source: true },
                    );
                    if explained.is_empty() {
                        panic!("an empty explanation");
                    }
                    let mut out = Vec::new();
                    jifen::report::json::Encoder::new(policy).evaluation(&mut out, &applicant.id, &evaluation);
                    if serde_json::from_slice::<serde_json::Value>(&out).is_err() {
                        panic!("the result is not JSON: {}", String::from_utf8_lossy(&out));
                    }
                }
                Ok(_) => {}
                Err(e) if e.internal => panic!(
                    "a checked policy met a type hole: {}\n--- record\n{record}\n--- policy\n{}",
                    e.message.zh,
                    sources.files().map(|(_, f)| f.text.as_str()).collect::<Vec<_>>().join("\n")
                ),
                Err(_) => {}
            }
        }
    }
}

/// Target `compile_structured`: a grammar-generated policy compiles to diagnostics that render,
/// formats without changing its meaning, and (when it checks) evaluates a generated applicant.
pub fn compile_structured(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(text) = policy_gen::policy(&mut u) else { return };
    let loaded = compile_one(&text);
    render_every_way(&loaded);
    if let Some(compiled) = &loaded.compiled {
        formatting_keeps_the_meaning(&text, &loaded);
        if let Ok(record) = policy_gen::record(&mut u) {
            evaluate_checked(compiled, &loaded.sources, &record, true);
        }
    }
}

/// Target `checked_never_faults` (the differential target): a generated policy that passes the
/// checker never makes evaluation fail with an internal error, on any of several generated records.
pub fn checked_never_faults(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(text) = policy_gen::policy(&mut u) else { return };
    let loaded = compile_one(&text);
    let Some(compiled) = &loaded.compiled else { return };
    while let Ok(record) = policy_gen::record(&mut u) {
        evaluate_checked(compiled, &loaded.sources, &record, false);
        if u.is_empty() {
            break;
        }
    }
}

fn bundled() -> &'static (jifen::ir::Compiled, SourceMap) {
    static POLICY: OnceLock<(jifen::ir::Compiled, SourceMap)> = OnceLock::new();
    POLICY.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/suzhou/2020");
        let dir = if dir.exists() {
            dir
        } else {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/suzhou/2020")
        };
        let loaded = jifen::load_policy(&dir).unwrap_or_else(|e| panic!("{e}"));
        let sources = loaded.sources;
        let compiled = loaded.compiled.unwrap_or_else(|| panic!("the bundled policy does not compile"));
        (compiled, sources)
    })
}

/// Target `record`: any bytes as a batch of applicant records under the bundled 2020 policy. Each
/// line reads or is refused with a message naming it; what reads evaluates, explains and encodes.
pub fn record(data: &[u8]) {
    let (compiled, sources) = bundled();
    let Ok(text) = std::str::from_utf8(data) else {
        for line in data.split(|b| *b == b'\n') {
            let _ = jifen::data::line_text(line);
        }
        return;
    };
    let lines = jifen::data::jsonl_lines(text).count();
    let read = jifen::data::read_jsonl(&compiled.policy, text);
    if read.len() != lines {
        panic!("{lines} lines gave {} results", read.len());
    }
    let _ = jifen::data::read_json(&compiled.policy, text);
    evaluate_checked(compiled, sources, text, true);
}

/// Target `diff`: two generated policies. Their diff renders in every form; a policy compared with
/// itself has no changes; and the diff of old → new has as many changes as new → old.
pub fn diff(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let (Ok(a), Ok(b)) = (policy_gen::policy(&mut u), policy_gen::policy(&mut u)) else { return };
    let (a, b) = (compile_one(&a), compile_one(&b));
    let (Some(a), Some(b)) = (&a.compiled, &b.compiled) else { return };
    let forward = jifen::diff::diff(&a.policy, &b.policy);
    let _ = jifen::report::diff::text(&forward);
    if let Err(e) = jifen::report::diff::json(&forward) {
        panic!("a diff does not serialise: {e}");
    }
    let _ = jifen::report::memo::memo(&forward);
    let itself = jifen::diff::diff(&a.policy, &a.policy);
    if !itself.changes.is_empty() {
        panic!("a policy differs from itself: {}", jifen::report::diff::text(&itself));
    }
    let backward = jifen::diff::diff(&b.policy, &a.policy);
    if backward.changes.len() != forward.changes.len() {
        panic!(
            "old → new has {} changes, new → old {}\n{}\n{}",
            forward.changes.len(),
            backward.changes.len(),
            jifen::report::diff::text(&forward),
            jifen::report::diff::text(&backward)
        );
    }
}
