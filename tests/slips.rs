//! A drafter's slip never silently changes the shape of a policy: deleting or duplicating any one
//! character of a bundled policy either makes `check` report something (the bundled policies
//! check clean, so an error or a new warning) or keeps every declaration, clause, table row,
//! field, enumeration value and citation (a clause may change; none may vanish or merge into its
//! neighbour).
//!
//! The test tries a seeded sample of positions; `JIFEN_SLIPS=all cargo test --release --test slips`
//! tries every character of every file (about 60,000 policies).

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

use jifen::ir::{Policy, RouteBody};
use jifen::syntax::span::SourceMap;

/// The policy's shape: every declaration in order, with the number of its parts. Names are left
/// out: a slip inside a name renames, it does not make anything vanish.
fn skeleton(p: &Policy) -> Vec<String> {
    let cites = |prov: &jifen::ir::Provenance| prov.cites.len();
    let mut s = Vec::new();
    s.extend(p.documents.iter().map(|_| "文件".to_string()));
    s.extend(p.enums.iter().map(|e| format!("枚举 取值{} 依据{}", e.variants.len(), cites(&e.provenance))));
    s.extend(p.records.iter().map(|r| format!("记录 字段{} 依据{}", r.fields.len(), cites(&r.provenance))));
    s.extend(p.constants.iter().map(|c| format!("常量 依据{}", cites(&c.provenance))));
    s.extend(p.tables.iter().map(|t| {
        format!(
            "表 行{} 其他{} 未列出{} 依据{}",
            t.rows.len(),
            t.otherwise.is_some(),
            t.missing.is_some(),
            cites(&t.provenance)
        )
    }));
    s.extend(p.items.iter().map(|i| format!("分项 设{} 依据{}", i.lets.len(), cites(&i.provenance))));
    s.extend(p.purposes.iter().map(|u| {
        let clause_cites: Vec<String> = u.clauses.iter().map(|c| format!("{:?}", c.kind)).collect();
        format!("用途 类别{} 条款{:?} 依据{}", u.categories.len(), clause_cites, cites(&u.provenance))
    }));
    s.extend(p.routes.iter().map(|r| {
        let body = match &r.body {
            RouteBody::SameAs(i) => format!("同{i}"),
            RouteBody::Clauses { clauses, .. } => {
                format!("条款{:?}", clauses.iter().map(|c| format!("{:?}", c.kind)).collect::<Vec<_>>())
            }
        };
        format!("途径 {body} 依据{}", cites(&r.provenance))
    }));
    s.extend(p.rankings.iter().map(|r| format!("排序 用途{} 键{}", r.purposes.len(), r.keys.len())));
    s.extend(p.assertions.iter().map(|a| format!("约束 依据{}", cites(&a.provenance))));
    s
}

/// Positions are char boundaries; a small deterministic generator keeps the sample reproducible.
fn sample(len: usize, count: usize, seed: u64) -> Vec<usize> {
    let mut x = seed;
    (0..count)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % len.max(1) as u64) as usize
        })
        .collect()
}

fn slips_of(version: &str, every: bool) -> (usize, Vec<String>) {
    let original =
        jifen::load_policy(&common::root().join("policies/suzhou").join(version)).unwrap_or_else(|e| panic!("{e}"));
    let Some(compiled) = &original.compiled else { panic!("{version} does not compile") };
    let shape = skeleton(&compiled.policy);
    let files: Vec<(String, String)> =
        original.sources.files().map(|(_, f)| (f.path.clone(), f.text.clone())).collect();
    let mut tried = 0;
    let mut silent = Vec::new();
    for (index, (path, text)) in files.iter().enumerate() {
        // The rules are what a slip must not silently change; the tests file is compiled with them.
        if path.ends_with("测试.jf") {
            continue;
        }
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let positions: Vec<usize> = if every {
            boundaries.clone()
        } else {
            sample(boundaries.len(), 150, 0x9E37_79B9 + index as u64)
                .into_iter()
                .filter_map(|i| boundaries.get(i).copied())
                .collect()
        };
        for at in positions {
            let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else { continue };
            let (before, after) = text.split_at(at);
            let rest = after.get(c.len_utf8()..).unwrap_or("");
            for (what, mutated) in [("删去", format!("{before}{rest}")), ("重复", format!("{before}{c}{c}{rest}"))]
            {
                tried += 1;
                let mut sources = SourceMap::default();
                for (j, (p, t)) in files.iter().enumerate() {
                    sources.add(p.clone(), if j == index { mutated.clone() } else { t.clone() });
                }
                let loaded = jifen::compile(sources);
                common::render_every_way(&loaded);
                let Some(c2) = &loaded.compiled else { continue };
                // The bundled policies check clean (expected warnings are allowed in the file), so
                // any diagnostic, a warning included, tells the drafter something moved.
                if !loaded.diagnostics.0.is_empty() {
                    continue;
                }
                let new_shape = skeleton(&c2.policy);
                if new_shape != shape {
                    let line = before.matches('\n').count() + 1;
                    let diff: Vec<String> = shape
                        .iter()
                        .zip(&new_shape)
                        .filter(|(a, b)| a != b)
                        .map(|(a, b)| format!("{a} → {b}"))
                        .take(2)
                        .collect();
                    silent.push(format!("{path}:{line} {what}「{c}」: {diff:?}"));
                }
            }
        }
    }
    (tried, silent)
}

#[test]
fn one_character_slips_never_pass_check_with_a_changed_shape() {
    let every = std::env::var("JIFEN_SLIPS").is_ok_and(|v| v == "all");
    for version in ["2020", "2015"] {
        let (tried, silent) = slips_of(version, every);
        assert!(tried > 500, "{version}: only {tried} slips tried");
        assert!(
            silent.is_empty(),
            "{version}: {} of {tried} slips pass check with a changed shape:\n{}",
            silent.len(),
            silent.join("\n")
        );
    }
}
