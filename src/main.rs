//! The `jifen` command line: parse the flags and dispatch to the command's own file under
//! `src/cli/`, each a thin adapter over one library call. Exit codes: 0 ok, 1 policy or data
//! errors found, 2 usage or I/O error.

/// mimalloc for the command line (see Cargo.toml: measured on the batch pipeline).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use std::process::ExitCode;

mod cli;

#[derive(Parser)]
#[command(name = "jifen", version, about = "积分 — policy-as-code for points-based residency rules")]
struct Cli {
    /// Language of messages: `--lang`, else LC_ALL / LC_MESSAGES / LANG (en… is English), else Chinese.
    /// Declared so clap accepts and checks it; its value is read before parsing
    /// (`cli::choose_lang`), so the help and clap's own errors are already in that language.
    #[arg(long, value_enum, global = true)]
    lang: Option<LangChoice>,
    /// Colour diagnostics: auto colours when stderr is a terminal and NO_COLOR is not set.
    #[arg(long, value_enum, global = true, default_value = "auto")]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

/// `--lang`: the library's language, as the command line spells it (the help words it).
#[derive(Clone, Copy, ValueEnum)]
enum LangChoice {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check a policy directory and report every diagnostic.
    Check(cli::check::Args),
    /// Run the policy's own tests (测试) and report each; exit 1 if any fails.
    Test(cli::test::Args),
    /// Show the page of a diagnostic code: what it means, why it matters, an example, the fix.
    ExplainCode(cli::explain_code::Args),
    /// Format policy files in place (directories: every .jf file below them).
    Fmt(cli::fmt::Args),
    /// Compile a policy and print its IR.
    Compile(cli::compile::Args),
    /// Evaluate applicants.
    Eval(cli::eval::Args),
    /// Compare two versions of a policy: what changed, article by article, in the policy's words;
    /// with --impact, whom each change moves.
    Diff(cli::diff::Args),
    /// Rank the eligible applicants of a purpose under quotas, as the policy's 排序 declares.
    Rank(cli::rank::Args),
    /// Explain an applicant's evaluation item by item.
    Explain(cli::explain::Args),
    /// Print a completion script for a shell (bash: `source <(jifen completions bash)`).
    Completions(cli::completions::Args),
    /// Print the help of a command.
    Help(cli::help::Args),
}

/// The parser, worded in the run's language.
pub fn command() -> clap::Command {
    cli::help::localized(<Cli as clap::CommandFactory>::command(), cli::lang())
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = cli::choose_lang(&args, |v| std::env::var(v).ok());
    cli::set_lang(lang);
    let parsed =
        command().try_get_matches_from(&args).and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e, &args),
    };
    let cx = cli::Context {
        lang,
        color: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr())
            }
        },
    };
    let outcome = match cli.command {
        Command::Check(args) => cli::check::run(args, &cx),
        Command::Test(args) => cli::test::run(args, &cx),
        Command::ExplainCode(args) => cli::explain_code::run(args, &cx),
        Command::Fmt(args) => cli::fmt::run(args, &cx),
        Command::Compile(args) => cli::compile::run(args, &cx),
        Command::Eval(args) => cli::eval::run(args, &cx),
        Command::Diff(args) => cli::diff::run(args, &cx),
        Command::Rank(args) => cli::rank::run(args, &cx),
        Command::Explain(args) => cli::explain::run(args, &cx),
        Command::Completions(args) => cli::completions::run(args, &cx),
        Command::Help(args) => cli::help::run(args, &cx),
    };
    ExitCode::from(match outcome {
        Ok(cli::Exit::Ok) => cli::OK,
        Ok(cli::Exit::Found) => cli::FOUND_ERRORS,
        Err(message) => {
            eprintln!("jifen: {}", message.text(lang));
            cli::USAGE_OR_IO
        }
    })
}

/// `--help` and `--version` print and exit 0; a usage error is worded by jifen and exits 2.
fn usage_error(e: &clap::Error, args: &[std::ffi::OsString]) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        // A closed stdout (`jifen --help | head -1`) is not an error.
        let _ = e.print();
        return ExitCode::from(cli::OK);
    }
    // The command the error is about, for `jifen help COMMAND`.
    let names: Vec<String> = command().get_subcommands().map(|s| s.get_name().to_string()).collect();
    let sub = args.iter().skip(1).filter_map(|a| a.to_str()).find(|a| names.iter().any(|n| n == a));
    eprint!("{}", cli::usage::answer(e, sub, cli::lang()));
    ExitCode::from(cli::USAGE_OR_IO)
}
