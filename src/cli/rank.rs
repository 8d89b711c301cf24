//! `jifen rank`: the eligible applicants of a purpose ranked under quotas, as the policy's 排序
//! declares (`jifen::batch::rank`).

use super::{jobs_or_all, load_expecting, print_out, records, stream_failure, warn_same_ids, Context, Exit, Outcome};
use chrono::NaiveDate;
use jifen::batch::stream::Options;
use jifen::ir::Digest;
use jifen::messages::Message;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    policy: PathBuf,
    /// Applicants (JSON or JSON Lines, `-` for stdin); one round, whatever their years.
    #[arg(long)]
    input: PathBuf,
    /// The purpose ranked (one the policy's 排序 names).
    #[arg(long)]
    purpose: String,
    /// A JSON object giving each group value its quota: {"某地": 120, …}; a value left out has 0.
    #[arg(long, value_name = "QUOTAS.json")]
    quotas: PathBuf,
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Evaluate everyone on this date instead of each record's own 评估日.
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    /// Worker threads scoring JSON Lines input (default: every core).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
    #[arg(long, value_name = "sha256:…", value_parser = super::parse_digest)]
    expect_hash: Option<Digest>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Jsonl,
    Csv,
    Md,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let Some((_, compiled)) = load_expecting(&args.policy, cx, args.expect_hash)? else { return Ok(Exit::Found) };
    let quotas = std::fs::read_to_string(&args.quotas).map_err(|e| Message::io(&args.quotas, &e))?;
    let (records, _) = records(&compiled.policy, &args.input)?;
    let opts = Options::new(jobs_or_all(args.jobs), args.as_of);
    let ranking = match jifen::batch::rank::rank_records(&compiled.policy, &args.purpose, records, &opts, &quotas) {
        Ok(ranking) => ranking,
        Err(e) => return stream_failure(e, &args.input).map(|()| Exit::Ok),
    };
    let ranking =
        ranking.map_err(|e| Message::Worded { zh: e.message(jifen::Lang::Zh), en: e.message(jifen::Lang::En) })?;
    let text = match args.format {
        Format::Jsonl => jifen::report::rank::jsonl(&ranking),
        Format::Csv => jifen::report::rank::csv(&ranking),
        Format::Md => jifen::report::rank::markdown(&ranking),
    };
    print_out(&text)?;
    for f in &ranking.faults {
        cx.say(&Message::RecordNotRanked { line: f.line, applicant: f.applicant.clone(), detail: f.message.clone() });
    }
    warn_same_ids(cx, &ranking.repeats);
    eprintln!("{}", jifen::report::rank::summary(&ranking));
    Ok(Exit::found_if(!ranking.faults.is_empty()))
}
