//! `diff --impact --format json` over a population larger than the list of movers kept in memory:
//! the JSON lists every applicant who moved, in input order, with the totals and statuses each
//! version gives them on their own — the part of the list that went through the temporary file
//! included.

#![allow(clippy::panic, clippy::indexing_slicing)] // tests fail by panicking

mod common;

#[path = "../examples/gen.rs"]
mod gen;

use jifen::batch::spill::IN_MEMORY;
use jifen::data::read_record;
use jifen::diff::impact::status_key;
use jifen::eval::score;
use serde_json::{json, Map, Value as Json};
use std::io::Write;

/// What an applicant's outcome is under one version, as the impact's JSON writes it.
fn outcomes(policy: &jifen::ir::Policy, line: &str) -> (String, Map<String, Json>, Map<String, Json>) {
    let a = read_record(policy, line).unwrap_or_else(|e| panic!("{}", e.message.zh));
    let e = score(policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{}", e.message.zh));
    let purposes = e
        .purposes
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                json!({"status": status_key(Some(p.decision.status)), "total": p.total.normalize().to_string()}),
            )
        })
        .collect();
    let routes =
        e.routes.iter().map(|r| (r.id.clone(), json!({"status": status_key(Some(r.decision.status))}))).collect();
    (a.id, purposes, routes)
}

#[test]
fn every_mover_is_listed_in_order_past_the_in_memory_limit() {
    let (_, old) = common::policy_2015();
    let (_, new) = common::policy_2020();
    let count = IN_MEMORY as u64 + 1500;
    let records: Vec<String> = gen::generate(count, 11).collect();
    let mut file = tempfile::NamedTempFile::with_suffix(".jsonl").unwrap_or_else(|e| panic!("{e}"));
    for r in &records {
        writeln!(file, "{r}").unwrap_or_else(|e| panic!("{e}"));
    }
    let output =
        common::command(&["diff", "policies/suzhou/2015", "policies/suzhou/2020", "--format", "json", "--impact"])
            .arg(file.path())
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: Json = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("output is not JSON: {e}"));
    let impact = &doc["impact"];
    assert_eq!(impact["records"], json!(count));
    let listed = impact["applicants"].as_array().unwrap_or_else(|| panic!("no applicants list"));
    assert_eq!(json!(listed.len()), impact["moved"]);
    assert!(listed.len() > IN_MEMORY, "only {} moved: the temporary file is not exercised", listed.len());

    // Each applicant on their own under both versions: who moved, and to what.
    let mut expected = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let (id, po, ro) = outcomes(&old.policy, r);
        let (_, pn, rn) = outcomes(&new.policy, r);
        let side = |m: &Map<String, Json>, k: &str| m.get(k).cloned().unwrap_or(json!({"status": "absent"}));
        let changed = |o: &Map<String, Json>, n: &Map<String, Json>| -> Vec<(String, Json, Json)> {
            let mut keys: Vec<&String> = n.keys().collect();
            keys.extend(o.keys().filter(|k| !n.contains_key(*k)));
            keys.into_iter().map(|k| (k.clone(), side(o, k), side(n, k))).filter(|(_, a, b)| a != b).collect()
        };
        let (purposes, routes) = (changed(&po, &pn), changed(&ro, &rn));
        if !purposes.is_empty() || !routes.is_empty() {
            expected.push((id, i + 1, purposes, routes));
        }
    }
    assert_eq!(listed.len(), expected.len());
    for (entry, (id, line, purposes, routes)) in listed.iter().zip(&expected) {
        assert_eq!(entry["applicant"], json!(id));
        assert_eq!(entry["line"], json!(line));
        for (name, old, new) in purposes.iter().chain(routes) {
            let kind = if purposes.iter().any(|(n, ..)| n == name) { "purposes" } else { "routes" };
            let listed = &entry[kind][name];
            for (side, want) in [("old", old), ("new", new)] {
                assert_eq!(listed[side]["status"], want["status"], "{id} {name} {side}");
                if let Some(total) = want.get("total") {
                    assert_eq!(&listed[side]["total"], total, "{id} {name} {side}");
                }
            }
        }
    }
}
