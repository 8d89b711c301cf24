//! Pipelines over a batch of applicants, shared by the command line and any other caller:
//! ranking eligible applicants under quotas.

pub mod rank;
