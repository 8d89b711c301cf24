//! The generator of realistic applicants (`cargo run --example gen`) gives records every version
//! reads without a fault, deterministically, reaching every status the benchmarks should exercise.

#![allow(clippy::panic)] // tests fail by panicking

mod common;

#[path = "../examples/gen.rs"]
mod gen;

use jifen::data::read_record;
use jifen::eval::evaluate;
use std::collections::BTreeSet;

#[test]
fn generated_applicants_read_cleanly_under_both_versions_and_reach_every_outcome() {
    let records: Vec<String> = gen::generate(2000, 7).collect();
    assert_eq!(records, gen::generate(2000, 7).collect::<Vec<_>>(), "a seed gives the same records");
    assert_ne!(records, gen::generate(2000, 8).collect::<Vec<_>>());
    for (version, (_, compiled)) in [("2020", common::policy_2020()), ("2015", common::policy_2015())] {
        let policy = &compiled.policy;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for (i, text) in records.iter().enumerate() {
            let a =
                read_record(policy, text).unwrap_or_else(|e| panic!("{version} record {}: {}", i + 1, e.message.zh));
            let e =
                evaluate(policy, &a.value, a.as_of).unwrap_or_else(|e| panic!("{version} record {}: {:?}", i + 1, e));
            seen.extend(e.purposes.iter().map(|p| format!("{} {:?}", p.name, p.decision.status)));
            seen.extend(e.routes.iter().map(|r| format!("{} {:?}", r.id, r.decision.status)));
        }
        if version == "2020" {
            for must in [
                "积分落户 Eligible",
                "积分落户 Ineligible",
                "积分入学 Eligible",
                "积分入学 NotApplicable",
                "积分入医 Eligible",
            ] {
                assert!(seen.contains(must), "{version}: no {must} in {seen:?}");
            }
            for route in ["人才落户", "积分落户", "夫妻投靠", "购房落户", "投资纳税落户", "务工经商落户"]
            {
                assert!(seen.contains(&format!("{route} Eligible")), "{version}: no eligible {route}: {seen:?}");
            }
            assert!(seen.contains("购房落户 Closed") && seen.contains("购房落户 NotApplicable"), "{seen:?}");
        }
    }
}
