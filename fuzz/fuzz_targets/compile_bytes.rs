//! Fuzz target `compile_bytes`: the law it checks is `tests/support/fuzz_laws.rs::compile_bytes`.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::fuzz_laws::compile_bytes(data));
