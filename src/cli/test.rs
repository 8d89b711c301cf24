//! `jifen test POLICY`: run the policy's own tests (测试) and report each.

use super::{load, print_out, Context, Exit, Outcome};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    policy: PathBuf,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let Some((loaded, compiled)) = load(&args.policy, cx)? else { return Ok(Exit::Found) };
    let outcomes = jifen::testing::run_all(&compiled.policy);
    print_out(&jifen::report::tests::render(&compiled.policy, &compiled.spans, &loaded.sources, &outcomes, cx.lang))?;
    Ok(Exit::found_if(!outcomes.iter().all(|o| o.passed())))
}
