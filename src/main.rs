//! The `jifen` command line: parse flags, call the library, map outcomes to exit codes
//! (0 ok, 1 policy or data errors found, 2 usage or I/O error).

/// mimalloc for the command line (see Cargo.toml: measured on the batch pipeline).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use jifen::batch::same_id::{Repeats, SameIds};
use jifen::compare::{CompareError, CompareFailure, Format as CompareFormat, Population, Records, Version};
use jifen::data::input::{Name, Opened, Shape};
use jifen::data::{self, Applicant, Read, RecordError};
use jifen::diag::{render_all, Lang, RenderOptions};
use jifen::eval::evaluate;
use jifen::ir::{Compiled, Digest};
use jifen::report::{counter, explain, json, table};
use jifen::Loaded;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod help;

#[derive(Parser)]
#[command(name = "jifen", version, about = "积分 — policy-as-code for points-based residency rules")]
struct Cli {
    /// Language of diagnostics.
    #[arg(long, value_enum, global = true, default_value = "zh")]
    lang: LangChoice,
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
    Check {
        policy: PathBuf,
        /// `text` for people; `json` for editors and CI (code, severity, file, line, column, message, fix).
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
    },
    /// Run the policy's own tests (测试) and report each; exit 1 if any fails.
    Test { policy: PathBuf },
    /// Show the page of a diagnostic code: what it means, why it matters, an example, the fix.
    ExplainCode {
        /// A code such as E0004 or W0402.
        code: String,
    },
    /// Format policy files in place (directories: every .jf file in them).
    Fmt {
        /// Files or policy directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Change nothing; print the diff of what would change and exit 1 if anything would.
        #[arg(long)]
        check: bool,
    },
    /// Compile a policy and print its IR.
    Compile {
        policy: PathBuf,
        #[arg(long, value_enum, default_value = "ir")]
        emit: Emit,
    },
    /// Evaluate applicants.
    Eval {
        #[arg(long)]
        policy: PathBuf,
        /// A .json object (or array), a .jsonl file, or `-` for JSON Lines on stdin.
        #[arg(long)]
        input: PathBuf,
        /// Evaluate on this date instead of each record's own 评估日.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Worker threads for `--format jsonl` over JSON Lines (default: every core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// No progress bar and no closing summary on stderr.
        #[arg(long)]
        quiet: bool,
        /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
        #[arg(long, value_name = "sha256:…", value_parser = parse_digest)]
        expect_hash: Option<Digest>,
    },
    /// Compare two versions of a policy: what changed, article by article, in the policy's words;
    /// with --impact, whom each change moves.
    Diff {
        /// The old version's policy directory.
        old: PathBuf,
        /// The new version's policy directory.
        new: PathBuf,
        /// `text` for a terminal, `md` for a memo, `json` for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Applicants to evaluate under both versions (JSON or JSON Lines, `-` for stdin): who
        /// moves, and because of which change.
        #[arg(long, value_name = "FILE")]
        impact: Option<PathBuf>,
        /// With --impact: evaluate everyone on this date instead of each record's own 评估日.
        #[arg(long, value_parser = parse_date, requires = "impact")]
        as_of: Option<NaiveDate>,
    },
    /// Rank the eligible applicants of a purpose under quotas, as the policy's 排序 declares.
    Rank {
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
        format: RankFormat,
        /// Evaluate everyone on this date instead of each record's own 评估日.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Worker threads scoring JSON Lines input (default: every core).
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
        #[arg(long, value_name = "sha256:…", value_parser = parse_digest)]
        expect_hash: Option<Digest>,
    },
    /// Explain an applicant's evaluation item by item.
    Explain {
        #[arg(long)]
        policy: PathBuf,
        #[arg(long)]
        input: PathBuf,
        /// Only this applicant (by id) when the input holds several.
        #[arg(long)]
        applicant: Option<String>,
        #[arg(long, value_parser = parse_date)]
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
        format: ExplainFormat,
        /// Another version's policy directory: the explanations under both, side by side
        /// (needs --applicant).
        #[arg(long, value_name = "NEW_POLICY", requires = "applicant", conflicts_with = "source")]
        compare: Option<PathBuf>,
        /// A policy hash from an earlier result: refuse (exit 1) if the policy's hash differs.
        #[arg(long, value_name = "sha256:…", value_parser = parse_digest)]
        expect_hash: Option<Digest>,
    },
    /// Print a completion script for a shell (bash: `source <(jifen completions bash)`).
    Completions { shell: clap_complete::Shell },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExplainFormat {
    Text,
    Json,
    Md,
    Html,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RankFormat {
    Jsonl,
    Csv,
    Md,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Md,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Emit {
    Ir,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Jsonl,
}

fn parse_digest(s: &str) -> Result<Digest, String> {
    Digest::parse(s).ok_or_else(|| format!("`{s}` 不是政策哈希（应为 sha256: 加 64 位十六进制数字）"))
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    data::strict_date(s).ok_or_else(|| format!("`{s}` 不是有效日期（应为 YYYY-MM-DD）"))
}

/// Exit codes of the command line.
const OK: u8 = 0;
const FOUND_ERRORS: u8 = 1;
const USAGE_OR_IO: u8 = 2;

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let command = help::localized(<Cli as clap::CommandFactory>::command(), help::lang_of_args(&args));
    let cli =
        match command.try_get_matches_from(&args).and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m)) {
            Ok(cli) => cli,
            // --help and --version print and exit 0; a usage error prints and exits 2.
            Err(e) => e.exit(),
        };
    let opts = RenderOptions {
        lang: match cli.lang {
            LangChoice::Zh => Lang::Zh,
            LangChoice::En => Lang::En,
        },
        color: match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr())
            }
        },
    };
    let code = match run(cli.command, opts) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("jifen: {message}");
            USAGE_OR_IO
        }
    };
    ExitCode::from(code)
}

/// Load a policy that must be the one an earlier result names: a policy whose hash differs is
/// refused (exit 1), so an applicant is never re-evaluated under other rules by mistake.
fn load_expecting(
    dir: &Path,
    opts: RenderOptions,
    expected: Option<Digest>,
) -> Result<Result<(Loaded, Compiled), u8>, String> {
    let loaded = load(dir, opts)?;
    if let (Ok((_, compiled)), Some(expected)) = (&loaded, expected) {
        if compiled.policy.digest != expected {
            eprintln!(
                "{}",
                localized(
                    opts.lang,
                    &format!(
                        "{}：政策哈希不符：期望 {expected}，实际 {}。政策已改动（或不是同一政策），结果不能与原结果对照",
                        dir.display(),
                        compiled.policy.digest
                    ),
                    &format!(
                        "{}: the policy hash differs: expected {expected}, found {}. The policy has changed (or is another \
                         policy); its results cannot stand for the earlier ones",
                        dir.display(),
                        compiled.policy.digest
                    )
                )
            );
            return Ok(Err(FOUND_ERRORS));
        }
    }
    Ok(loaded)
}

fn load(dir: &Path, opts: RenderOptions) -> Result<Result<(Loaded, Compiled), u8>, String> {
    let mut loaded = jifen::load_policy(dir).map_err(|e| e.message(opts.lang))?;
    let diags = &loaded.diagnostics.0;
    if !diags.is_empty() {
        eprint!("{}", render_all(diags, &loaded.sources, opts));
    }
    match loaded.compiled.take() {
        Some(c) => Ok(Ok((loaded, c))),
        None => Ok(Err(FOUND_ERRORS)),
    }
}

/// An input (a file, or `-` for stdin) opened, its shape settled by its name (`.jsonl`, `.ndjson`)
/// or judged from its content (one object, an array, or JSON Lines; `data::input`), with its size
/// when it is a file.
fn open_input(path: &Path) -> Result<(Opened<'static>, Option<u64>), String> {
    let named = |p: &Path| format!("{}", p.display());
    let (reader, size): (Box<dyn std::io::Read>, Option<u64>) = if path == Path::new("-") {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", named(path)))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let opened = data::input::open(reader, Name::of(path)).map_err(|e| format!("{}: {e}", named(path)))?;
    Ok((opened, size))
}

/// The input's whole text, and its shape.
fn input_text(path: &Path) -> Result<(String, Shape), String> {
    let (mut opened, _) = open_input(path)?;
    let text = opened.read_document().map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((text, opened.shape))
}

/// The records of an input's text as its shape holds them, and whether it was one JSON object
/// (answered by one object, without a line number) rather than a batch.
fn records_of(policy: &jifen::ir::Policy, text: &str, shape: Shape) -> (Vec<Read>, bool) {
    match shape {
        Shape::Lines => (data::read_jsonl(policy, text), false),
        // read_json reads an object or an array (and skips a BOM).
        Shape::Array | Shape::Object => (data::read_json(policy, text), shape == Shape::Object),
    }
}

fn read_input(path: &Path, compiled: &Compiled) -> Result<(Vec<Read>, bool), String> {
    let (text, shape) = input_text(path)?;
    Ok(records_of(&compiled.policy, &text, shape))
}

/// The .jf files a path names: itself, or the .jf files of a directory, in name order.
fn policy_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        // Formatting rewrites files: anything but a policy file (a JSON record named by mistake)
        // is refused rather than mangled.
        if path.extension().is_none_or(|x| x != "jf") {
            return Err(format!("{}：不是 .jf 政策文件，不予格式化（not a .jf policy file）", path.display()));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jf"))
        .collect();
    files.sort();
    Ok(files)
}

fn run(command: Command, opts: RenderOptions) -> Result<u8, String> {
    match command {
        Command::Fmt { paths, check } => {
            let mut unformatted = 0usize;
            let mut broken = 0usize;
            for path in &paths {
                for file in policy_files(path)? {
                    let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
                    let shown = file.display().to_string();
                    match jifen::fmt::format_file(&shown, &text) {
                        jifen::fmt::Formatted::Unchanged => {}
                        jifen::fmt::Formatted::SyntaxErrors(sources, errors) => {
                            broken += 1;
                            eprint!("{}", render_all(&errors, &sources, opts));
                            eprintln!(
                                "{}",
                                localized(
                                    opts.lang,
                                    &format!("未格式化 {shown}：先改正语法错误"),
                                    &format!("not formatted {shown}: fix the syntax errors first")
                                )
                            );
                        }
                        jifen::fmt::Formatted::Changed { text: formatted, diff } => {
                            unformatted += 1;
                            if check {
                                print_out(&diff)?;
                            } else {
                                std::fs::write(&file, formatted).map_err(|e| format!("{}: {e}", file.display()))?;
                                let done =
                                    localized(opts.lang, &format!("已格式化 {shown}"), &format!("formatted {shown}"));
                                print_out(&format!("{done}\n"))?;
                            }
                        }
                    }
                }
            }
            Ok(if broken > 0 || (check && unformatted > 0) { FOUND_ERRORS } else { OK })
        }
        Command::Test { policy } => {
            let (loaded, compiled) = match load(&policy, opts)? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let outcomes = jifen::testing::run_all(&compiled.policy);
            print_out(&jifen::report::tests::render(
                &compiled.policy,
                &compiled.spans,
                &loaded.sources,
                &outcomes,
                opts.lang,
            ))?;
            Ok(if outcomes.iter().all(|o| o.passed()) { OK } else { FOUND_ERRORS })
        }
        Command::ExplainCode { code } => match jifen::diag::pages::page(&code, opts.lang) {
            Some(page) => {
                print_out(&page)?;
                Ok(OK)
            }
            None => Err(localized(
                opts.lang,
                &format!("没有代码「{code}」；已有的代码：{}", jifen::diag::pages::all_codes().join(" ")),
                &format!("no code `{code}`; the codes are: {}", jifen::diag::pages::all_codes().join(" ")),
            )),
        },
        Command::Check { policy, format } => {
            let loaded = jifen::load_policy(&policy).map_err(|e| e.message(opts.lang))?;
            let diags = &loaded.diagnostics;
            if format == CheckFormat::Json {
                let origin = loaded.compiled.as_ref().map(|c| jifen::ir::Origin::of(&c.policy));
                let report = jifen::diag::json::report(&diags.0, &loaded.sources, opts.lang, origin.as_ref());
                print_out(&format!("{}\n", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?))?;
            } else if diags.0.is_empty() {
                // A policy without a diagnostic has compiled; were it not, "通过" with 0 items would
                // be a false pass, so it is an error instead.
                let Some(compiled) = loaded.compiled.as_ref() else {
                    return Err("内部错误：政策没有任何诊断，却未能编译；请报告此问题".into());
                };
                let items = compiled.policy.items.len();
                let files = loaded.sources.files().count();
                print_out(&match opts.lang {
                    Lang::Zh => format!("通过：{files} 个文件，{items} 个分项，没有问题\n"),
                    Lang::En => format!("ok: {files} files, {items} items, no problems\n"),
                })?;
            } else {
                eprint!("{}", render_all(&diags.0, &loaded.sources, opts));
            }
            // The hash results will carry, for a policy that compiles (warnings or not).
            if let (Some(c), CheckFormat::Text) = (&loaded.compiled, format) {
                print_out(&match opts.lang {
                    Lang::Zh => format!("政策哈希：{}\n", c.policy.digest),
                    Lang::En => format!("policy hash: {}\n", c.policy.digest),
                })?;
            }
            Ok(if diags.has_errors() { FOUND_ERRORS } else { OK })
        }
        Command::Compile { policy, emit: Emit::Ir } => {
            let (_, compiled) = match load(&policy, opts)? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let text = serde_json::to_string_pretty(&compiled.policy).map_err(|e| e.to_string())?;
            // The IR on stdout is exactly what was hashed (its own hash cannot be inside it); the
            // hash goes to stderr, beside the diagnostics.
            eprintln!(
                "{}",
                localized(
                    opts.lang,
                    &format!("政策哈希：{}", compiled.policy.digest),
                    &format!("policy hash: {}", compiled.policy.digest)
                )
            );
            print_out(&format!("{text}\n"))?;
            Ok(OK)
        }
        Command::Eval { policy, input, as_of, format, jobs, quiet, expect_hash } => {
            let (_, compiled) = match load_expecting(&policy, opts, expect_hash)? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let (mut opened, size) = open_input(&input)?;
            if format == Format::Jsonl && opened.shape == Shape::Lines {
                return stream_jsonl(&compiled, (opened.reader, size, &input), as_of, jobs, quiet);
            }
            let text = opened.read_document().map_err(|e| format!("{}: {e}", input.display()))?;
            let (records, single) = records_of(&compiled.policy, &text, opened.shape);
            warn_same_ids(&SameIds::of(&records));
            let mut failures = 0usize;
            let mut results = Vec::with_capacity(records.len());
            for (line, read) in records {
                let result = read.and_then(|a| {
                    // The date given for the whole run, or else the record's own.
                    let day = as_of.unwrap_or(a.as_of);
                    match evaluate(&compiled.policy, &a.value, day) {
                        Ok(e) => Ok((a, e)),
                        Err(e) => Err(RecordError::new(Some(a.id.clone()), e.message)),
                    }
                });
                failures += usize::from(result.is_err());
                results.push((line, result));
            }
            let to_json = |line: usize, r: &Result<(Applicant, jifen::eval::Evaluation), RecordError>| match r {
                Ok((a, e)) => json::evaluation(&compiled.policy, a, e),
                Err(err) => json::error(err, if single { None } else { Some(line) }),
            };
            let text = match format {
                Format::Jsonl => results.iter().map(|(line, r)| format!("{}\n", to_json(*line, r))).collect::<String>(),
                Format::Json => {
                    let mut values: Vec<serde_json::Value> =
                        results.iter().map(|(line, r)| to_json(*line, r)).collect();
                    // A single object is one record, so there is one value to take.
                    let doc = if single { values.pop().unwrap_or_default() } else { serde_json::Value::Array(values) };
                    format!("{}\n", serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?)
                }
                Format::Text => {
                    let rows: Vec<table::Row> = results
                        .iter()
                        .map(|(line, r)| match r {
                            Ok((a, e)) => table::Row::Scored { line: *line, applicant: a, eval: e },
                            Err(error) => table::Row::Failed { line: *line, error },
                        })
                        .collect();
                    let (text, faults) = table::render(&rows, &compiled.policy);
                    for fault in faults {
                        eprintln!("{fault}");
                    }
                    text
                }
            };
            print_out(&text)?;
            Ok(if failures > 0 { FOUND_ERRORS } else { OK })
        }
        Command::Diff { old, new, format, impact, as_of } => {
            let ((old_loaded, old_compiled), (new_loaded, new_compiled)) = match (load(&old, opts)?, load(&new, opts)?)
            {
                (Ok(o), Ok(n)) => (o, n),
                _ => return Ok(FOUND_ERRORS),
            };
            // JSON Lines are read a block at a time; one JSON document is read whole.
            let text: String;
            let population = match &impact {
                Some(path) => {
                    let (mut opened, _) = open_input(path)?;
                    let records = if opened.shape == Shape::Lines {
                        Records::Lines(opened.reader)
                    } else {
                        text = opened.read_document().map_err(|e| format!("{}: {e}", path.display()))?;
                        Records::Json(&text)
                    };
                    Some(Population { records, name: path.display().to_string(), as_of })
                }
                None => None,
            };
            let format = match format {
                DiffFormat::Text => CompareFormat::Text,
                DiffFormat::Md => CompareFormat::Markdown,
                DiffFormat::Json => CompareFormat::Json,
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
                Err(CompareFailure::Write { error, report }) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                    report
                }
                Err(CompareFailure::Write { error, .. }) => return Err(format!("stdout: {error}")),
                Err(CompareFailure::Spill(error)) => return Err(format!("临时文件：{error}")),
                Err(CompareFailure::Read(error)) => {
                    // No file named: the population came from stdin, shown as "-".
                    return Err(format!("{}: {error}", impact.as_deref().unwrap_or(Path::new("-")).display()));
                }
            };
            warn_same_ids(&report.repeats);
            Ok(if report.invalid > 0 { FOUND_ERRORS } else { OK })
        }
        Command::Rank { policy, input, purpose, quotas, format, as_of, jobs, expect_hash } => {
            let (_, compiled) = match load_expecting(&policy, opts, expect_hash)? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let quotas_text = std::fs::read_to_string(&quotas).map_err(|e| format!("{}: {e}", quotas.display()))?;
            // JSON Lines are read a record at a time: only the eligible applicants' keys are kept.
            let (mut opened, _) = open_input(&input)?;
            let ranking = if opened.shape == Shape::Lines {
                let reader = opened.reader;
                let opts = jifen::batch::stream::Options::new(jobs_or_all(jobs), as_of);
                jifen::batch::rank::rank_jsonl(&compiled.policy, &purpose, reader, &opts, &quotas_text).map_err(
                    |e| match e {
                        jifen::batch::stream::StreamError::Read(e) => format!("{}: {e}", input.display()),
                        jifen::batch::stream::StreamError::Write(e) => e.to_string(),
                    },
                )?
            } else {
                let text = opened.read_document().map_err(|e| format!("{}: {e}", input.display()))?;
                let (records, _) = records_of(&compiled.policy, &text, opened.shape);
                jifen::batch::rank::rank(&compiled.policy, &purpose, records, as_of, &quotas_text)
            }
            .map_err(|e| e.message())?;
            let text = match format {
                RankFormat::Jsonl => jifen::report::rank::jsonl(&ranking),
                RankFormat::Csv => jifen::report::rank::csv(&ranking),
                RankFormat::Md => jifen::report::rank::markdown(&ranking),
            };
            print_out(&text)?;
            for f in &ranking.faults {
                eprintln!(
                    "第 {} 条记录{}未参加排序：{}",
                    f.line,
                    // A record whose id could not be read is named by its line alone.
                    f.applicant.as_ref().map(|a| format!("（{a}）")).unwrap_or_default(),
                    f.message.get(opts.lang)
                );
            }
            warn_same_ids(&ranking.repeats);
            eprintln!("{}", jifen::report::rank::summary(&ranking));
            Ok(if ranking.faults.is_empty() { OK } else { FOUND_ERRORS })
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "jifen", &mut script);
            print_out(&String::from_utf8_lossy(&script))?;
            Ok(OK)
        }
        // The data form has every source span already, and one version's explanation.
        Command::Explain { format: ExplainFormat::Json, source: true, .. } => {
            Err("--format json 已含每一步的政策原文位置，不与 --source 同用".into())
        }
        Command::Explain { format: ExplainFormat::Json, compare: Some(_), .. } => {
            Err("--compare 只有文本形式；--format json 请对每个版本各运行一次".into())
        }
        Command::Explain { policy, input, applicant: Some(id), as_of, compare: Some(other), expect_hash, .. } => {
            let ((old_loaded, old_compiled), (new_loaded, new_compiled)) =
                match (load_expecting(&policy, opts, expect_hash)?, load(&other, opts)?) {
                    (Ok(o), Ok(n)) => (o, n),
                    _ => return Ok(FOUND_ERRORS),
                };
            let (text, shape) = input_text(&input)?;
            match jifen::compare::explain_side_by_side(
                Version { compiled: &old_compiled, sources: &old_loaded.sources },
                Version { compiled: &new_compiled, sources: &new_loaded.sources },
                (&text, shape == Shape::Lines),
                as_of,
                &id,
            ) {
                Ok(text) => {
                    print_out(&text)?;
                    Ok(OK)
                }
                Err(CompareError::NotFound(id)) => Err(format!("输入中没有标识为「{id}」的申请人")),
                Err(CompareError::Unreadable { version, message }) => {
                    eprintln!("{id}：按 {version} 版无法读取：{}", message.get(opts.lang));
                    Ok(FOUND_ERRORS)
                }
                Err(CompareError::Unevaluable { version, message }) => {
                    eprintln!("{id}：按 {version} 版无法评估：{}", message.get(opts.lang));
                    Ok(FOUND_ERRORS)
                }
            }
        }
        Command::Explain { format: ExplainFormat::Json, brief, full, .. } if brief || full => {
            Err("--brief 与 --full 只用于文本说明；--format json 总是给出全部内容".into())
        }
        Command::Explain { format: ExplainFormat::Md | ExplainFormat::Html, brief, full, source, .. }
            if brief || full || source =>
        {
            Err("--brief、--full 与 --source 只用于文本说明；md 与 html 是交给申请人的完整说明页（含所引条文）".into())
        }
        Command::Explain {
            policy,
            input,
            applicant,
            as_of,
            source,
            expect_hash,
            format,
            brief,
            full,
            articles,
            ..
        } => {
            let (loaded, compiled) = match load_expecting(&policy, opts, expect_hash)? {
                Ok(x) => x,
                Err(code) => return Ok(code),
            };
            let (records, _) = read_input(&input, &compiled)?;
            let chosen: Vec<(usize, Result<Applicant, RecordError>)> = records
                .into_iter()
                .filter(|(_, r)| match (&applicant, r) {
                    (None, _) => true,
                    (Some(id), Ok(a)) => a.id == *id,
                    (Some(id), Err(e)) => e.applicant.as_deref() == Some(id.as_str()),
                })
                .collect();
            if chosen.is_empty() {
                return Err(match applicant {
                    Some(id) => format!("输入中没有标识为「{id}」的申请人"),
                    None => "输入中没有记录".into(),
                });
            }
            let mut failures = 0;
            if format == ExplainFormat::Json {
                // One applicant: one object; several: an array, a record that fails in its place.
                let several = chosen.len() > 1;
                let mut values = Vec::with_capacity(chosen.len());
                for (line, read) in chosen {
                    let value =
                        match read.and_then(|a| match evaluate(&compiled.policy, &a.value, as_of.unwrap_or(a.as_of)) {
                            Ok(e) => Ok(jifen::report::explain_json::explanation(&compiled, &loaded.sources, &a, &e)),
                            Err(err) => Err(RecordError::new(Some(a.id.clone()), err.message)),
                        }) {
                            Ok(v) => v,
                            Err(err) => {
                                failures += 1;
                                eprintln!(
                                    "第 {line} 条记录{}无法说明：{}",
                                    err.applicant.as_ref().map(|a| format!("（{a}）")).unwrap_or_default(),
                                    err.message.get(opts.lang)
                                );
                                json::error(&err, Some(line))
                            }
                        };
                    values.push(value);
                }
                let doc = if several { serde_json::Value::Array(values) } else { values.pop().unwrap_or_default() };
                print_out(&format!("{}\n", serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?))?;
                return Ok(if failures > 0 { FOUND_ERRORS } else { OK });
            }
            // A page to hand over: the HTML document's head goes first, each applicant's article as
            // it is explained, so a batch streams.
            if format == ExplainFormat::Html {
                print_out(&counter::html::head(&format!(
                    "积分说明 · {} {}",
                    compiled.policy.name, compiled.policy.version
                )))?;
            }
            let mut first = true;
            for (line, read) in chosen {
                let separator = match format {
                    ExplainFormat::Md => "\n\n<!-- 下一位申请人 -->\n\n".to_string(),
                    ExplainFormat::Html => String::new(),
                    _ => format!("\n{}\n\n", "─".repeat(60)),
                };
                let mut page = if first { String::new() } else { separator };
                match read {
                    // The date given for the run, or else the record's own.
                    Ok(a) => match evaluate(&compiled.policy, &a.value, as_of.unwrap_or(a.as_of)) {
                        Ok(e) if full => page.push_str(&explain::explain(
                            &compiled,
                            &loaded.sources,
                            &a,
                            &e,
                            explain::ExplainOptions { source },
                        )),
                        Ok(e) if format == ExplainFormat::Md => page.push_str(&counter::markdown::markdown(
                            &compiled.policy,
                            &counter::Page::of(&compiled, &a, &e),
                        )),
                        Ok(e) if format == ExplainFormat::Html => page
                            .push_str(&counter::html::article(&compiled.policy, &counter::Page::of(&compiled, &a, &e))),
                        Ok(e) => {
                            let detail = if brief { counter::Detail::Brief } else { counter::Detail::Counter };
                            let options = counter::CounterOptions { detail, source, articles };
                            page.push_str(&counter::counter(&compiled, &loaded.sources, &a, &e, options))
                        }
                        // What went wrong goes to stderr; the explanations are the data.
                        Err(err) => {
                            failures += 1;
                            eprintln!("{}：无法评估：{}", a.id, err.message.get(opts.lang));
                            continue;
                        }
                    },
                    Err(err) => {
                        failures += 1;
                        eprintln!(
                            "第 {line} 条记录{}无法读取：{}",
                            // A record whose id could not be read is named by its line alone.
                            err.applicant.map(|a| format!("（{a}）")).unwrap_or_default(),
                            err.message.get(opts.lang)
                        );
                        continue;
                    }
                }
                first = false;
                if !print_out(&page)? {
                    // The reader is gone: the rest would be explained for nobody.
                    return Ok(if failures > 0 { FOUND_ERRORS } else { OK });
                }
            }
            if format == ExplainFormat::Html {
                print_out(counter::html::TAIL)?;
            }
            Ok(if failures > 0 { FOUND_ERRORS } else { OK })
        }
    }
}

/// `eval --format jsonl` over JSON Lines: streamed on every core by the library's batch pipeline,
/// with a progress bar when stderr is a terminal and a closing summary.
fn stream_jsonl(
    compiled: &Compiled,
    (reader, size, input): (Box<dyn std::io::BufRead>, Option<u64>, &Path),
    as_of: Option<NaiveDate>,
    jobs: Option<usize>,
    quiet: bool,
) -> Result<u8, String> {
    use jifen::batch::stream::{eval_jsonl, Options, StreamError, Summary};
    let jobs = jobs_or_all(jobs);
    let bar = (!quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = match size {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::new_spinner(),
        };
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} {wide_bar} {msg} 已用 {elapsed_precise}，预计还需 {eta}",
        )
        // The template is a constant: were it refused, the plain bar still shows progress.
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar
    });
    let mut progress = |s: &Summary| {
        if let Some(bar) = &bar {
            bar.set_position(s.bytes);
            bar.set_message(format!("{} 条（每秒 {:.0} 条）", s.records, s.rate()));
        }
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = eval_jsonl(&compiled.policy, reader, &mut out, Options::new(jobs, as_of), &mut progress);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let (summary, same_ids) = match result {
        Ok(s) => s,
        // A reader that closed the output (`| head`) wants no more: stop quietly.
        Err(StreamError::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(OK),
        Err(StreamError::Write(e)) => return Err(format!("stdout: {e}")),
        Err(StreamError::Read(e)) => return Err(format!("{}: {e}", input.display())),
    };
    warn_same_ids(&same_ids);
    if !quiet {
        eprintln!(
            "{} 条记录：成功 {}，错误 {}；用时 {:.2} 秒，每秒 {:.0} 条（{jobs} 个线程）",
            summary.records,
            summary.ok,
            summary.errors,
            summary.elapsed.as_secs_f64(),
            summary.rate()
        );
    }
    Ok(if summary.errors > 0 { FOUND_ERRORS } else { OK })
}

/// A warning for each line whose 编号 an earlier line already had (the first twenty, then how many
/// more): the same applicant sent twice is counted twice. Warnings do not change the status.
fn warn_same_ids(repeats: &Repeats) {
    const SHOWN: usize = 20;
    let same = &repeats.found;
    for s in same.iter().take(SHOWN) {
        eprintln!("警告：第 {} 行的编号与第 {} 行相同（同一申请人提交了两次？）", s.again, s.first);
    }
    if same.len() > SHOWN {
        eprintln!("警告：另有 {} 行的编号与前面的行相同", same.len() - SHOWN);
    }
    if let Some(line) = repeats.unchecked_from {
        eprintln!("警告：第 {line} 行起未检查编号是否重复（一批最多检查 {} 条）", jifen::batch::same_id::CHECKED);
    }
}

/// Every command writes its results to stdout through here, never with `print!` (which panics on
/// a closed pipe). A reader that closed stdout (`| head`) wants no more: that ends the output
/// quietly, not as an error, and the command keeps the status of what it did. `Ok(false)` says the
/// reader is gone, so a command writing piece by piece can stop.
fn print_out(text: &str) -> Result<bool, String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(format!("stdout: {e}")),
    }
}

/// The threads asked for, or one per core (one when the number of cores cannot be known).
fn jobs_or_all(jobs: Option<usize>) -> usize {
    // Threads change only the speed, never a result.
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

fn localized(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    }
}
