//! `jifen eval --policy DIR --input FILE`: score applicants, in every format on the shared,
//! streaming batch pipeline (`jifen::batch::eval`).

use super::{jobs_or_all, load_expecting, records, stream_failure, warn_same_ids, Bar, Context, Exit, Outcome};
use chrono::NaiveDate;
use jifen::batch::eval::{eval, Format as EvalFormat};
use jifen::batch::stream::Options;
use jifen::diag::Lang;
use jifen::ir::Digest;
use jifen::messages::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    policy: PathBuf,
    /// A .json object (or array), a .jsonl file, or `-` for JSON Lines on stdin.
    #[arg(long)]
    input: PathBuf,
    /// Evaluate on this date instead of each record's own 评估日.
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Worker threads over JSON Lines (default: every core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no closing summary on stderr.
    #[arg(long)]
    quiet: bool,
    /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
    #[arg(long, value_name = "sha256:…", value_parser = super::parse_digest)]
    expect_hash: Option<Digest>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let Some((_, compiled)) = load_expecting(&args.policy, cx, args.expect_hash)? else { return Ok(Exit::Found) };
    let (records, size) = records(&compiled.policy, &args.input)?;
    let lines = matches!(records, jifen::batch::stream::Records::Lines(_));
    let format = match args.format {
        Format::Text => EvalFormat::Table,
        Format::Json => EvalFormat::Json,
        Format::Jsonl => EvalFormat::Jsonl,
    };
    let jobs = jobs_or_all(args.jobs);
    let bar = Bar::new(args.quiet, size);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut faults = |(line, e): jifen::batch::eval::Fault| {
        // A syntax error names its own line and column; any other fault is named by its line.
        cx.say(&Message::Worded { zh: e.in_batch(line, Lang::Zh), en: e.in_batch(line, Lang::En) });
    };
    let result =
        eval(&compiled.policy, records, format, &mut out, &mut faults, &Options::new(jobs, args.as_of), &mut |s| {
            bar.show(s)
        });
    bar.finish();
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(e) => {
            stream_failure(e, &args.input)?;
            // The reader is gone: what was done keeps its status, unknown past this point.
            return Ok(Exit::Ok);
        }
    };
    warn_same_ids(cx, &outcome.repeats);
    let s = outcome.summary;
    // The closing line of a streamed JSON Lines batch (the other formats are for a person who
    // reads the faults above).
    if !args.quiet && lines && format == EvalFormat::Jsonl {
        cx.say(&Message::BatchSummary {
            records: s.records,
            ok: s.ok,
            errors: s.errors,
            seconds: format!("{:.2}", s.elapsed.as_secs_f64()),
            rate: format!("{:.0}", s.rate()),
            jobs,
        });
    }
    Ok(Exit::found_if(s.errors > 0))
}
