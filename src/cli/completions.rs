//! `jifen completions SHELL`: a completion script generated from the parser's own definition.

use super::{print_out, Context, Exit, Outcome};

#[derive(clap::Args)]
pub struct Args {
    shell: clap_complete::Shell,
}

pub fn run(args: Args, _cx: &Context) -> Outcome {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut crate::command(), "jifen", &mut script);
    print_out(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Ok)
}
