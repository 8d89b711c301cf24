//! `jifen explain-code CODE`: the page of a diagnostic code.

use super::{print_out, Context, Exit, Outcome};
use jifen::messages::Message;

#[derive(clap::Args)]
pub struct Args {
    /// A code such as E0004 or W0402.
    code: String,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    match jifen::diag::pages::page(&args.code, cx.lang) {
        Some(page) => {
            print_out(&page)?;
            Ok(Exit::Ok)
        }
        None => Err(Message::UnknownCode {
            code: args.code,
            codes: jifen::diag::pages::all_codes().iter().map(|c| c.to_string()).collect(),
        }),
    }
}
