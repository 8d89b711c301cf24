//! Renderers: the JSON contract and the explanation for a person.

pub mod explain;
pub mod json;
pub mod table;
pub mod tests;
