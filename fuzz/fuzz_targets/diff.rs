//! Fuzz target `diff`: the law it checks is `tests/support/fuzz_laws.rs::diff`.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::fuzz_laws::diff(data));
