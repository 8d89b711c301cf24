//! README.md's examples are run, so they cannot drift; so are those of `docs/contract.md` and the
//! examples of the help pages. Every file the README names exists in the repository.
//!
//! **Which blocks run.** Fenced code blocks of the [`DOCUMENTS`], at any indentation (inside a list
//! item too; the fence's indentation is taken off every line):
//!
//! - **A session**: a block whose first line starts with `$ `. Each `$ ` line is a command, and the
//!   lines up to the next `$ ` line are what it prints: its standard output, then its standard
//!   error (a summary or diagnostics on stderr are shown after the data). The command may exit 0 or
//!   1 (1 is a policy with errors, a failing test, a refused record: things the README shows); exit
//!   2 (a usage or I/O error) or a signal is a failure, whatever it printed.
//! - **A `sh` block**: commands whose output the README does not show, one a line (`#` comments
//!   skipped). Each must exit 0.
//! - Any other block (policy source, JSON, a diagnostic shown without its command) is not run.
//!
//! **How a command runs.** `cargo run --release -q --` and a bare `jifen` both mean the binary
//! under test (its directory is first on `PATH`). The line runs under `bash -c` (the README uses
//! `source <(…)`) in a fresh temporary copy of `policies/`, `examples/` and `tests/` per block, so
//! `> 说明.html` writes there; with `NO_COLOR=1`, `LANG`/`LC_ALL`/`LC_MESSAGES`/`LANGUAGE` unset (the
//! README shows the Chinese default) and `HOME` inside the copy. An example about an edited policy
//! ("say 第七条 is edited to read in years") states the edit in a comment right before its block,
//! `<!-- readme-test: sed -i '…' policies/… -->`: it runs first, in that block's copy, and must exit
//! 0. The commands that cannot run in a test are listed in [`CANNOT_RUN`] with the reason; every
//! other command runs.
//!
//! **How output compares.** Both sides are normalised first: a policy hash (`sha256:` and hex
//! digits, also the README's abridged `sha256:6f3a…`) becomes `sha256:<hash>`; the version in
//! `jifen 0.1.0` and `"jifen":"0.1.0"` becomes `<version>`; a summary's time, rate and threads
//! (`用时 0.12 秒，每秒 41666 条（2 个线程）`) become placeholders. Trailing spaces and trailing blank
//! lines do not count. Then two elisions keep the README abridged:
//!
//! - a line that is only `…` (or `...`) stands for any number of lines, none included;
//! - a line ending in `…` stands for any line that starts with the text before the `…`.
//!
//! A failure names the README line and the command and shows a unified diff of the README's lines
//! against the real output (elided lines filled in from the output, so only real differences show).
//!
//! **Files named.** A path in backticks or a link that starts in one of the repository's folders
//! (`tests/limits.rs`, `policies/suzhou/2020/积分管理办法.jf:151:6`) must exist; nothing may point
//! outside the repository (`../…`), which a clone does not have.
//!
//! **The help pages.** The `示例：`/`Examples:` section of `jifen --help` and of `jifen COMMAND --help`
//! (both languages, which must list the same commands) is run the same way, with the placeholders
//! (政策目录, 申请人.jsonl, …) replaced by bundled files ([`PLACEHOLDERS`]): each must exit 0.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Commands of the README that cannot run inside a test, by how they start, and why. Each must
/// still be in the README (a stale entry fails the test).
const CANNOT_RUN: &[(&str, &str)] = &[
    ("cargo test", "runs the whole test suite, this test included"),
    ("cargo install --path .", "builds a release binary and installs it: .ci/run does that for real"),
    ("cargo install cargo-fuzz", "downloads and builds a tool from crates.io"),
    ("cd fuzz && cargo +nightly fuzz", "needs nightly Rust and runs for half an hour"),
    ("chromium ", "needs Chromium: tests/page.rs prints the page this way"),
];

/// The help pages' placeholders and the bundled files that stand for them, longest first.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("旧政策目录", "policies/suzhou/2015"),
    ("新政策目录", "policies/suzhou/2020"),
    ("政策目录/某文件.jf", "policies/suzhou/2020/计分标准.jf"),
    ("政策目录", "policies/suzhou/2020"),
    ("申请人.jsonl", "examples/applicants.jsonl"),
    ("申请人.json", "examples/A0001.json"),
    ("用途名", "积分落户"),
    ("指标.json", "tests/golden/public-quotas.json"),
];

/// The documents whose examples run (paths from the repository's root).
const DOCUMENTS: &[&str] = &["README.md", "docs/contract.md"];

/// What the commands read: copied for each block, so what they write goes away with the copy.
const COPIED: &[&str] = &["policies", "examples", "tests"];

const SETUP: &str = "<!-- readme-test:";

/// A fenced block of README.md.
#[derive(Debug)]
struct Block {
    /// README's line number of the opening fence.
    line: usize,
    info: String,
    /// The lines inside the fences, the fence's indentation taken off.
    body: Vec<String>,
    /// `<!-- readme-test: … -->` commands right before the block.
    setup: Vec<String>,
}

/// A command of a block, and the output the README shows for it (`None`: not shown).
#[derive(Debug)]
struct Step {
    line: usize,
    command: String,
    expected: Option<Vec<String>>,
}

fn blocks(readme: &str) -> Vec<Block> {
    let lines: Vec<&str> = readme.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(line) = lines.get(i) {
        let indent = line.len() - line.trim_start().len();
        let Some(info) = line.trim_start().strip_prefix("```") else {
            i += 1;
            continue;
        };
        let setup = setup_before(&lines, i);
        let mut body = Vec::new();
        let mut j = i + 1;
        while let Some(inner) = lines.get(j) {
            if inner.trim() == "```" {
                break;
            }
            let cut = inner.len() - inner.trim_start().len();
            body.push(inner.get(cut.min(indent)..).unwrap_or("").to_string());
            j += 1;
        }
        out.push(Block { line: i + 1, info: info.trim().to_string(), body, setup });
        i = j + 1;
    }
    out
}

/// The setup comments on the lines just above line `at` (blank lines between are allowed).
fn setup_before(lines: &[&str], at: usize) -> Vec<String> {
    let mut setup = Vec::new();
    for line in lines.iter().take(at).rev().map(|l| l.trim()).skip_while(|l| l.is_empty()) {
        let Some(command) = line.strip_prefix(SETUP).and_then(|c| c.strip_suffix("-->")) else { break };
        setup.push(command.trim().to_string());
    }
    setup.reverse();
    setup
}

fn steps(block: &Block) -> Vec<Step> {
    let first = block.body.iter().find(|l| !l.trim().is_empty());
    if first.is_some_and(|l| l.starts_with("$ ")) {
        let mut steps: Vec<Step> = Vec::new();
        for (k, line) in block.body.iter().enumerate() {
            match (line.strip_prefix("$ "), steps.last_mut()) {
                (Some(command), _) => steps.push(Step {
                    line: block.line + 1 + k,
                    command: command.trim().to_string(),
                    expected: Some(Vec::new()),
                }),
                (None, Some(Step { expected: Some(lines), .. })) => lines.push(line.clone()),
                (None, _) => {}
            }
        }
        steps
    } else if matches!(block.info.as_str(), "sh" | "bash" | "console" | "shell") {
        let mut steps: Vec<Step> = Vec::new();
        let mut continued = false;
        for (k, line) in block.body.iter().enumerate() {
            let text = line.trim();
            match steps.last_mut() {
                Some(step) if continued => {
                    step.command = format!("{} {}", step.command.trim_end_matches('\\').trim_end(), text)
                }
                _ if text.is_empty() || text.starts_with('#') => {}
                _ => steps.push(Step { line: block.line + 1 + k, command: text.to_string(), expected: None }),
            }
            continued = text.ends_with('\\');
        }
        steps
    } else {
        Vec::new()
    }
}

// ---- normalising and matching -------------------------------------------------------------------

/// Replace what changes from run to run or with every edit of a policy: hashes, the version, times.
fn normalise(text: &str) -> String {
    let text = hashes(text);
    let text = versions(&text);
    let text = numbers_between(&text, "用时 ", " 秒", "<秒>");
    let text = numbers_between(&text, "每秒 ", " 条", "<n>");
    numbers_between(&text, "（", " 个线程）", "<n>")
}

fn hashes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let after = from.get(7..).unwrap_or("");
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_hexdigit()).len();
        let tail = after.get(digits..).unwrap_or("");
        let abridged = tail.starts_with('…');
        if digits >= 4 || abridged {
            out.push_str("sha256:<hash>");
            rest = if abridged { tail.get('…'.len_utf8()..).unwrap_or("") } else { tail };
        } else {
            out.push_str("sha256:");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn versions(text: &str) -> String {
    ["jifen ", "\"jifen\":\"", "\"jifen\": \""].iter().fold(text.to_string(), |text, prefix| {
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(prefix) {
            let (before, from) = rest.split_at(at + prefix.len());
            out.push_str(before);
            let version = from.len() - from.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').len();
            let v = from.get(..version).unwrap_or("");
            if v.split('.').count() == 3 && v.split('.').all(|p| !p.is_empty()) {
                out.push_str("<version>");
                rest = from.get(version..).unwrap_or("");
            } else {
                rest = from;
            }
        }
        out.push_str(rest);
        out
    })
}

/// `open` + a decimal number + `close` → `open` + `placeholder` + `close`.
fn numbers_between(text: &str, open: &str, close: &str, placeholder: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        let (before, from) = rest.split_at(at + open.len());
        out.push_str(before);
        let n = from.len() - from.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').len();
        if n > 0 && from.get(n..).is_some_and(|t| t.starts_with(close)) {
            out.push_str(placeholder);
            rest = from.get(n..).unwrap_or("");
        } else {
            rest = from;
        }
    }
    out.push_str(rest);
    out
}

/// The lines to compare: normalised, trailing spaces and trailing blank lines dropped.
fn comparable(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = normalise(text).lines().map(|l| l.trim_end().to_string()).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn is_ellipsis(line: &str) -> bool {
    matches!(line.trim(), "…" | "...")
}

fn line_matches(expected: &str, actual: &str) -> bool {
    expected == actual || expected.strip_suffix('…').is_some_and(|prefix| actual.starts_with(prefix))
}

#[allow(clippy::indexing_slicing)] // the table is (n + 1) × (m + 1) and every index stays inside it
/// Align the README's lines with the output: `Ok` when they match under the elision rules, else the
/// README's lines with each elision filled in from the output where it aligns (to diff against it).
fn align(expected: &[String], actual: &[String]) -> Result<(), Vec<String>> {
    let (n, m) = (expected.len(), actual.len());
    // cost[i][j]: how many lines must differ to align expected[i..] with actual[j..].
    let mut cost = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..=n).rev() {
        for j in (0..=m).rev() {
            cost[i][j] = match (expected.get(i), actual.get(j)) {
                (None, _) => m - j,
                (Some(e), a) if is_ellipsis(e) => match a {
                    Some(_) => cost[i + 1][j].min(cost[i][j + 1]),
                    None => cost[i + 1][j],
                },
                (Some(_), None) => 1 + cost[i + 1][j],
                (Some(e), Some(a)) => {
                    let skip = 1 + cost[i + 1][j].min(cost[i][j + 1]);
                    if line_matches(e, a) {
                        cost[i + 1][j + 1].min(skip)
                    } else {
                        skip
                    }
                }
            };
        }
    }
    if cost[0][0] == 0 {
        return Ok(());
    }
    // Walk the cheapest alignment, writing the README's side with its elisions filled in.
    let mut shown = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n {
        let (e, a) = (&expected[i], actual.get(j));
        if is_ellipsis(e) {
            // An elision ends as soon as the rest aligns as well: the lines after it match early.
            match a {
                Some(a) if cost[i][j] != cost[i + 1][j] => {
                    shown.push(a.clone());
                    j += 1;
                }
                _ => i += 1,
            }
        } else if a.is_some_and(|a| line_matches(e, a)) && cost[i][j] == cost[i + 1][j + 1] {
            shown.push(actual[j].clone());
            i += 1;
            j += 1;
        } else if j < m && cost[i][j] == 1 + cost[i][j + 1] {
            j += 1;
        } else {
            shown.push(e.clone());
            i += 1;
        }
    }
    Err(shown)
}

// ---- running ------------------------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    let entries = std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries.flatten() {
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if source.is_dir() {
            copy_dir(&source, &target);
        } else {
            std::fs::copy(&source, &target).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        }
    }
}

/// A fresh copy of what the commands read, removed when dropped.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("jifen-readme-").tempdir().unwrap_or_else(|e| panic!("{e}"));
    for name in COPIED {
        copy_dir(&common::root().join(name), &dir.path().join(name));
    }
    std::fs::create_dir_all(dir.path().join("home/.zfunc")).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn path_with_binary() -> std::ffi::OsString {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_jifen"));
    let mut dirs = vec![binary.parent().map(Path::to_path_buf).unwrap_or_default()];
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap_or_else(|e| panic!("{e}"))
}

fn run(command: &str, dir: &Path) -> Output {
    let command = command.replace("cargo run --release -q -- ", "jifen ");
    Command::new("bash")
        .arg("-c")
        .arg(&command)
        .current_dir(dir)
        .env("PATH", path_with_binary())
        .env("HOME", dir.join("home"))
        .env("NO_COLOR", "1")
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANGUAGE")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash: {e}"))
}

fn printed(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn cannot_run(command: &str) -> Option<&'static str> {
    CANNOT_RUN.iter().find(|(start, _)| command.starts_with(start)).map(|(start, _)| *start)
}

/// What went wrong with one step, if anything.
fn check_step(step: &Step, dir: &Path) -> Option<String> {
    let o = run(&step.command, dir);
    let status = match o.status.code() {
        Some(code) => format!("exit {code}"),
        None => "killed by a signal".to_string(),
    };
    let Some(expected) = &step.expected else {
        return (!o.status.success()).then(|| format!("{status}, want 0:\n{}", printed(&o)));
    };
    if !matches!(o.status.code(), Some(0 | 1)) {
        return Some(format!("{status} (a usage or I/O error), want 0 or 1:\n{}", printed(&o)));
    }
    let expected = comparable(&expected.join("\n"));
    let actual = comparable(&printed(&o));
    let shown = align(&expected, &actual).err()?;
    let diff = similar::TextDiff::from_lines(&(shown.join("\n") + "\n"), &(actual.join("\n") + "\n"))
        .unified_diff()
        .context_radius(3)
        .header("README.md", "actual output")
        .to_string();
    Some(format!("its output differs ({status}; - README, + actual, after normalising):\n{diff}"))
}

#[test]
fn every_command_of_the_readme_runs_and_prints_what_the_readme_shows() {
    let mut failures = Vec::new();
    let mut used = vec![false; CANNOT_RUN.len()];
    let (mut ran, mut compared) = (0, 0);
    for document in DOCUMENTS {
        for block in blocks(&common::read(&common::root().join(document))) {
            let steps = steps(&block);
            if steps.is_empty() {
                if !block.setup.is_empty() {
                    failures.push(format!(
                        "{document}:{}: a readme-test comment before a block that runs nothing",
                        block.line
                    ));
                }
                continue;
            }
            let dir = workspace();
            for command in &block.setup {
                let o = run(command, dir.path());
                if !o.status.success() {
                    failures.push(format!("{document}:{}: setup `{command}` failed:\n{}", block.line, printed(&o)));
                }
            }
            for step in &steps {
                if let Some(start) = cannot_run(&step.command) {
                    if let Some(k) = CANNOT_RUN.iter().position(|(s, _)| *s == start) {
                        used[k] = true;
                    }
                    continue;
                }
                ran += 1;
                compared += usize::from(step.expected.is_some());
                if let Some(what) = check_step(step, dir.path()) {
                    failures.push(format!("{document}:{}: `{}`: {what}", step.line, step.command));
                }
            }
        }
    }
    for ((start, _), used) in CANNOT_RUN.iter().zip(used) {
        if !used {
            failures.push(format!("CANNOT_RUN lists `{start}`, which no document runs any more: remove it"));
        }
    }
    println!("{ran} commands run, {compared} of them compared with the output shown");
    assert!(ran >= 10, "only {ran} commands found: is the harness reading the blocks?");
    assert!(
        failures.is_empty(),
        "{}\n\n{} example(s) drifted: update {} to what jifen prints now (abridge with a line `…`), or fix the \
         command. The conventions are at the top of tests/readme.rs.",
        failures.join("\n\n"),
        failures.len(),
        DOCUMENTS.join(" or ")
    );
}

/// The repository paths a document names: in backticks or as a link target, with the line.
fn named_paths(text: &str) -> Vec<(usize, String)> {
    const FOLDERS: &[&str] = &[
        "src/",
        "tests/",
        "docs/",
        "examples/",
        "policies/",
        "benches/",
        "fuzz/",
        "grammar/",
        "editors/",
        ".ci/",
        "../",
    ];
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        let quoted = line.split('`').skip(1).step_by(2);
        let linked = line.split("](").skip(1).filter_map(|rest| rest.split(')').next());
        for name in quoted.chain(linked) {
            let plain = !name.contains(|c: char| c.is_whitespace() || "<>…*{}|$".contains(c));
            if plain && FOLDERS.iter().any(|f| name.starts_with(f)) {
                // `file.jf:151:6` names the file.
                let path = name.split(':').next().unwrap_or(name);
                out.push((k + 1, path.to_string()));
            }
        }
    }
    out
}

#[test]
fn every_file_the_readme_names_is_in_the_repository() {
    let mut missing = Vec::new();
    for document in DOCUMENTS {
        let named = named_paths(&common::read(&common::root().join(document)));
        assert!(named.len() >= 5 || *document != "README.md", "no paths found in {document}");
        for (line, path) in named {
            if path.starts_with("../") || !common::root().join(&path).exists() {
                missing.push(format!("{document}:{line}: `{path}` is not in the repository"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

// ---- the help pages ---------------------------------------------------------------------------

/// The lines of the section that starts with `heading`, up to a blank line.
fn section(help: &str, heading: &[&str]) -> Vec<String> {
    help.lines()
        .skip_while(|l| !heading.iter().any(|h| l.trim_end() == *h))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect()
}

fn help(args: &[&str]) -> String {
    let o = common::jifen(args, None);
    assert_eq!(o.status.code(), Some(0), "jifen {}: {}", args.join(" "), printed(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_example_of_the_help_pages_runs() {
    let commands: Vec<String> = section(&help(&["--help", "--lang", "en"]), &["Commands:"])
        .iter()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    assert!(commands.len() >= 5, "no commands listed by `jifen --help --lang en`");
    let mut examples: Vec<String> = Vec::new();
    for command in std::iter::once("").chain(commands.iter().map(String::as_str)) {
        let args: Vec<&str> = [command, "--help"].into_iter().filter(|a| !a.is_empty()).collect();
        let zh = section(&help(&args), &["示例：", "示例:"]);
        let en = section(&help(&[args.as_slice(), &["--lang", "en"]].concat()), &["Examples:"]);
        assert!(!en.is_empty(), "`jifen {}` has no examples", args.join(" "));
        assert_eq!(zh, en, "`jifen {}`: the Chinese and English pages show other examples", args.join(" "));
        for example in en {
            if !examples.contains(&example) {
                examples.push(example);
            }
        }
    }
    let dir = workspace();
    let mut failures = Vec::new();
    for example in &examples {
        let command = PLACEHOLDERS.iter().fold(example.clone(), |c, (from, to)| c.replace(from, to));
        let o = run(&command, dir.path());
        if !o.status.success() {
            failures.push(format!("`{example}` (run as `{command}`) exits {:?}:\n{}", o.status.code(), printed(&o)));
        }
    }
    println!("help pages: {} examples run", examples.len());
    assert!(
        failures.is_empty(),
        "{}\n\nFix the example in src/help.rs, or give its placeholder a file in PLACEHOLDERS (tests/readme.rs).",
        failures.join("\n\n")
    );
}

// ---- the rules themselves ----------------------------------------------------------------------

fn lines(text: &str) -> Vec<String> {
    comparable(text)
}

#[test]
fn an_ellipsis_line_stands_for_any_lines_and_a_trailing_one_for_the_rest_of_a_line() {
    let actual = lines("a\nb\nc\nd 1 2 3\ne");
    for readme in ["a\n…\ne", "…\ne", "a\n…", "…", "a\nb\n…\nc\nd 1…\ne", "a\n...\nd 1 2 3\n…"] {
        assert_eq!(align(&lines(readme), &actual), Ok(()), "{readme}");
    }
    for readme in ["a\ne", "a\n…\nx", "a\nb\nc\nd 2…\ne", "a\nb\nc\nd 1 2 3\ne\nf", "b\n…"] {
        assert!(align(&lines(readme), &actual).is_err(), "{readme}");
    }
    // The README's side, elisions filled in from the output, so a diff shows only what differs.
    assert_eq!(align(&lines("a\n…\nd 1 2 3\nx"), &actual), Err(lines("a\nb\nc\nd 1 2 3\nx")));
}

#[test]
fn hashes_versions_and_timings_are_normalised() {
    let hash = format!("sha256:{}", "0123456789abcdef".repeat(4));
    assert_eq!(
        normalise(&format!("政策：苏州 2020 · {hash} · jifen 0.1.0")),
        "政策：苏州 2020 · sha256:<hash> · jifen <version>"
    );
    assert_eq!(
        normalise("政策：苏州 2020 · sha256:6f3a… · jifen 9.10.11"),
        "政策：苏州 2020 · sha256:<hash> · jifen <version>"
    );
    assert_eq!(
        normalise(r#"{"hash":"sha256:6f3a…","jifen":"0.1.0"}"#),
        r#"{"hash":"sha256:<hash>","jifen":"<version>"}"#
    );
    assert_eq!(
        normalise("25 条记录：成功 25，错误 0；用时 0.12 秒，每秒 208 条（2 个线程）"),
        "25 条记录：成功 25，错误 0；用时 <秒> 秒，每秒 <n> 条（<n> 个线程）"
    );
    assert_eq!(normalise("sha256: 与 jifen 的版本"), "sha256: 与 jifen 的版本");
}

#[test]
fn blocks_are_found_indented_with_their_setup_and_commands() {
    let readme = "text\n\n- item:\n\n  <!-- readme-test: sed -i 's/a/b/' f -->\n  ```\n  $ jifen test p\n  ✓ one\n  …\n  ```\n\n```sh\ncargo run --release -q -- eval \\\n  --input x\n# a comment\njifen check p\n```\n\n```\n政策 x\n```\n";
    let found = blocks(readme);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0].setup, vec!["sed -i 's/a/b/' f".to_string()]);
    let session = steps(&found[0]);
    assert_eq!(session.len(), 1);
    assert_eq!((session[0].line, session[0].command.as_str()), (7, "jifen test p"));
    assert_eq!(session[0].expected, Some(vec!["✓ one".to_string(), "…".to_string()]));
    let sh: Vec<String> = steps(&found[1]).into_iter().map(|s| s.command).collect();
    assert_eq!(sh, ["cargo run --release -q -- eval --input x", "jifen check p"]);
    assert!(steps(&found[2]).is_empty());
}
