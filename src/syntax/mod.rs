//! Text → tokens and AST. pest owns parsing (the grammar is the language's definition); logos
//! gives the lossless token stream that the formatter and highlighting need.

pub mod allow;
pub mod ast;
pub mod delimiters;
pub mod keywords;
pub mod lexer;
mod messages;
pub mod parser;
pub mod span;
