//! Code shared by the fuzz targets (`fuzz/`) and the tests that replay their findings.

pub mod fuzz_laws;
pub mod policy_gen;
pub mod render;
