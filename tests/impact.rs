//! `jifen diff --impact`: the movements of the public applicants between 2015 and 2020 agree with
//! counts made independently from two `eval` runs (and from the reference evaluator's expected
//! outputs), every movement is attributed, and the attribution reconciles with the totals.

#![allow(clippy::panic, clippy::indexing_slicing)] // tests fail by panicking

mod common;

use serde_json::Value;
use std::collections::BTreeMap;

const APPLICANTS: &str = "tests/golden/public-applicants.jsonl";

fn jifen(args: &[&str]) -> String {
    let o = common::command(args).output().unwrap_or_else(|e| panic!("cannot run jifen: {e}"));
    assert!(o.status.success(), "jifen {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect()
}

fn eval(version: &str) -> Vec<Value> {
    lines(&jifen(&[
        "eval",
        "--policy",
        &format!("policies/suzhou/{version}"),
        "--input",
        APPLICANTS,
        "--format",
        "jsonl",
    ]))
}

fn impact() -> Value {
    let out =
        jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", APPLICANTS, "--format", "json"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"))
}

fn number(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a decimal string: {v}"))
}

/// Transitions of each purpose and route, and how many totals changed, from two lists of results.
fn count(old: &[Value], new: &[Value]) -> (BTreeMap<String, BTreeMap<String, u64>>, BTreeMap<String, u64>) {
    let mut transitions: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut changed: BTreeMap<String, u64> = BTreeMap::new();
    for (o, n) in old.iter().zip(new) {
        assert_eq!(o["applicant"], n["applicant"]);
        for kind in ["purposes", "routes"] {
            for (name, result) in n[kind].as_object().into_iter().flatten() {
                let key = format!(
                    "{}->{}",
                    o[kind][name]["status"].as_str().unwrap_or("absent"),
                    result["status"].as_str().unwrap_or("?")
                );
                *transitions.entry(format!("{kind}/{name}")).or_default().entry(key).or_default() += 1;
                if kind == "purposes" && number(&o[kind][name]["total"]) != number(&result["total"]) {
                    *changed.entry(name.clone()).or_default() += 1;
                }
            }
        }
    }
    (transitions, changed)
}

#[test]
fn transitions_match_two_independent_eval_runs() {
    let (old, new) = (eval("2015"), eval("2020"));
    let (transitions, changed) = count(&old, &new);
    // The reference evaluator's expected outputs say the same.
    let expected =
        |v: &str| lines(&common::read(&common::root().join(format!("tests/golden/public-expected-{v}.jsonl"))));
    assert_eq!(count(&expected("2015"), &expected("2020")), (transitions.clone(), changed.clone()));

    let imp = impact();
    let imp = &imp["impact"];
    assert_eq!(imp["evaluated"], old.len());
    assert_eq!(imp["invalid"], 0);
    for kind in ["purposes", "routes"] {
        for (name, got) in imp[kind].as_object().into_iter().flatten() {
            let want = &transitions[&format!("{kind}/{name}")];
            let got: BTreeMap<String, u64> = got["transitions"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                .collect();
            assert_eq!(&got, want, "{kind} {name}");
            assert_eq!(got.values().sum::<u64>(), old.len() as u64, "{kind} {name}: every applicant counted once");
            if kind == "purposes" {
                let got_changed = imp[kind][name]["total_changed"].as_u64().unwrap_or(0);
                assert_eq!(got_changed, changed.get(name).copied().unwrap_or(0), "{name} total_changed");
            }
        }
    }
    // The listed applicants are exactly those whose status or total changed.
    let moved: Vec<&str> = old
        .iter()
        .zip(&new)
        .filter(|(o, n)| {
            ["purposes", "routes"].iter().any(|k| {
                n[k].as_object().into_iter().flatten().any(|(name, r)| {
                    o[k][name]["status"] != r["status"]
                        || (*k == "purposes" && number(&o[k][name]["total"]) != number(&r["total"]))
                })
            })
        })
        .map(|(o, _)| o["applicant"].as_str().unwrap_or(""))
        .collect();
    let listed: Vec<&str> =
        imp["applicants"].as_array().into_iter().flatten().map(|a| a["applicant"].as_str().unwrap_or("")).collect();
    assert_eq!(listed, moved);
    // A status change names the clause that decided each side.
    for a in imp["applicants"].as_array().into_iter().flatten() {
        for (name, p) in a["purposes"].as_object().into_iter().flatten() {
            for side in ["old", "new"] {
                let status = p[side]["status"].as_str().unwrap_or("");
                let decided = p[side]["decided"].as_array().map(Vec::len).unwrap_or(0);
                assert_eq!(status == "eligible", decided == 0, "{} {name} {side}: {p}", a["applicant"]);
                for d in p[side]["decided"].as_array().into_iter().flatten() {
                    assert!(
                        d["clause"].as_str().is_some_and(|c| c.contains('·'))
                            && d["cite"].as_str().is_some_and(|c| !c.is_empty()),
                        "{d}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_item_movement_is_attributed_and_the_shares_reconcile_with_the_totals() {
    let (old, new) = (eval("2015"), eval("2020"));
    let doc = impact();
    let imp = &doc["impact"];
    assert_eq!(imp["unattributed"]["applicants"], 0, "{}", imp["unattributed"]);
    for (purpose, r) in imp["reconciliation"].as_object().into_iter().flatten() {
        let total = number(&r["total_delta"]);
        let sum = number(&r["from_changes"]) + number(&r["from_floor"]) + number(&r["unattributed"]);
        assert!((total - sum).abs() < 1e-9, "{purpose}: {r}");
        // The changes' shares add up to what the reconciliation says they do.
        let shares: f64 = doc["changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["impact"]["totals_moved"][purpose].as_str())
            .map(|v| v.parse::<f64>().unwrap_or(0.0))
            .sum();
        assert!((shares - number(&r["from_changes"])).abs() < 1e-9, "{purpose}: shares {shares} vs {r}");
        // And the total moved is what two eval runs say.
        let from_eval: f64 = old
            .iter()
            .zip(&new)
            .map(|(o, n)| number(&n["purposes"][purpose]["total"]) - number(&o["purposes"][purpose]["total"]))
            .sum();
        assert!((from_eval - total).abs() < 1e-9, "{purpose}: eval says {from_eval}, impact {total}");
    }
    // Each changed item moves exactly the applicants whose points on it differ between the runs.
    let points = |r: &Value, id: &str| -> f64 {
        r["score"]["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|i| i["id"] == id)
            .map(|i| number(&i["points"]))
            .unwrap_or(0.0)
    };
    let mut items_seen = 0;
    for c in doc["changes"].as_array().into_iter().flatten().filter(|c| c["subject"] == "item") {
        let id = c["id"].as_str().unwrap_or("");
        let moved: Vec<(&Value, &Value)> =
            old.iter().zip(&new).filter(|(o, n)| points(o, id) != points(n, id)).collect();
        assert_eq!(c["impact"]["applicants"], moved.len(), "{id}");
        let sum: f64 = moved.iter().map(|(o, n)| points(n, id) - points(o, id)).sum();
        assert!((number(&c["impact"]["points_moved"]) - sum).abs() < 1e-9, "{id}");
        if !moved.is_empty() {
            let e = &c["impact"]["example"];
            assert!(
                e["old"]["value"].is_string() && e["new"]["steps"].as_array().is_some_and(|s| !s.is_empty()),
                "{id}: {e}"
            );
        }
        items_seen += 1;
    }
    assert_eq!(items_seen, 4, "社会保险, 连续居住, 合法稳定住所, 特殊艰苦行业");
}

#[test]
fn a_change_that_moves_nobody_says_so_and_the_law_text_is_not_evaluated() {
    let doc = impact();
    let changes = doc["changes"].as_array().cloned().unwrap_or_default();
    let article = changes.iter().find(|c| c["subject"] == "article").unwrap_or_else(|| panic!("no article change"));
    assert_eq!(article["impact"]["evaluated"], false);
    assert!(changes.iter().any(|c| c["impact"]["evaluated"] == true && c["impact"]["applicants"] == 0));
    let text = jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", APPLICANTS]);
    assert!(text.contains("影响：本批申请人中无人因此变化"), "{text}");
}

#[test]
fn the_impact_memo_on_the_public_applicants() {
    let memo =
        jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", APPLICANTS, "--format", "md"]);
    insta::assert_snapshot!("impact_memo_2015_2020_public", common::unhashed(&memo));
}

#[test]
fn one_applicant_explained_under_both_versions_side_by_side() {
    let text = jifen(&[
        "explain",
        "--policy",
        "policies/suzhou/2015",
        "--compare",
        "policies/suzhou/2020",
        "--input",
        APPLICANTS,
        "--applicant",
        "A0001",
    ]);
    // Side by side, a hash is wrapped over two lines: every run of nine or more hex digits is the
    // hash, whatever column it is in.
    let mut masked = String::with_capacity(text.len());
    let mut run = String::new();
    for c in text.chars().chain(std::iter::once('\n')) {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        masked.push_str(if run.len() >= 9 { "<哈希>" } else { &run });
        run.clear();
        masked.push(c);
    }
    masked.pop();
    insta::assert_snapshot!("explain_compare_A0001", masked);
}

#[test]
fn a_memo_keeps_the_largest_movements_and_the_first_status_changes_not_everyone() {
    use jifen::diff::impact::{impact, prepare, Keep};
    let (old, new) = (&common::policy_2015().1.policy, &common::policy_2020().1.policy);
    let d = jifen::diff::diff(old, new);
    let text = common::read(&common::root().join(APPLICANTS));
    let run = |keep| {
        let pairs = jifen::data::jsonl_lines(&text).map(|(n, l)| {
            prepare(old, new, (n, jifen::data::read_record(old, l)), (n, jifen::data::read_record(new, l)), None)
        });
        impact(&d, old, new, pairs, keep)
    };
    let (all, some) = (run(Keep::All), run(Keep::Largest(3)));
    let listed = |i: &jifen::diff::impact::Impact| -> Vec<jifen::diff::impact::Moved> {
        let items = i.applicants.read().unwrap_or_else(|e| panic!("{e}"));
        items.map(|m| m.unwrap_or_else(|e| panic!("{e}"))).collect()
    };
    let (all_listed, some_listed) = (listed(&all), listed(&some));
    assert_eq!((all.moved, some.moved), (all.applicants.len(), all.applicants.len()));
    let largest = |i: &jifen::diff::impact::Impact| {
        let mut v: Vec<(rust_decimal::Decimal, usize)> =
            listed(i).iter().map(|m| (m.largest_delta(), m.line)).collect();
        v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        v.truncate(3);
        v
    };
    assert_eq!(largest(&all), largest(&some));
    assert!(some.applicants.len() < all.applicants.len(), "{} kept", some.applicants.len());
    // Every purpose and route whose status changed for someone keeps its first such applicant.
    for name in all_listed
        .iter()
        .flat_map(|m| m.purposes.iter().chain(&m.routes))
        .filter(|o| o.old.status != o.new.status)
        .map(|o| &o.name)
    {
        assert!(
            some_listed.iter().any(|m| m
                .purposes
                .iter()
                .chain(&m.routes)
                .any(|o| &o.name == name && o.old.status != o.new.status)),
            "{name}"
        );
    }
    // The counts do not depend on what is kept.
    assert_eq!(serde_json::to_value(&all.purposes).ok(), serde_json::to_value(&some.purposes).ok());
}

#[test]
fn an_applicant_sent_twice_is_named_with_both_lines() {
    let all = common::read(&common::root().join(APPLICANTS));
    let one = all.lines().next().unwrap_or("");
    for (input, line) in [(format!("{one}\n{one}\n"), 2), (format!("[{one}, {one}]"), 2)] {
        let o = common::jifen(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--impact", "-"], Some(&input));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{stderr}");
        assert!(stderr.contains(&format!("警告：第 {line} 行的编号与第 1 行相同")), "{stderr}");
    }
}
