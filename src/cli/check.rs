//! `jifen check POLICY`: compile a policy and report every diagnostic.

use super::{print_out, Context, Exit, Outcome};
use jifen::diag::render_all;
use jifen::messages::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    policy: PathBuf,
    /// `text` for people; `json` for editors and CI (code, severity, file, line, column, message, fix).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let loaded = jifen::load_policy(&args.policy).map_err(|e| super::policy_failure(&e))?;
    let diags = &loaded.diagnostics;
    if args.format == Format::Json {
        let origin = loaded.compiled.as_ref().map(|c| jifen::ir::Origin::of(&c.policy));
        let report = jifen::diag::json::report(&diags.0, &loaded.sources, cx.lang, origin.as_ref());
        let text = serde_json::to_string_pretty(&report).map_err(|e| Message::Internal { detail: e.to_string() })?;
        print_out(&format!("{text}\n"))?;
        return Ok(Exit::found_if(diags.has_errors()));
    }
    if diags.0.is_empty() {
        // A policy without a diagnostic has compiled; were it not, "通过" with 0 items would be a
        // false pass, so it is an error instead.
        let Some(compiled) = loaded.compiled.as_ref() else {
            return Err(Message::Internal { detail: "the policy has no diagnostic yet did not compile".into() });
        };
        let passed = Message::CheckPassed { files: loaded.sources.files().count(), items: compiled.policy.items.len() };
        print_out(&format!("{}\n", passed.text(cx.lang)))?;
    } else {
        eprint!("{}", render_all(&diags.0, &loaded.sources, cx.render()));
    }
    // The hash results will carry, for a policy that compiles (warnings or not).
    if let Some(c) = &loaded.compiled {
        print_out(&format!("{}\n", Message::PolicyHash { hash: c.policy.digest.to_string() }.text(cx.lang)))?;
    }
    Ok(Exit::found_if(diags.has_errors()))
}
