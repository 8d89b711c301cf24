//! The policies' own tests (测试): the bundled policies pass theirs, and a failing test reports
//! expected against actual with the part of the evaluation that differs.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::diag::Lang;
use jifen::syntax::span::SourceMap;

#[test]
fn the_bundled_policies_pass_their_own_tests() {
    for version in ["2020", "2015"] {
        let loaded =
            jifen::load_policy(&common::root().join("policies/suzhou").join(version)).unwrap_or_else(|e| panic!("{e}"));
        let compiled =
            loaded.compiled.as_ref().unwrap_or_else(|| panic!("{version}: {:?}", loaded.diagnostics.0.first()));
        let outcomes = jifen::testing::run_all(&compiled.policy);
        assert!(outcomes.len() >= 20, "{version}: only {} tests", outcomes.len());
        let report =
            jifen::report::tests::render(&compiled.policy, &compiled.spans, &loaded.sources, &outcomes, Lang::Zh);
        assert!(outcomes.iter().all(|o| o.passed()), "{version}:\n{report}");
    }
}

#[test]
fn a_failing_test_shows_expected_against_actual_and_why() {
    let dir = common::root().join("tests");
    let mut sources = SourceMap::default();
    sources.add("_prelude.jf", common::read(&dir.join("diagnostics/_prelude.jf")));
    sources.add("failing.jf", common::read(&dir.join("policy_tests/failing.jf")));
    let loaded = jifen::compile(sources);
    let compiled = loaded.compiled.as_ref().unwrap_or_else(|| panic!("{:?}", loaded.diagnostics.0));
    let outcomes = jifen::testing::run_all(&compiled.policy);
    assert_eq!(outcomes.iter().filter(|o| !o.passed()).count(), 1);
    for lang in [Lang::Zh, Lang::En] {
        let report = jifen::report::tests::render(&compiled.policy, &compiled.spans, &loaded.sources, &outcomes, lang);
        let name = if lang == Lang::Zh { "failing" } else { "failing.en" };
        insta::with_settings!({snapshot_path => "policy_tests", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(name, report);
        });
    }
}
