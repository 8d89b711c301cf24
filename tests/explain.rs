//! Snapshots of `explain` for public applicants: each fixture `tests/explain/<id>.json` sits next
//! to its snapshot.

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::eval::evaluate;
use jifen::report::explain::{explain, ExplainOptions};
use serde_json::json;

fn explain_fixture(id: &str, source: bool) -> String {
    let (loaded, compiled) = common::policy_2020();
    let text = common::read(&common::root().join(format!("tests/explain/{id}.json")));
    let a = jifen::data::read_record(&compiled.policy, &text).unwrap_or_else(|e| panic!("{e:?}"));
    let eval = evaluate(&compiled.policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{e:?}"));
    explain(compiled, &loaded.sources, &a, &eval, ExplainOptions { source })
}

fn snapshot(name: &str, text: String) {
    insta::with_settings!({snapshot_path => "explain", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!(name, common::unhashed(&text));
    });
}

#[test]
fn sample_applicant_a0001() {
    snapshot("A0001", explain_fixture("A0001", false));
}

#[test]
fn born_on_29_february_without_residence_permit() {
    snapshot("S1-0001", explain_fixture("S1-0001", false));
}

#[test]
fn two_criminal_penalties_and_an_age_outside_every_bracket() {
    snapshot("S1-0016", explain_fixture("S1-0016", false));
}

#[test]
fn overlapping_hardship_records_count_each_day_once() {
    snapshot("S1-0021", explain_fixture("S1-0021", false));
}

#[test]
fn with_source_lines() {
    let text = explain_fixture("A0001", true);
    assert!(text.contains("└─ 计分标准.jf:"), "{text}");
    snapshot("A0001.source", text);
}

#[test]
fn transition_routes_closed_after_the_district_s_window() {
    let text = explain_fixture("S1-0006", false);
    assert!(text.contains("不受理"), "{text}");
    snapshot("S1-0006", text);
}

#[test]
fn an_unpublished_year_is_undecidable_and_evaluating_early_warns() {
    let text = explain_fixture("S1-0014", false);
    assert!(text.contains("无法判定"), "{text}");
    assert!(text.contains("⚠"), "{text}");
    snapshot("S1-0014", text);
}

/// Every step of a JSON explanation, depth first.
fn all_steps(steps: &serde_json::Value, out: &mut Vec<serde_json::Value>) {
    for s in steps.as_array().into_iter().flatten() {
        out.push(s.clone());
        all_steps(&s["steps"], out);
    }
}

#[test]
fn the_json_explanation_says_what_eval_says_with_a_source_for_every_step() {
    let input = "tests/golden/public-applicants.jsonl";
    let run = |args: &[&str]| {
        let o = common::jifen(args, None);
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", String::from_utf8_lossy(&o.stderr));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap_or_else(|e| panic!("{e}"))
    };
    let explained = run(&["explain", "--policy", "policies/suzhou/2020", "--input", input, "--format", "json"]);
    let evaluated = run(&["eval", "--policy", "policies/suzhou/2020", "--input", input, "--format", "json"]);
    let (explained, evaluated) =
        (explained.as_array().cloned().unwrap_or_default(), evaluated.as_array().cloned().unwrap_or_default());
    assert_eq!(explained.len(), evaluated.len());
    assert!(explained.len() >= 25);
    let mut steps_seen = 0;
    for (x, e) in explained.iter().zip(&evaluated) {
        let who = e["applicant"].as_str().unwrap_or("?");
        assert_eq!(x["applicant"]["id"], e["applicant"], "{who}");
        assert_eq!(x["policy"], e["policy"], "{who}");
        assert_eq!(
            x["score"],
            json!({"base": e["score"]["base"], "bonus": e["score"]["bonus"], "deduction": e["score"]["deduction"]})
        );
        for (xi, ei) in
            x["items"].as_array().into_iter().flatten().zip(e["score"]["items"].as_array().into_iter().flatten())
        {
            assert_eq!((&xi["id"], &xi["points"], &xi["cites"]), (&ei["id"], &ei["points"], &ei["cites"]), "{who}");
            assert!(xi["source"]["line"].as_u64().is_some_and(|l| l > 0), "{who}: {xi}");
        }
        for (section, key) in [("purposes", "name"), ("routes", "id")] {
            for xp in x[section].as_array().into_iter().flatten() {
                let name = xp[key].as_str().unwrap_or("");
                let ep = &e[section][name];
                assert_eq!(xp["status"], ep["status"], "{who} {name}");
                assert_eq!(xp["reasons"], ep["reasons"], "{who} {name}");
                for c in xp["clauses"].as_array().into_iter().flatten() {
                    assert!(c["cite"].is_string() && c["source"]["file"].is_string(), "{who} {name}: {c}");
                    // A clause that failed or could not be decided carries the reason the result gives.
                    if c["outcome"] != "holds" {
                        assert!(
                            ep["reasons"].as_array().is_some_and(|r| r.contains(&c["reason"])),
                            "{who} {name}: {c}"
                        );
                    }
                }
            }
        }
        let mut steps = Vec::new();
        for item in x["items"].as_array().into_iter().flatten() {
            all_steps(&item["steps"], &mut steps);
        }
        for s in &steps {
            assert!(s["text"].is_string() && s["source"]["line"].as_u64().is_some_and(|l| l > 0), "{who}: {s}");
        }
        steps_seen += steps.len();
    }
    assert!(steps_seen > 100, "{steps_seen}");
}

#[test]
fn the_json_explanation_of_a0001() {
    let o = common::jifen(
        &["explain", "--policy", "policies/suzhou/2020", "--input", "examples/A0001.json", "--format", "json"],
        None,
    );
    assert_eq!(o.status.code(), Some(0));
    snapshot("A0001.json-explanation", common::unhashed(&String::from_utf8_lossy(&o.stdout)));
}

#[test]
fn the_json_form_refuses_what_only_the_text_has() {
    let base = ["explain", "--policy", "policies/suzhou/2020", "--input", "examples/A0001.json"];
    let text = common::jifen(&[&base[..], &["--format", "text", "--source"]].concat(), None);
    assert_eq!(text.status.code(), Some(0));
    for extra in [
        &["--format", "json", "--source"][..],
        &["--format", "json", "--compare", "policies/suzhou/2015", "--applicant", "A0001"],
    ] {
        let o = common::jifen(&[&base[..], extra].concat(), None);
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("--format json"), "{extra:?}");
    }
}
