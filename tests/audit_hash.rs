//! The audit hash (SHA-256 of the policy's IR, `src/ir/digest.rs`): every output form carries it;
//! one figure changed changes it; reformatting, comments, line endings and file names do not, as
//! the README says; and `--expect-hash` refuses a policy whose hash is not the one an old result
//! names.

#![allow(clippy::panic)]

mod common;

use common::jifen;
use std::path::{Path, PathBuf};

const APPLICANTS: &str = "tests/golden/public-applicants.jsonl";
const QUOTAS: &str = "tests/golden/public-quotas.json";

fn stdout(args: &[&str]) -> String {
    let o = jifen(args, None);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn hash_of(policy: &str) -> String {
    let o = jifen(&["check", policy], None);
    let text = String::from_utf8_lossy(&o.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("政策哈希：")).unwrap_or_else(|| panic!("no hash:\n{text}"));
    assert!(line.starts_with("sha256:") && line.len() == 7 + 64, "{line}");
    line.to_string()
}

/// A copy of a bundled policy directory in a fresh temporary directory, each file passed through
/// `edit(name, text) -> (new name, new text)`.
fn copy_policy(version: &str, tag: &str, edit: impl Fn(&str, &str) -> (String, String)) -> PathBuf {
    let from = common::root().join("policies/suzhou").join(version);
    let files: Vec<(String, String)> = std::fs::read_dir(&from)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|entry| edit(&entry.file_name().to_string_lossy(), &common::read(&entry.path())))
        .collect();
    let files: Vec<(&str, &[u8])> = files.iter().map(|(n, t)| (n.as_str(), t.as_bytes())).collect();
    common::temp_dir_with(&format!("hash-{tag}"), &files)
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn every_output_form_carries_the_policy_hash() {
    let h2020 = hash_of("policies/suzhou/2020");
    let h2015 = hash_of("policies/suzhou/2015");
    assert_ne!(h2020, h2015);
    let p = "policies/suzhou/2020";
    let rank = |format: &'static str| {
        vec![
            "rank",
            "--policy",
            p,
            "--input",
            APPLICANTS,
            "--purpose",
            "积分落户",
            "--quotas",
            QUOTAS,
            "--format",
            format,
        ]
    };
    let forms: Vec<(&str, Vec<&str>)> = vec![
        ("eval text", vec!["eval", "--policy", p, "--input", APPLICANTS]),
        ("eval json", vec!["eval", "--policy", p, "--input", APPLICANTS, "--format", "json"]),
        ("eval jsonl (streamed)", vec!["eval", "--policy", p, "--input", APPLICANTS, "--format", "jsonl", "--quiet"]),
        ("eval json, one object", vec!["eval", "--policy", p, "--input", "examples/A0001.json", "--format", "json"]),
        ("explain", vec!["explain", "--policy", p, "--input", APPLICANTS, "--applicant", "A0001"]),
        ("rank jsonl", rank("jsonl")),
        ("rank csv", rank("csv")),
        ("rank md", rank("md")),
        ("check json", vec!["check", p, "--format", "json"]),
    ];
    for (form, args) in forms {
        let out = stdout(&args);
        assert!(out.contains(&h2020), "{form} does not carry the hash:\n{out}");
        assert!(out.contains(jifen::VERSION), "{form} does not name the jifen version");
    }
    // Every line of a JSON Lines result carries it.
    let lines = stdout(&["eval", "--policy", p, "--input", APPLICANTS, "--format", "jsonl", "--quiet"]);
    for line in lines.lines().filter(|l| !l.contains("\"error\"")) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v["policy"]["hash"], h2020.as_str());
        assert_eq!(v["policy"]["jifen"], jifen::VERSION);
    }
    for format in ["text", "md", "json"] {
        let out = stdout(&["diff", "policies/suzhou/2015", p, "--format", format]);
        assert!(out.contains(&h2015) && out.contains(&h2020), "diff {format}:\n{out}");
        let out = stdout(&["diff", "policies/suzhou/2015", p, "--format", format, "--impact", APPLICANTS]);
        assert!(out.contains(&h2015) && out.contains(&h2020), "diff --impact {format}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["diff", "policies/suzhou/2015", p, "--format", "json"])).unwrap_or_default();
    assert_eq!(json["old"]["hash"], h2015.as_str());
    assert_eq!(json["new"]["hash"], h2020.as_str());
    // compile prints the IR (what was hashed) on stdout and the hash on stderr.
    let o = jifen(&["compile", p], None);
    assert!(String::from_utf8_lossy(&o.stderr).contains(&h2020));
}

#[test]
fn the_hash_is_the_sha256_of_the_ir_the_compiler_prints() {
    use sha2::{Digest, Sha256};
    let (_, compiled) = common::policy_2020();
    let ir = serde_json::to_vec(&compiled.policy).unwrap_or_default();
    let hex: String = Sha256::digest(&ir).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(format!("sha256:{hex}"), hash_of("policies/suzhou/2020"));
    assert_eq!(compiled.policy.digest.to_string(), format!("sha256:{hex}"));
}

#[test]
fn one_figure_changed_changes_the_hash() {
    let original = hash_of("policies/suzhou/2020");
    let edited = copy_policy("2020", "figure", |name, text| {
        let text = if name == "计分标准.jf" {
            assert!(text.contains("计 0.5分，最高 60分"));
            text.replacen("计 0.5分，最高 60分", "计 0.5分，最高 61分", 1)
        } else {
            text.to_string()
        };
        (name.to_string(), text)
    });
    assert_ne!(hash_of(&shown(&edited)), original);
    let _ = std::fs::remove_dir_all(edited);
}

#[test]
fn reformatting_commenting_crlf_and_renaming_keep_the_hash() {
    let original = hash_of("policies/suzhou/2020");
    // Blank lines and comments between declarations, CRLF line ends, and other file names: the
    // same rules, so the same hash.
    let messy = copy_policy("2020", "messy", |name, text| {
        let spaced = text.replace("\n\n", "\n\n# 评注：格式与注释不改变政策的含义\n\n\n");
        (format!("甲-{name}"), spaced.replace('\n', "\r\n"))
    });
    assert_eq!(hash_of(&shown(&messy)), original, "reformatting changed the hash");
    // `jifen fmt` on the messy copy gives the same hash again.
    let o = jifen(&["fmt", &shown(&messy)], None);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(hash_of(&shown(&messy)), original, "formatting changed the hash");
    let _ = std::fs::remove_dir_all(messy);
}

#[test]
fn an_old_result_is_not_re_evaluated_under_another_policy() {
    let h2020 = hash_of("policies/suzhou/2020");
    let base = ["eval", "--input", "examples/A0001.json", "--format", "json"];
    let same = jifen(&[&base[..], &["--policy", "policies/suzhou/2020", "--expect-hash", &h2020]].concat(), None);
    assert_eq!(same.status.code(), Some(0));
    let other = jifen(&[&base[..], &["--policy", "policies/suzhou/2015", "--expect-hash", &h2020]].concat(), None);
    assert_eq!(other.status.code(), Some(1));
    assert!(other.stdout.is_empty(), "nothing is evaluated under the other policy");
    let stderr = String::from_utf8_lossy(&other.stderr);
    assert!(stderr.contains("政策哈希不符") && stderr.contains(&h2020), "{stderr}");
    for command in [
        vec!["explain", "--policy", "policies/suzhou/2015", "--input", APPLICANTS, "--applicant", "A0001"],
        vec![
            "rank",
            "--policy",
            "policies/suzhou/2015",
            "--input",
            APPLICANTS,
            "--purpose",
            "积分落户",
            "--quotas",
            QUOTAS,
        ],
    ] {
        let o = jifen(&[&command[..], &["--expect-hash", &h2020]].concat(), None);
        assert_eq!(o.status.code(), Some(1), "{command:?}");
    }
    // A hash that is not one is a usage error.
    let bad = jifen(&[&base[..], &["--policy", "policies/suzhou/2020", "--expect-hash", "sha256:12"]].concat(), None);
    assert_eq!(bad.status.code(), Some(2));
}
