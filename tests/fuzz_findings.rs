//! Every input a fuzzer found (`tests/fuzz_findings/<target>/`) replayed through the law its fuzz
//! target checks (`tests/support/fuzz_laws.rs`), on stable Rust, in CI. And the structure-aware
//! generator the fuzzers share is kept honest: its prelude checks, and most policies it writes
//! from random bytes get past the parser, so the checker and interpreter are what is fuzzed.

#![allow(clippy::panic)]

#[path = "support/mod.rs"]
mod support;

use arbitrary::Unstructured;
use support::{fuzz_laws, policy_gen};

type Law = fn(&[u8]);

const TARGETS: [(&str, Law); 5] = [
    ("compile_bytes", fuzz_laws::compile_bytes),
    ("compile_structured", fuzz_laws::compile_structured),
    ("checked_never_faults", fuzz_laws::checked_never_faults),
    ("record", fuzz_laws::record),
    ("diff", fuzz_laws::diff),
];

#[test]
fn every_finding_holds_to_its_law() {
    let mut replayed = 0;
    for (target, law) in TARGETS {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_findings").join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let data = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            law(&data);
            replayed += 1;
        }
    }
    eprintln!("{replayed} findings replayed");
}

/// A small deterministic source of bytes (xorshift), so the smoke run is the same on every machine.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes().first().copied().unwrap_or(0)
        })
        .collect()
}

#[test]
fn the_generators_prelude_checks_cleanly() {
    let mut sources = jifen::syntax::span::SourceMap::default();
    sources.add("prelude.jf", policy_gen::PRELUDE);
    let loaded = jifen::compile(sources);
    let errors: Vec<_> = loaded.diagnostics.0.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn generated_policies_mostly_check_and_every_law_holds_on_them() {
    let runs = 300;
    let mut checked = 0;
    let mut parsed = 0;
    for seed in 0..runs {
        let data = bytes(seed, 2048);
        let text = policy_gen::policy(&mut Unstructured::new(&data)).unwrap_or_else(|e| panic!("{e}"));
        let mut sources = jifen::syntax::span::SourceMap::default();
        sources.add("gen.jf", text.as_str());
        let loaded = jifen::compile(sources);
        if !loaded.diagnostics.0.iter().any(|d| d.code.as_str().starts_with("E00")) {
            parsed += 1;
        }
        if loaded.compiled.is_some() {
            checked += 1;
        }
        for (_, law) in TARGETS {
            law(&data);
        }
    }
    // The generator is only worth its fuzzing time if its policies reach the checker and, mostly,
    // the interpreter: a change to the language that breaks it shows here, not as a quiet fuzzer.
    assert!(parsed * 10 >= runs * 9, "only {parsed} of {runs} generated policies parse");
    eprintln!("{parsed} of {runs} generated policies parse, {checked} check");
    assert!(checked * 2 >= runs, "only {checked} of {runs} generated policies check");
}

#[test]
#[ignore]
fn show_errors() {
    for seed in 0..300 {
        let data = bytes(seed, 2048);
        let text = policy_gen::policy(&mut Unstructured::new(&data)).unwrap_or_default();
        let mut sources = jifen::syntax::span::SourceMap::default();
        sources.add("gen.jf", text.as_str());
        let loaded = jifen::compile(sources);
        for d in loaded.diagnostics.0.iter().filter(|d| d.is_error()) {
            println!("ERR {} {}", d.code.as_str(), d.message.zh.chars().take(30).collect::<String>());
        }
    }
}

/// The two policies a `diff` finding holds, written out for a person to read:
/// `FINDING=tests/fuzz_findings/diff/… cargo test --test fuzz_findings write_out -- --ignored`.
#[test]
#[ignore]
fn write_out() {
    let path = std::env::var("FINDING").unwrap_or_default();
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut u = Unstructured::new(&data);
    for side in ["a", "b"] {
        let text = policy_gen::policy(&mut u).unwrap_or_default();
        let out = std::env::temp_dir().join(format!("finding-{side}.jf"));
        std::fs::write(&out, text).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("{}", out.display());
    }
}
