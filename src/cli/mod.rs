//! The command line's rooms: one file a command, each a thin adapter from its flags to one library
//! call and from the outcome to an exit code (0 ok, 1 policy or data errors found, 2 usage or I/O
//! error). What they share lives here: the language and colour chosen, loading a policy with its
//! diagnostics shown, opening an input, writing to stdout, and the warnings every batch gives.
//! Every sentence printed comes from the library's catalogue (`jifen::messages`) or its
//! diagnostics, in the language chosen.

pub mod check;
pub mod compile;
pub mod completions;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod explain_code;
pub mod fmt;
pub mod help;
pub mod rank;
pub mod test;
pub mod usage;

use chrono::NaiveDate;
use jifen::batch::same_id::Repeats;
use jifen::batch::stream::{Records, StreamError, Summary};
use jifen::data::input::Opened;
use jifen::diag::{render_all, Lang, RenderOptions};
use jifen::ir::{Compiled, Digest};
use jifen::messages::Message;
use jifen::Loaded;
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

/// What a command found: nothing wrong (exit 0), or policy or data errors (exit 1). A usage or
/// I/O error is the command's `Err(Message)` (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok,
    Found,
}

impl Exit {
    /// Found errors when `found`, else ok.
    pub fn found_if(found: bool) -> Exit {
        if found {
            Exit::Found
        } else {
            Exit::Ok
        }
    }
}

/// A command's outcome: what it found, or why it could not run.
pub type Outcome = Result<Exit, Message>;

/// Exit codes of the command line.
pub const OK: u8 = 0;
pub const FOUND_ERRORS: u8 = 1;
pub const USAGE_OR_IO: u8 = 2;

/// The language and colour every command speaks in.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub lang: Lang,
    pub color: bool,
}

impl Context {
    pub fn render(&self) -> RenderOptions {
        RenderOptions { lang: self.lang, color: self.color }
    }

    /// A message on stderr, in the context's language.
    pub fn say(&self, message: &Message) {
        eprintln!("{}", message.text(self.lang));
    }
}

/// The language chosen before the flags are parsed (so clap's errors and the value parsers speak
/// it too): `--lang`, else `LC_ALL`, `LC_MESSAGES` or `LANG` (English when the first one set says
/// `en…`), else Chinese.
pub fn choose_lang(args: &[std::ffi::OsString], env: impl Fn(&str) -> Option<String>) -> Lang {
    let words: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let flag = words.windows(2).find(|w| w.first() == Some(&"--lang")).and_then(|w| w.get(1).copied());
    let flag = flag.or_else(|| words.iter().find_map(|w| w.strip_prefix("--lang=")));
    match flag {
        Some("en") => return Lang::En,
        Some("zh") => return Lang::Zh,
        _ => {}
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|v| env(v).filter(|s| !s.is_empty()));
    match locale {
        Some(l) if l.starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

static LANG: OnceLock<Lang> = OnceLock::new();

/// Fix the language for this run (before parsing).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language of this run.
pub fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// `--as-of` and friends: a calendar date, strictly `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    jifen::data::strict_date(s).ok_or_else(|| Message::NotADate { value: s.into() }.text(lang()))
}

/// `--expect-hash`: a policy hash.
pub fn parse_digest(s: &str) -> Result<Digest, String> {
    Digest::parse(s).ok_or_else(|| Message::NotAHash { value: s.into() }.text(lang()))
}

/// Compile the policy in `dir`, showing its diagnostics on stderr: `None` when it has errors.
pub fn load(dir: &Path, cx: &Context) -> Result<Option<(Loaded, Compiled)>, Message> {
    let mut loaded = jifen::load_policy(dir).map_err(|e| policy_failure(&e))?;
    let diags = &loaded.diagnostics.0;
    if !diags.is_empty() {
        eprint!("{}", render_all(diags, &loaded.sources, cx.render()));
    }
    Ok(loaded.compiled.take().map(|c| (loaded, c)))
}

/// Load a policy that must be the one an earlier result names: a policy whose hash differs is
/// refused (`None`, exit 1), so an applicant is never re-evaluated under other rules by mistake.
pub fn load_expecting(
    dir: &Path,
    cx: &Context,
    expected: Option<Digest>,
) -> Result<Option<(Loaded, Compiled)>, Message> {
    let loaded = load(dir, cx)?;
    if let (Some((_, compiled)), Some(expected)) = (&loaded, expected) {
        if compiled.policy.digest != expected {
            cx.say(&Message::HashMismatch {
                policy: dir.display().to_string(),
                expected: expected.to_string(),
                found: compiled.policy.digest.to_string(),
            });
            return Ok(None);
        }
    }
    Ok(loaded)
}

/// An input (a file, or `-` for stdin) opened and its shape judged (`jifen::data::input`), with
/// its size when it is a file.
pub fn open_input(path: &Path) -> Result<(Opened<'static>, Option<u64>), Message> {
    let (reader, size): (Box<dyn std::io::Read>, Option<u64>) = if path == Path::new("-") {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        let file = std::fs::File::open(path).map_err(|e| Message::io(path, &e))?;
        let meta = file.metadata().map_err(|e| Message::io(path, &e))?;
        if meta.is_dir() {
            return Err(Message::IsADirectory { path: path.display().to_string() });
        }
        (Box::new(file), Some(meta.len()))
    };
    let name = jifen::data::input::Name::of(path);
    let opened = jifen::data::input::open(reader, name).map_err(|e| Message::io(path, &e))?;
    Ok((opened, size))
}

/// The records of an input, as the batch pipeline reads them, and the input's size.
pub fn records<'a>(policy: &jifen::ir::Policy, path: &Path) -> Result<(Records<'a>, Option<u64>), Message> {
    let (opened, size) = open_input(path)?;
    let records = Records::of(policy, opened).map_err(|e| document_failure(path, e))?;
    Ok((records, size))
}

/// Why a policy directory could not be loaded (the library words it, with the path once).
pub fn policy_failure(error: &jifen::PolicyError) -> Message {
    Message::Worded { zh: error.message(Lang::Zh), en: error.message(Lang::En) }
}

/// Why a JSON document could not be read, in jifen's words, with the path once.
pub fn document_failure(path: &Path, error: jifen::data::input::DocumentError) -> Message {
    match error {
        jifen::data::input::DocumentError::Read(e) => Message::io(path, &e),
        other => {
            let m = other.message();
            let p = path.display();
            Message::Worded { zh: format!("{p}：{}", m.zh), en: format!("{p}: {}", m.en) }
        }
    }
}

/// What a stopped batch means: a reader that closed the output (`| head`) wants no more, which is
/// not an error; anything else is.
pub fn stream_failure(error: StreamError, input: &Path) -> Result<(), Message> {
    match error {
        StreamError::Write(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        StreamError::Write(e) => Err(Message::WriteFailed { detail: e.to_string() }),
        StreamError::Read(e) => Err(Message::io(input, &e)),
    }
}

/// A warning for each line whose 编号 an earlier line already had (the first twenty, then how many
/// more): the same applicant sent twice is counted twice. Warnings do not change the status.
pub fn warn_same_ids(cx: &Context, repeats: &Repeats) {
    const SHOWN: usize = 20;
    let same = &repeats.found;
    for s in same.iter().take(SHOWN) {
        cx.say(&Message::SameId { again: s.again, first: s.first });
    }
    if same.len() > SHOWN {
        cx.say(&Message::SameIdMore { more: same.len() - SHOWN });
    }
    if let Some(line) = repeats.unchecked_from {
        cx.say(&Message::SameIdUnchecked { line, limit: jifen::batch::same_id::CHECKED });
    }
}

/// Every command writes its results to stdout through here, never with `print!` (which panics on
/// a closed pipe). A reader that closed stdout (`| head`) wants no more: that ends the output
/// quietly, not as an error, and the command keeps the status of what it did. `Ok(false)` says the
/// reader is gone.
pub fn print_out(text: &str) -> Result<bool, Message> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Message::WriteFailed { detail: e.to_string() }),
    }
}

/// The threads asked for, or one per core (one when the number of cores cannot be known).
pub fn jobs_or_all(jobs: Option<usize>) -> usize {
    // Threads change only the speed, never a result.
    jobs.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1))
}

/// A progress bar on stderr while a batch runs, when stderr is a terminal and `--quiet` is not
/// given: over the input's bytes when its size is known.
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    pub fn new(quiet: bool, size: Option<u64>) -> Bar {
        Bar((!quiet && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
            let bar = match size {
                Some(n) => indicatif::ProgressBar::new(n),
                None => indicatif::ProgressBar::new_spinner(),
            };
            let template = match lang() {
                Lang::Zh => "{spinner} {wide_bar} {msg} 已用 {elapsed_precise}，预计还需 {eta}",
                Lang::En => "{spinner} {wide_bar} {msg} {elapsed_precise} so far, {eta} to go",
            };
            // The template is a constant: were it refused, the plain bar still shows progress.
            bar.set_style(
                indicatif::ProgressStyle::with_template(template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    /// Show how far a batch has got.
    pub fn show(&self, s: &Summary) {
        if let Some(bar) = &self.0 {
            bar.set_position(s.bytes);
            bar.set_message(Message::Progress { records: s.records, rate: format!("{:.0}", s.rate()) }.text(lang()));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
