//! `explain` over a batch, streamed on the shared pipeline ([`super::stream::each`]): each
//! applicant's page (text, Markdown, HTML or JSON) is made in parallel and written in input order,
//! so a batch of any size runs in flat memory.

use super::stream::{each, Options, Progress, Records, StreamError};
use crate::data::RecordError;
use crate::diag::Msg;
use crate::eval::evaluate;
use crate::ir::Compiled;
use crate::report::counter::{self, CounterOptions};
use crate::report::json::OneOrArray;
use crate::report::{explain as trace, explain_json};
use crate::syntax::span::SourceMap;
use std::io::Write;

/// The form of the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The counter's page as text, with its options.
    Counter(CounterOptions),
    /// The step-by-step trace (`--full`), optionally with the policy lines.
    Full { source: bool },
    /// A Markdown page per applicant.
    Markdown,
    /// One HTML document, an article per applicant.
    Html,
    /// The explanation as data: one applicant an object, several an array.
    Json,
}

/// A record that could not be explained.
#[derive(Debug)]
pub enum Fault<'a> {
    /// The record could not be read: its line and error.
    Unreadable { line: usize, error: &'a RecordError },
    /// The record was read and could not be evaluated.
    Unevaluable { line: usize, applicant: &'a str, message: &'a Msg },
}

/// What an explanation of a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Records chosen (all, or those of the applicant asked for).
    pub chosen: usize,
    /// Of those, the ones that could not be explained.
    pub failures: usize,
}

enum Done {
    Skipped,
    Page(Vec<u8>),
    Value(serde_json::Value),
    Unreadable(usize, RecordError),
    Unevaluable(usize, String, Msg),
}

/// Explain every record of `records` (or only those of `applicant`) in `form`, writing the pages
/// to `out` in input order; `faults` hears of each chosen record that could not be explained.
#[allow(clippy::too_many_arguments)] // the explanation's inputs, each needed
pub fn explain(
    compiled: &Compiled,
    sources: &SourceMap,
    records: Records,
    applicant: Option<&str>,
    form: Form,
    out: &mut dyn Write,
    faults: &mut dyn FnMut(Fault),
    opts: &Options,
    progress: Progress,
) -> Result<Outcome, StreamError> {
    let policy = &compiled.policy;
    let work = |line: usize, read: Result<crate::data::Applicant, RecordError>| {
        let chosen = match (applicant, &read) {
            (None, _) => true,
            (Some(id), Ok(a)) => a.id == id,
            (Some(id), Err(e)) => e.applicant.as_deref() == Some(id),
        };
        if !chosen {
            return Done::Skipped;
        }
        let a = match read {
            Ok(a) => a,
            Err(e) => return Done::Unreadable(line, e),
        };
        // The date given for the run, or else the record's own.
        let e = match evaluate(policy, &a.value, opts.as_of.unwrap_or(a.as_of)) {
            Ok(e) => e,
            Err(err) => return Done::Unevaluable(line, a.id.clone(), err.message),
        };
        match form {
            Form::Json => Done::Value(explain_json::explanation(compiled, sources, &a, &e)),
            Form::Full { source } => {
                Done::Page(trace::explain(compiled, sources, &a, &e, trace::ExplainOptions { source }).into_bytes())
            }
            Form::Markdown => {
                Done::Page(counter::markdown::markdown(policy, &counter::Page::of(compiled, &a, &e)).into_bytes())
            }
            Form::Html => Done::Page(counter::html::article(policy, &counter::Page::of(compiled, &a, &e)).into_bytes()),
            Form::Counter(options) => Done::Page(counter::counter(compiled, sources, &a, &e, options).into_bytes()),
        }
    };
    let separator: Vec<u8> = match form {
        Form::Markdown => "\n\n<!-- 下一位申请人 -->\n\n".as_bytes().to_vec(),
        Form::Html | Form::Json => Vec::new(),
        Form::Counter(_) | Form::Full { .. } => format!("\n{}\n\n", "─".repeat(60)).into_bytes(),
    };
    let mut outcome = Outcome::default();
    let mut pages = 0usize;
    let mut values = OneOrArray::default();
    let w = StreamError::Write;
    each(
        policy,
        records,
        opts,
        work,
        |done| {
            if matches!(done, Done::Skipped) {
                return Ok(());
            }
            outcome.chosen += 1;
            // A page to hand over: the HTML document's head goes before the first applicant's
            // article, so a batch streams and an input with nobody chosen prints nothing.
            if outcome.chosen == 1 && form == Form::Html {
                out.write_all(
                    counter::html::head(&format!("积分说明 · {} {}", policy.name, policy.version)).as_bytes(),
                )
                .map_err(w)?;
            }
            match done {
                Done::Skipped => {}
                Done::Page(page) => {
                    if pages > 0 {
                        out.write_all(&separator).map_err(w)?;
                    }
                    pages += 1;
                    out.write_all(&page).map_err(w)?;
                }
                Done::Value(value) => values.push(value, out).map_err(w)?,
                Done::Unreadable(line, error) => {
                    outcome.failures += 1;
                    // In the JSON form the record's place holds its error, as in eval's.
                    if form == Form::Json {
                        values.push(crate::report::json::error(&error, Some(line)), out).map_err(w)?;
                    }
                    faults(Fault::Unreadable { line, error: &error });
                }
                Done::Unevaluable(line, applicant, message) => {
                    outcome.failures += 1;
                    if form == Form::Json {
                        let error = RecordError::new(Some(applicant.clone()), message.clone());
                        values.push(crate::report::json::error(&error, Some(line)), out).map_err(w)?;
                    }
                    faults(Fault::Unevaluable { line, applicant: &applicant, message: &message });
                }
            }
            Ok(())
        },
        progress,
    )?;
    values.finish(out).map_err(w)?;
    if outcome.chosen > 0 && form == Form::Html {
        out.write_all(counter::html::TAIL.as_bytes()).map_err(w)?;
    }
    out.flush().map_err(w)?;
    Ok(outcome)
}
