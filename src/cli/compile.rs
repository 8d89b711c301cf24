//! `jifen compile POLICY --emit ir`: the typed, versioned IR as JSON.

use super::{load, print_out, Context, Exit, Outcome};
use jifen::messages::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    policy: PathBuf,
    #[arg(long, value_enum, default_value = "ir")]
    emit: Emit,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Emit {
    Ir,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let Emit::Ir = args.emit;
    let Some((_, compiled)) = load(&args.policy, cx)? else { return Ok(Exit::Found) };
    let text =
        serde_json::to_string_pretty(&compiled.policy).map_err(|e| Message::Internal { detail: e.to_string() })?;
    // The IR on stdout is exactly what was hashed (its own hash cannot be inside it); the hash
    // goes to stderr, beside the diagnostics.
    cx.say(&Message::PolicyHash { hash: compiled.policy.digest.to_string() });
    print_out(&format!("{text}\n"))?;
    Ok(Exit::Ok)
}
