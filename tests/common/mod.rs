//! Shared by the integration tests: the bundled 2020 policy, compiled once per test binary.
#![allow(dead_code)] // each test binary uses its own subset of these helpers

use jifen::ir::Compiled;
use jifen::Loaded;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn policy_2020() -> &'static (Loaded, Compiled) {
    static POLICY: OnceLock<(Loaded, Compiled)> = OnceLock::new();
    POLICY.get_or_init(|| load("2020"))
}

pub fn policy_2015() -> &'static (Loaded, Compiled) {
    static POLICY: OnceLock<(Loaded, Compiled)> = OnceLock::new();
    POLICY.get_or_init(|| load("2015"))
}

fn load(version: &str) -> (Loaded, Compiled) {
    let mut loaded =
        jifen::load_policy(&root().join("policies/suzhou").join(version)).unwrap_or_else(|e| panic!("{e}"));
    let compiled = loaded.compiled.take().unwrap_or_else(|| panic!("policy has errors: {:?}", loaded.diagnostics.0));
    (loaded, compiled)
}

/// The `jifen` binary, to run from the repository's root without colour, every stream piped.
pub fn command(args: &[&str]) -> std::process::Command {
    use std::process::Stdio;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_jifen"));
    command
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        // The language is chosen by --lang, else by the locale: tests speak the default (Chinese)
        // unless they ask.
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Run the `jifen` binary from the repository's root, with `stdin` on its standard input, without
/// colour.
pub fn jifen(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut child = command(args).spawn().unwrap_or_else(|e| panic!("cannot run jifen: {e}"));
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or("").as_bytes());
    }
    child.wait_with_output().unwrap_or_else(|e| panic!("{e}"))
}

#[allow(dead_code)]
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The text with every policy hash (`sha256:` and 64 hex digits) replaced by a placeholder: the
/// snapshots of explanations, memos and rankings are about their wording, and a hash changes with
/// any edit of the policy (tests/audit_hash.rs is where the hash itself is tested).
pub fn unhashed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("sha256:") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let digits = from.get(7..71).filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits {
            Some(_) => {
                out.push_str("sha256:<政策哈希>");
                rest = from.get(71..).unwrap_or("");
            }
            None => {
                out.push_str("sha256:");
                rest = from.get(7..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

#[path = "../support/render.rs"]
mod render;
#[allow(unused_imports)] // not every test binary renders diagnostics
pub use render::render_every_way;

/// The diagnostics fixtures' minimal policy: documents, articles, an enumeration, an applicant.
pub const PRELUDE: &str = include_str!("../diagnostics/_prelude.jf");

/// A fresh temporary directory (named by `tag` and the process) holding `files`.
pub fn temp_dir_with(tag: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jifen-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

/// The sample applicant A0001 (`examples/A0001.json`) as a JSON object.
pub fn sample_record() -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(&read(&root().join("examples/A0001.json"))).unwrap_or_default()
}

/// The sample applicant on one line, with `key` set to `value`.
pub fn sample_with(key: &str, value: serde_json::Value) -> String {
    let mut record = sample_record();
    record.insert(key.into(), value);
    serde_json::Value::Object(record).to_string()
}
