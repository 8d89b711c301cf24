//! Static assertions (约束) are proved by `jifen check`: the 2020 policy states “过渡期不得超过三年”
//! once, and a district whose window is longer fails on its own date, citing 第七条 and showing the
//! computed length.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::diag::{render_all, Code, Lang, RenderOptions};
use jifen::syntax::span::SourceMap;

fn policy_with(replace: &str, with: &str) -> jifen::Loaded {
    let dir = common::root().join("policies/suzhou/2020");
    let original = jifen::read_policy_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut sources = SourceMap::default();
    let mut replaced = false;
    for (_, f) in original.files() {
        let name = std::path::Path::new(&f.path).file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        let text = if f.text.contains(replace) {
            replaced = true;
            f.text.replace(replace, with)
        } else {
            f.text.clone()
        };
        sources.add(format!("policies/suzhou/2020/{name}"), text);
    }
    assert!(replaced, "`{replace}` not found in the policy");
    jifen::compile(sources)
}

#[test]
fn the_bundled_transition_windows_are_proved_to_be_at_most_three_years() {
    let (_, compiled) = common::policy_2020();
    assert_eq!(compiled.policy.assertions.len(), 1);
    assert_eq!(compiled.policy.assertions[0].title, "过渡期不得超过三年");
}

#[test]
fn a_window_of_more_than_three_years_fails_check_on_its_date() {
    let loaded = policy_with("昆山市   → 2021-12-31", "昆山市   → 2024-06-30");
    assert!(loaded.compiled.is_none());
    let failed: Vec<_> = loaded.diagnostics.0.iter().filter(|d| d.code == Code::AssertionFailed).collect();
    assert_eq!(failed.len(), 1, "{:?}", loaded.diagnostics.0);
    let span = failed[0].primary_span().unwrap_or_else(|| panic!("no span"));
    assert_eq!(loaded.sources.snippet(span), "2024-06-30");
    let rendered = render_all(&loaded.diagnostics.0, &loaded.sources, RenderOptions { lang: Lang::Zh, color: false });
    for want in ["E0501", "户籍准入管理办法 第七条", "共1277日", "3年又182日", "昆山市"] {
        assert!(rendered.contains(want), "`{want}` missing:\n{rendered}");
    }
    insta::with_settings!({snapshot_path => "assertions", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("kunshan_2024-06-30", rendered);
    });
}

#[test]
fn exactly_three_years_holds_and_one_day_more_fails() {
    let ok = policy_with("昆山市   → 2021-12-31", "昆山市   → 2023-12-31");
    assert!(ok.compiled.is_some(), "{:?}", ok.diagnostics.0);
    let over = policy_with("昆山市   → 2021-12-31", "昆山市   → 2024-01-01");
    assert!(over.diagnostics.0.iter().any(|d| d.code == Code::AssertionFailed));
}
