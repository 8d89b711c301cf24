//! Fuzz target `record`: the law it checks is `tests/support/fuzz_laws.rs::record`.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::fuzz_laws::record(data));
