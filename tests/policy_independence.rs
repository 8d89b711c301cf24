//! Rust knows the language, not Suzhou: no name the Suzhou policy declares (purposes, routes,
//! items, districts, documents, tables, constants, the applicant's fields) appears in the code of
//! `src/` (comments aside), nor the domain's own words (落户, 户籍).

#![allow(clippy::panic)] // helpers of tests fail by panicking, as the tests themselves do

mod common;

fn rust_sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push((path.display().to_string(), common::read(&path)));
        }
    }
}

#[test]
fn no_suzhou_name_appears_in_the_rust_sources() {
    let (_, compiled) = common::policy_2020();
    let p = &compiled.policy;
    let mut names: Vec<String> = Vec::new();
    names.extend(p.purposes.iter().map(|x| x.name.clone()));
    names.extend(p.routes.iter().map(|x| x.id.clone()));
    names.extend(p.items.iter().map(|x| x.id.clone()));
    names.extend(p.documents.iter().map(|x| x.name.clone()));
    names.extend(p.tables.iter().map(|x| x.name.clone()));
    names.extend(p.constants.iter().map(|x| x.name.clone()));
    names.extend(p.enums.iter().filter(|e| e.name == "居住地").flat_map(|e| e.variants.clone()));
    names.extend(
        p.applicant_def()
            .into_iter()
            .flat_map(|d| d.fields.iter().map(|f| f.name.clone()))
            .filter(|n| n.chars().count() >= 3),
    );
    names.push(p.name.clone());
    names.extend(["苏州", "落户", "户籍"].map(String::from));
    assert!(names.len() > 40, "{names:?}");
    let mut sources = Vec::new();
    rust_sources(&common::root().join("src"), &mut sources);
    assert!(sources.len() > 10);
    for (path, text) in &sources {
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for name in &names {
                assert!(!line.contains(name.as_str()), "{path}:{} mentions `{name}`", n + 1);
            }
        }
    }
}
