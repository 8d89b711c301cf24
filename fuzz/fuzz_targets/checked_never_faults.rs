//! Fuzz target `checked_never_faults`: the law it checks is `tests/support/fuzz_laws.rs::checked_never_faults`.
#![no_main]

#[path = "../../tests/support/mod.rs"]
mod support;

libfuzzer_sys::fuzz_target!(|data: &[u8]| support::fuzz_laws::checked_never_faults(data));
