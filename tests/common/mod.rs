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

/// Run the `jifen` binary from the repository's root, with `stdin` on its standard input, without
/// colour.
pub fn jifen(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run jifen: {e}"));
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
#[allow(dead_code)] // not every test file shows a hash
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

/// Render a compilation's diagnostics in both languages, with colour and without, as every
/// property test that produces diagnostics must: the renderer has to cope with every span the
/// compiler makes (labels in other files, after multi-byte text). Returns the plain Chinese text.
#[allow(dead_code)] // not every test file produces diagnostics
pub fn render_every_way(loaded: &Loaded) -> String {
    use jifen::diag::{render_all, Lang, RenderOptions};
    let mut plain = String::new();
    for lang in [Lang::Zh, Lang::En] {
        for color in [false, true] {
            let text = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang, color });
            assert!(
                loaded.diagnostics.0.is_empty() || text.lines().count() > loaded.diagnostics.0.len(),
                "{} diagnostics rendered as:\n{text}",
                loaded.diagnostics.0.len()
            );
            if lang == Lang::Zh && !color {
                plain = text;
            }
        }
    }
    plain
}
