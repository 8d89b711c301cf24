//! Renderers: the JSON contract and the explanation for a person.

pub mod counter;
pub mod diff;
pub mod explain;
pub mod explain_json;
pub mod json;
pub mod memo;
pub mod rank;
mod reasons;
pub mod table;
pub mod tests;
