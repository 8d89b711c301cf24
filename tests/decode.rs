//! The one-pass decoder and the careful reader agree on every record: the decoder reads every
//! well-formed record (the same value), and on any record with a fault `read_record` gives exactly
//! the careful reader's answer — the same faults, worded the same (解释 D35–D38).

#![allow(clippy::panic)] // tests fail by panicking

mod common;

#[path = "../examples/gen.rs"]
mod gen;

use gen::Rng;
use jifen::data::{decode, read_record, read_record_carefully};
use jifen::ir::Policy;
use serde_json::{Map, Value as Json};

/// Values a field may wrongly (or rightly) hold: every JSON kind, edge numbers, strings that look
/// like dates, decimals and enumeration values, and escaped text.
const CANDIDATES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "2.5",
    "-2.5",
    "1e5",
    "-0",
    "18446744073709551616",
    "\"\"",
    "\"x\"",
    "\"12\"",
    "\"1.50\"",
    "\"-5\"",
    "\"2021-02-29\"",
    "\"2020-02-29\"",
    "\"2021-5-1\"",
    "\"本科\"",
    "\"姑苏区\"",
    "\"\\u672c\\u79d1\"",
    "\"a\\nb\"",
    "{}",
    "[]",
    "[null]",
    "[{}]",
    "{\"类型\": \"其他\"}",
];

fn mutate(rng: &mut Rng, record: &mut Map<String, Json>) {
    let keys: Vec<String> = record.keys().cloned().collect();
    let key = keys.get(rng.below(keys.len())).cloned().unwrap_or_default();
    match rng.below(6) {
        0 => {
            record.remove(&key);
        }
        1 => {
            record.insert(format!("{key}x"), Json::from(1));
        }
        2 | 3 => {
            let candidate = CANDIDATES.get(rng.below(CANDIDATES.len())).copied().unwrap_or("null");
            let value = serde_json::from_str(candidate).unwrap_or(Json::Null);
            // Into a nested record or list element half the time, so inner fields are reached too.
            match record.get_mut(&key) {
                Some(Json::Object(inner)) if rng.below(2) == 0 => {
                    let inner_keys: Vec<String> = inner.keys().cloned().collect();
                    if let Some(k) = inner_keys.get(rng.below(inner_keys.len())) {
                        inner.insert(k.clone(), value);
                    }
                }
                Some(Json::Array(items)) if !items.is_empty() && rng.below(2) == 0 => {
                    let i = rng.below(items.len());
                    match items.get_mut(i) {
                        Some(Json::Object(inner)) => {
                            let inner_keys: Vec<String> = inner.keys().cloned().collect();
                            if let Some(k) = inner_keys.get(rng.below(inner_keys.len())) {
                                inner.insert(k.clone(), value);
                            }
                        }
                        Some(slot) => *slot = value,
                        None => {}
                    }
                }
                _ => {
                    record.insert(key, value);
                }
            }
        }
        4 => {
            record.insert(key, Json::Null);
        }
        _ => {
            // Reordered fields read the same.
            let mut entries: Vec<(String, Json)> = std::mem::take(record).into_iter().collect();
            entries.reverse();
            record.extend(entries);
        }
    }
}

/// Text-level slips the value-level mutations cannot make: a key twice, a cut line, trailing text.
fn slip(rng: &mut Rng, text: &str) -> String {
    let cut = text.char_indices().map(|(i, _)| i).nth(rng.below(text.chars().count())).unwrap_or(0);
    match rng.below(4) {
        0 => text.replacen("\"编号\"", "\"编号\": \"dup\", \"编号\"", 1),
        1 => text.get(..cut).unwrap_or_default().to_string(),
        2 => format!("{text} x"),
        _ => text.replacen("\"学历\"", "\"\\u5b66\\u5386\"", 1),
    }
}

fn agree(policy: &Policy, text: &str, what: &str) {
    let fast = read_record(policy, text);
    let careful = read_record_carefully(policy, text);
    assert_eq!(fast, careful, "{what}: {text}");
}

#[test]
fn the_decoder_reads_every_good_record_as_the_careful_reader_does() {
    let mut records: Vec<String> = gen::generate(2000, 11).collect();
    let public = common::read(&common::root().join("tests/golden/public-applicants.jsonl"));
    records.extend(public.lines().map(str::to_string));
    for (version, (_, compiled)) in [("2020", common::policy_2020()), ("2015", common::policy_2015())] {
        let policy = &compiled.policy;
        for (i, text) in records.iter().enumerate() {
            let careful = read_record_carefully(policy, text);
            let Ok(expected) = careful else { panic!("{version} record {} should read: {careful:?}", i + 1) };
            let decoded = decode(policy, text).unwrap_or_else(|| panic!("{version} record {} not decoded", i + 1));
            assert_eq!(decoded, expected, "{version} record {}", i + 1);
        }
    }
}

#[test]
fn on_every_mutated_record_the_answer_is_the_careful_readers() {
    let mut rng = Rng(2026);
    let records: Vec<String> = gen::generate(1500, 5).collect();
    let (mut refused, mut read) = (0, 0);
    for (version, (_, compiled)) in [("2020", common::policy_2020()), ("2015", common::policy_2015())] {
        let policy = &compiled.policy;
        for (i, text) in records.iter().enumerate() {
            for _ in 0..8 {
                let Ok(Json::Object(mut record)) = serde_json::from_str::<Json>(text) else { continue };
                for _ in 0..=rng.below(3) {
                    mutate(&mut rng, &mut record);
                }
                let mutated = Json::Object(record).to_string();
                agree(policy, &mutated, &format!("{version} record {} mutated", i + 1));
                match read_record(policy, &mutated) {
                    Ok(_) => read += 1,
                    Err(_) => refused += 1,
                }
            }
            let slipped = slip(&mut rng, text);
            agree(policy, &slipped, &format!("{version} record {} slipped", i + 1));
        }
    }
    // Both kinds must be well represented, or the test proves little.
    assert!(refused > 10_000 && read > 4_000, "refused {refused}, read {read}");
}

#[test]
fn blank_huge_and_odd_lines_get_the_careful_readers_words() {
    let (_, compiled) = common::policy_2020();
    let policy = &compiled.policy;
    let huge = format!("{{\"编号\": \"{}\"}}", "x".repeat(jifen::data::MAX_RECORD_BYTES));
    for text in ["", " ", "[]", "null", "1", "\"x\"", "{}", "{\"编号\": 1}", &huge, "\u{feff}{}"] {
        agree(policy, text, "odd line");
        assert!(decode(policy, text).is_none(), "{text:.40}");
    }
}
