//! clap's usage errors, worded by jifen in the language of the run: the facts are taken from the
//! error's context (the argument, the value, the choices, a suggestion), the words from the
//! catalogue, so `jifen eval --polcy x` is answered in Chinese or English, never in a mix.

use jifen::diag::Lang;
use jifen::messages::Message;

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn string(error: &clap::Error, kind: ContextKind) -> Option<String> {
    match error.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => v.first().map(|s| s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        ContextValue::Bool(_) | ContextValue::None => None,
        // A context value clap adds later: not named.
        _ => None,
    }
}

fn strings(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The message for a usage error clap found.
pub fn message(error: &clap::Error) -> Message {
    let arg = || string(error, ContextKind::InvalidArg).unwrap_or_default();
    let suggestion = || {
        string(error, ContextKind::SuggestedArg)
            .or_else(|| string(error, ContextKind::SuggestedSubcommand))
            .or_else(|| string(error, ContextKind::SuggestedValue))
    };
    match error.kind() {
        ErrorKind::UnknownArgument => Message::UnknownArgument { argument: arg(), suggestion: suggestion() },
        ErrorKind::InvalidSubcommand => {
            let command = string(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            // The closest of clap's candidates (its list is not ordered by closeness).
            let suggestion = strings(error, ContextKind::SuggestedSubcommand)
                .into_iter()
                .map(|c| (strsim::jaro_winkler(&command, &c), c))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| c);
            Message::UnknownCommand { command, suggestion }
        }
        ErrorKind::MissingRequiredArgument => {
            Message::MissingArguments { arguments: strings(error, ContextKind::InvalidArg) }
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Message::MissingCommand,
        ErrorKind::InvalidValue => {
            let choices = strings(error, ContextKind::ValidValue);
            let value = string(error, ContextKind::InvalidValue).unwrap_or_default();
            if choices.is_empty() {
                Message::WrongValues { argument: arg() }
            } else {
                Message::InvalidChoice { argument: arg(), value, choices }
            }
        }
        ErrorKind::ValueValidation => Message::InvalidValue {
            argument: arg(),
            value: string(error, ContextKind::InvalidValue).unwrap_or_default(),
            // The reason is the value parser's own, already in the run's language.
            reason: std::error::Error::source(error).map(|s| s.to_string()).unwrap_or_default(),
        },
        ErrorKind::ArgumentConflict => {
            let other = string(error, ContextKind::PriorArg).unwrap_or_default();
            if other == arg() {
                Message::WrongValues { argument: arg() }
            } else {
                Message::Conflict { argument: arg(), other }
            }
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            Message::WrongValues { argument: arg() }
        }
        ErrorKind::InvalidUtf8 => Message::NotUnicode,
        other => Message::Usage { detail: format!("{other:?}") },
    }
}

/// The whole answer to a usage error: the message, the command's usage line, and where to read
/// more.
pub fn answer(error: &clap::Error, command: Option<&str>, lang: Lang) -> String {
    let mut text = format!("jifen: {}\n", message(error).text(lang));
    if let Some(usage) = string(error, ContextKind::Usage) {
        // clap writes `Usage: jifen eval …`; the run's language heads it.
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        let head = match lang {
            Lang::Zh => "用法：",
            Lang::En => "Usage: ",
        };
        text.push_str(&format!("\n{head}{usage}\n"));
    }
    text.push_str(&format!("\n{}\n", Message::SeeHelp { command: command.map(str::to_string) }.text(lang)));
    text
}
