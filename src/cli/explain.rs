//! `jifen explain --policy DIR --input FILE`: the counter's explanation, one page per applicant,
//! streamed on the shared batch pipeline (`jifen::batch::explain`); `--compare` sets two versions'
//! explanations side by side.

use super::{
    jobs_or_all, load, load_expecting, open_input, print_out, records, stream_failure, Bar, Context, Exit, Outcome,
};
use chrono::NaiveDate;
use jifen::batch::explain::{explain, Fault, Form};
use jifen::batch::stream::Options;
use jifen::compare::{CompareError, Version};
use jifen::data::input::Shape;
use jifen::ir::Digest;
use jifen::messages::Message;
use jifen::report::counter;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    policy: PathBuf,
    #[arg(long)]
    input: PathBuf,
    /// Only this applicant (by id) when the input holds several.
    #[arg(long)]
    applicant: Option<String>,
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<NaiveDate>,
    /// Show the policy line behind each step.
    #[arg(long)]
    source: bool,
    /// Only the verdict block and the total's composition.
    #[arg(long, conflicts_with = "full")]
    brief: bool,
    /// The full step-by-step trace: every fact, look-up and step of every item and condition.
    #[arg(long)]
    full: bool,
    /// Print the text of each article the explanation cites.
    #[arg(long, conflicts_with = "full")]
    articles: bool,
    /// `text` for people; `md` and `html` a page to hand over (verdict, conditions, items, the
    /// articles cited, provenance; one page per applicant); `json` for programs: every item,
    /// step, fact, clause and citation, with the source span of each.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Another version's policy directory: the explanations under both, side by side
    /// (needs --applicant).
    #[arg(long, value_name = "NEW_POLICY", requires = "applicant", conflicts_with = "source")]
    compare: Option<PathBuf>,
    /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
    #[arg(long, value_name = "sha256:…", value_parser = super::parse_digest)]
    expect_hash: Option<Digest>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Md,
    Html,
}

/// The flags that do not go with the format asked for.
fn refused(args: &Args) -> Option<Message> {
    match args.format {
        // The data form has every source span already, and one version's explanation.
        Format::Json if args.source => Some(Message::JsonHasSpans),
        Format::Json if args.compare.is_some() => Some(Message::CompareIsText),
        Format::Json if args.brief || args.full => Some(Message::JsonIsWhole),
        Format::Md | Format::Html if args.brief || args.full || args.source => Some(Message::PageIsWhole),
        _ => None,
    }
}

pub fn run(args: Args, cx: &Context) -> Outcome {
    if let Some(refusal) = refused(&args) {
        return Err(refusal);
    }
    if let (Some(other), Some(id)) = (&args.compare, &args.applicant) {
        return side_by_side(&args, other, id, cx);
    }
    let Some((loaded, compiled)) = load_expecting(&args.policy, cx, args.expect_hash)? else {
        return Ok(Exit::Found);
    };
    let form = match args.format {
        Format::Json => Form::Json,
        Format::Md => Form::Markdown,
        Format::Html => Form::Html,
        Format::Text if args.full => Form::Full { source: args.source },
        Format::Text => Form::Counter(counter::CounterOptions {
            detail: if args.brief { counter::Detail::Brief } else { counter::Detail::Counter },
            source: args.source,
            articles: args.articles,
        }),
    };
    let (records, size) = records(&compiled.policy, &args.input)?;
    let bar = Bar::new(false, size);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // What went wrong goes to stderr; the explanations are the data.
    let mut faults = |fault: Fault| {
        cx.say(&match fault {
            Fault::Unreadable { line, error } => {
                Message::RecordUnreadable { line, applicant: error.applicant.clone(), detail: error.message.clone() }
            }
            Fault::Unevaluable { applicant, message, .. } => {
                Message::RecordUnevaluable { applicant: applicant.into(), detail: message.clone() }
            }
        })
    };
    let options = Options::new(jobs_or_all(None), args.as_of);
    let result = explain(
        &compiled,
        &loaded.sources,
        records,
        args.applicant.as_deref(),
        form,
        &mut out,
        &mut faults,
        &options,
        &mut |s| bar.show(s),
    );
    bar.finish();
    match result {
        Ok(outcome) if outcome.chosen == 0 => Err(match args.applicant {
            Some(id) => Message::NoSuchApplicant { id },
            None => Message::NoRecords,
        }),
        Ok(outcome) => Ok(Exit::found_if(outcome.failures > 0)),
        Err(e) => stream_failure(e, &args.input).map(|()| Exit::Ok),
    }
}

/// `--compare`: one applicant's explanations under two versions, side by side.
fn side_by_side(args: &Args, other: &Path, id: &str, cx: &Context) -> Outcome {
    let (Some((old_loaded, old_compiled)), Some((new_loaded, new_compiled))) =
        (load_expecting(&args.policy, cx, args.expect_hash)?, load(other, cx)?)
    else {
        return Ok(Exit::Found);
    };
    let (mut opened, _) = open_input(&args.input)?;
    let text = opened.read_document().map_err(|e| super::document_failure(&args.input, e))?;
    match jifen::compare::explain_side_by_side(
        Version { compiled: &old_compiled, sources: &old_loaded.sources },
        Version { compiled: &new_compiled, sources: &new_loaded.sources },
        (&text, opened.shape == Shape::Lines),
        args.as_of,
        id,
    ) {
        Ok(text) => {
            print_out(&text)?;
            Ok(Exit::Ok)
        }
        Err(CompareError::NotFound(id)) => Err(Message::NoSuchApplicant { id }),
        Err(CompareError::Unreadable { version, message }) => {
            cx.say(&Message::CompareUnreadable { applicant: id.into(), version, detail: message });
            Ok(Exit::Found)
        }
        Err(CompareError::Unevaluable { version, message }) => {
            cx.say(&Message::CompareUnevaluable { applicant: id.into(), version, detail: message });
            Ok(Exit::Found)
        }
    }
}
