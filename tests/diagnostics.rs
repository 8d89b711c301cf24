//! One fixture per diagnostic code in `tests/diagnostics/`, compiled together with `_prelude.jf`
//! (unless it starts with `# 无前置`), and a snapshot of its rendering next to it.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

use jifen::diag::{render_all, Code, Lang, RenderOptions};
use jifen::syntax::span::SourceMap;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(&dir).map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|x| x == "jf") && p.file_name().is_none_or(|n| n != "_prelude.jf"));
    files.sort();
    files
}

fn compile_fixture(path: &Path) -> (jifen::Loaded, String) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
    let mut sources = SourceMap::default();
    if !text.starts_with("# 无前置") {
        let prelude = std::fs::read_to_string(path.with_file_name("_prelude.jf")).unwrap_or_default();
        sources.add("tests/diagnostics/_prelude.jf", prelude);
    }
    sources.add(format!("tests/diagnostics/{name}"), text);
    (jifen::compile(sources), name)
}

fn code_of(name: &str) -> &str {
    name.split('_').next().unwrap_or("")
}

#[test]
fn every_fixture_triggers_its_code_and_matches_its_snapshot() {
    let files = fixtures();
    assert!(files.len() >= 15, "expected at least 15 fixtures, found {}", files.len());
    for path in files {
        let (loaded, name) = compile_fixture(&path);
        let code = code_of(&name);
        let codes: Vec<&str> = loaded.diagnostics.0.iter().map(|d| d.code.as_str()).collect();
        assert!(codes.contains(&code), "{name}: expected {code}, got {codes:?}");
        // Both languages, so the English is reviewed as carefully as the Chinese.
        let zh = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang: Lang::Zh, color: false });
        let en = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang: Lang::En, color: false });
        let rendered = format!("{zh}\n── English ──\n{en}");
        insta::with_settings!({snapshot_path => "diagnostics", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name.trim_end_matches(".jf"), rendered);
        });
    }
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> =
        fixtures().iter().filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(String::from)).collect();
    for code in Code::ALL {
        assert!(names.iter().any(|n| code_of(n) == code.as_str()), "no fixture for {code}");
    }
}

#[test]
fn english_rendering() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics/E0204_unit_comparison.jf");
    let (loaded, _) = compile_fixture(&path);
    let rendered = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang: Lang::En, color: false });
    insta::with_settings!({snapshot_path => "diagnostics", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("E0204_unit_comparison.en", rendered);
    });
}

#[test]
fn the_prelude_alone_is_clean() {
    let mut sources = SourceMap::default();
    let prelude = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics/_prelude.jf");
    sources.add("_prelude.jf", std::fs::read_to_string(prelude).unwrap_or_default());
    let loaded = jifen::compile(sources);
    assert!(loaded.diagnostics.0.is_empty(), "{:?}", loaded.diagnostics.0);
    assert!(loaded.compiled.is_some());
}

#[test]
fn the_checker_reports_every_error_not_the_first() {
    let mut sources = SourceMap::default();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics");
    sources.add("_prelude.jf", std::fs::read_to_string(dir.join("_prelude.jf")).unwrap_or_default());
    for f in ["E0102_unknown_field.jf", "E0204_unit_comparison.jf", "E0301_non_exhaustive_match.jf"] {
        sources.add(f, std::fs::read_to_string(dir.join(f)).unwrap_or_default());
    }
    let loaded = jifen::compile(sources);
    let codes: Vec<&str> = loaded.diagnostics.0.iter().map(|d| d.code.as_str()).collect();
    for want in ["E0102", "E0204", "E0301"] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
}
