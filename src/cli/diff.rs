//! `jifen diff OLD NEW [--impact FILE]`: what changed between two versions, and whom it moves
//! (`jifen::compare`).

use super::{load, open_input, warn_same_ids, Context, Exit, Outcome};
use chrono::NaiveDate;
use jifen::compare::{CompareFailure, Format as CompareFormat, Population, Records, Version};
use jifen::data::input::Shape;
use jifen::messages::Message;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The old version's policy directory.
    old: PathBuf,
    /// The new version's policy directory.
    new: PathBuf,
    /// `text` for a terminal, `md` for a memo, `json` for programs.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Applicants to evaluate under both versions (JSON or JSON Lines, `-` for stdin): who
    /// moves, and because of which change.
    #[arg(long, value_name = "FILE")]
    impact: Option<PathBuf>,
    /// With --impact: evaluate everyone on this date instead of each record's own 评估日.
    #[arg(long, value_parser = super::parse_date, requires = "impact")]
    as_of: Option<NaiveDate>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Md,
    Json,
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    let (Some((old_loaded, old_compiled)), Some((new_loaded, new_compiled))) =
        (load(&args.old, cx)?, load(&args.new, cx)?)
    else {
        return Ok(Exit::Found);
    };
    // JSON Lines are read a block at a time; one JSON document is read whole.
    let text: String;
    let population = match &args.impact {
        Some(path) => {
            let (mut opened, _) = open_input(path)?;
            let records = if opened.shape == Shape::Lines {
                Records::Lines(opened.reader)
            } else {
                text = opened.read_document().map_err(|e| super::document_failure(path, e))?;
                Records::Json(&text)
            };
            Some(Population { records, name: path.display().to_string(), as_of: args.as_of })
        }
        None => None,
    };
    let format = match args.format {
        Format::Text => CompareFormat::Text,
        Format::Md => CompareFormat::Markdown,
        Format::Json => CompareFormat::Json,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let report = match jifen::compare::compare(
        Version { compiled: &old_compiled, sources: &old_loaded.sources },
        Version { compiled: &new_compiled, sources: &new_loaded.sources },
        population,
        format,
        &mut out,
    ) {
        Ok(report) => report,
        // A reader that is gone (`| head`) wants no more: the run keeps its status.
        Err(CompareFailure::Write { error, report }) if error.kind() == std::io::ErrorKind::BrokenPipe => report,
        Err(CompareFailure::Write { error, .. }) => return Err(Message::WriteFailed { detail: error.to_string() }),
        Err(CompareFailure::Spill(error)) => return Err(Message::TempFile { detail: error.to_string() }),
        // No file named: the population came from stdin, shown as "-".
        Err(CompareFailure::Read(error)) => {
            return Err(Message::io(args.impact.as_deref().unwrap_or(Path::new("-")), &error))
        }
    };
    warn_same_ids(cx, &report.repeats);
    Ok(Exit::found_if(report.invalid > 0))
}
