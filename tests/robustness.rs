//! No input makes the program panic: not a policy file (truncated at every character, or random
//! text), not an applicant record (random JSON, or the sample with one field replaced).

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::syntax::span::SourceMap;
use proptest::prelude::*;

fn policy_files() -> Vec<(String, String)> {
    let dir = common::root().join("policies/suzhou/2020");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        // The policy's own tests (测试.jf) are left out: they are checked by tests/policy_tests.rs,
        // and thousands of truncations do not need them compiled each time.
        .filter(|e| !e.path().to_string_lossy().ends_with("测试.jf"))
        .map(|e| (e.path().display().to_string(), common::read(&e.path())))
        .collect();
    files.sort();
    files
}

/// Compile the policy with one file replaced, and render what the compiler says every way.
fn compile_with(files: &[(String, String)], replace: usize, text: &str) -> jifen::Loaded {
    let mut sources = SourceMap::default();
    for (i, (path, original)) in files.iter().enumerate() {
        sources.add(path.clone(), if i == replace { text.to_string() } else { original.clone() });
    }
    let loaded = jifen::compile(sources);
    common::render_every_way(&loaded);
    loaded
}

#[test]
fn every_truncation_of_every_policy_file_compiles_without_panic() {
    let files = policy_files();
    for (i, (_, text)) in files.iter().enumerate() {
        let cuts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        // About 400 cuts per file (every character of small files) reach every construct while
        // keeping the test quick; the step is odd so cuts land at varied offsets in each line.
        let step = (cuts.len() / 400) | 1;
        for &cut in cuts.iter().step_by(step) {
            let truncated = text.get(..cut).unwrap_or("");
            let loaded = compile_with(&files, i, truncated);
            assert!(!loaded.diagnostics.0.is_empty() || loaded.compiled.is_some());
        }
    }
}

#[test]
fn deeply_nested_parentheses_are_a_diagnostic_not_a_stack_overflow() {
    let files = policy_files();
    for open in ["（", "(", "【"] {
        let close = match open {
            "（" => "）",
            "(" => ")",
            _ => "】",
        };
        let deep = format!("常量 深 = {}1分{}", open.repeat(65), close.repeat(65));
        let loaded = compile_with(&files, 0, &deep);
        assert!(loaded.diagnostics.has_errors());
        let rendered = jifen::diag::render_all(&loaded.diagnostics.0, &loaded.sources, Default::default());
        assert!(rendered.contains("65") || rendered.contains("64"), "{rendered}");
    }
}

#[test]
fn long_chains_are_refused_before_they_can_exhaust_the_stack() {
    let files = policy_files();
    for body in [
        vec!["1分"; 20_000].join("+"),
        "非 ".repeat(20_000) + "真",
        "若 真 则 1分 否则 ".repeat(5_000) + "0分",
        "申请人".to_string() + &".住所".repeat(5_000),
    ] {
        let loaded = compile_with(&files, 0, &format!("常量 长  依据 计分标准 [社会保险] = {body}\n"));
        assert!(
            loaded.diagnostics.0.iter().any(|d| d.message.zh.contains("声明过长")),
            "{:?}",
            loaded.diagnostics.0.first()
        );
    }
}

/// Test threads have small stacks (2 MiB): every shape of expression that fits the declaration
/// limit must compile and evaluate there.
#[test]
fn chains_just_under_the_limit_compile_and_evaluate() {
    let files = policy_files();
    let sample = common::read(&common::root().join("tests/explain/A0001.json"));
    let near = jifen::syntax::parser::MAX_DECLARATION_TOKENS - 40;
    for (body, points) in [
        (vec!["1分"; near / 2].join("+"), near / 2),
        ("若 ".to_string() + &"非 ".repeat(near - 10) + "真 则 1分 否则 0分", usize::from((near - 10) % 2 == 0)),
        ("若 真 则 ".repeat(near / 6) + "1分" + &" 否则 0分".repeat(near / 6), 1),
        ("（".repeat(60) + "1分" + &"）".repeat(60), 1),
    ] {
        let text = format!("分项 [长链] 附加分  依据 积分管理办法 第四条\n  {body}\n");
        let mut all = files.clone();
        all.push(("长链.jf".into(), text));
        let loaded = compile_with(&all, usize::MAX, "");
        let compiled = loaded.compiled.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics.0.first()));
        let a = jifen::data::read_record(&compiled.policy, &sample).unwrap_or_else(|e| panic!("{e:?}"));
        let eval = jifen::eval::evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
        let item = eval.items.iter().find(|i| i.id == "长链").map(|i| i.points);
        assert_eq!(item, Some(rust_decimal::Decimal::from(points)));
        let _ = jifen::report::explain::explain(&compiled, &loaded.sources, &a, &eval, Default::default());
    }
}

#[test]
fn numbers_too_long_to_be_exact_are_errors_not_zero() {
    let files = policy_files();
    let loaded = compile_with(&files, 0, "常量 大  依据 计分标准 [社会保险] = 79228162514264337593543950335万元\n");
    assert!(loaded.diagnostics.0.iter().any(|d| d.message.zh.contains("过长")), "{:?}", loaded.diagnostics.0);
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        "[0-9.eE+-]{0,12}".prop_map(|s| serde_json::from_str(&s).unwrap_or(serde_json::Value::String(s))),
        ".{0,12}".prop_map(serde_json::Value::from),
        "(19|20)[0-9]{2}-[0-1][0-9]-[0-3][0-9]".prop_map(serde_json::Value::from),
        prop_oneof![Just("本科"), Just("其他"), Just("姑苏区"), Just("行政拘留"), Just("护理")]
            .prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::vec(("[a-z类型日期金额行业开始结束]{1,4}", inner), 0..4)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn evaluate_line(line: &str) {
    let (_, compiled) = common::policy_2020();
    for (_, read) in jifen::data::read_jsonl(&compiled.policy, line) {
        if let Ok(a) = read {
            let _ = jifen::eval::evaluate(&compiled.policy, &a.value, a.as_of);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics_the_compiler(text in "(\\PC|[（）【】：，“”→ ]|分项 |若 |每满 |匹配 |分段 ){0,80}") {
        let files = policy_files();
        let _ = compile_with(&files, 2, &text);
    }

    #[test]
    fn random_json_never_panics_the_reader(value in arb_json()) {
        evaluate_line(&value.to_string());
    }

    #[test]
    fn the_sample_with_any_field_replaced_reads_or_fails_cleanly(field in 0usize..26, value in arb_json()) {
        let sample = common::read(&common::root().join("tests/explain/A0001.json"));
        let mut record: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&sample).unwrap_or_default();
        let key = record.keys().nth(field).cloned().unwrap_or_default();
        record.insert(key, value);
        evaluate_line(&serde_json::Value::Object(record).to_string());
    }
}
