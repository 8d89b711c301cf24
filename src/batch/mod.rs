//! Pipelines over a batch of applicants, shared by the command line and any other caller:
//! evaluating a stream of records on every core, and ranking eligible applicants under quotas.

pub mod eval;
pub mod explain;
pub mod rank;
pub mod same_id;
pub mod spill;
pub mod stream;
