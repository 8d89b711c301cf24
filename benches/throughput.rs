//! `cargo bench --bench throughput`: how fast the pipeline is, as ratios measured in one run on one
//! machine (absolute times vary; the ratios are what to compare between commits).
//!
//! Measures compiling the bundled 2020 policy, reading the 25 public applicants, evaluating them
//! (items, purposes, routes, with traces), and rendering their JSON and their explanations.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

fn time<T>(rounds: u32, mut f: impl FnMut() -> T) -> Duration {
    let start = Instant::now();
    for _ in 0..rounds {
        black_box(f());
    }
    start.elapsed() / rounds
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = match jifen::read_policy_dir(&root.join("policies/suzhou/2020")) {
        Ok(s) => s,
        Err(e) => return eprintln!("cannot read the policy: {e}"),
    };
    let loaded = jifen::compile(sources.clone());
    let Some(compiled) = loaded.compiled.as_ref() else {
        return eprintln!("the policy has errors");
    };
    let input = std::fs::read_to_string(root.join("tests/golden/public-applicants.jsonl")).unwrap_or_default();
    let policy = &compiled.policy;
    let applicants: Vec<_> = jifen::data::read_jsonl(policy, &input).into_iter().filter_map(|(_, r)| r.ok()).collect();
    let n = applicants.len().max(1) as u32;

    let compile = time(20, || jifen::compile(sources.clone()));
    let read = time(200, || jifen::data::read_jsonl(policy, &input)) / n;
    let evaluate =
        time(200, || applicants.iter().map(|a| jifen::eval::evaluate(policy, &a.value, a.as_of)).collect::<Vec<_>>())
            / n;
    let evaluations: Vec<_> = applicants
        .iter()
        .filter_map(|a| jifen::eval::evaluate(policy, &a.value, a.as_of).ok().map(|e| (a, e)))
        .collect();
    let json = time(200, || {
        evaluations.iter().map(|(a, e)| jifen::report::json::evaluation(policy, a, e).to_string()).collect::<Vec<_>>()
    }) / n;
    let explain = time(50, || {
        evaluations
            .iter()
            .map(|(a, e)| jifen::report::explain::explain(compiled, &loaded.sources, a, e, Default::default()))
            .collect::<Vec<_>>()
    }) / n;

    let unit = evaluate.as_secs_f64();
    println!(
        "{} applicants, policy of {} items, {} purposes, {} routes",
        n,
        policy.items.len(),
        policy.purposes.len(),
        policy.routes.len()
    );
    println!("{:<28}{:>12}{:>14}", "stage", "time", "× evaluate");
    for (stage, d) in [
        ("compile policy (once)", compile),
        ("read a record", read),
        ("evaluate a record", evaluate),
        ("JSON of a record", json),
        ("explain a record", explain),
    ] {
        println!("{:<28}{:>10.1}µs{:>14.2}", stage, d.as_secs_f64() * 1e6, d.as_secs_f64() / unit);
    }
    let per_second = if unit > 0.0 { 1.0 / (read.as_secs_f64() + unit + json.as_secs_f64()) } else { 0.0 };
    println!("eval --format jsonl ≈ {per_second:.0} records/s on one core (read + evaluate + JSON)");
}
