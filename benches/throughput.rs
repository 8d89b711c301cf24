//! `cargo bench --bench throughput [-- --quick | --huge]`: how fast jifen scores a city's applicants,
//! measured in one run on this machine, as rates and as ratios (absolute times vary between
//! machines; the ratios are what to compare between commits).
//!
//! Generated applicants (examples/gen.rs, seed 1) under the bundled 2020 policy:
//! - stages on one core: decoding a JSON line, evaluating all items, purposes and routes (no trace),
//!   the 计分标准 items alone by the interpreter and by a hand-written Rust scorer (benches/hand.rs,
//!   checked to agree on every record), writing the contract JSON;
//! - end to end (JSON Lines in → every purpose and route → the full contract out), through the
//!   library's streaming pipeline, on one core and on every core;
//! - the `jifen` binary as a user runs it: peak resident memory of `eval` over 100k and 1M records
//!   on stdin (8M with `--huge`), and `rank` over 1M records in a file (100k with `--quick`).

mod hand;

/// The allocator the `jifen` binary uses, so the stages are measured as the binary runs them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../examples/gen.rs"]
mod gen;

use jifen::batch::stream::{eval_jsonl, Options};
use jifen::data::{read_record, Applicant};
use jifen::eval::{evaluate_item_in, score, Mode};
use jifen::report::json::Encoder;
use std::hint::black_box;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fastest of three runs (the least disturbed by the rest of the machine).
fn best(mut f: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn rate(records: usize, d: Duration) -> f64 {
    records as f64 / d.as_secs_f64().max(1e-9)
}

/// `text` padded with spaces to `width` columns as a terminal shows them (a CJK character takes two).
fn pad(text: &str, width: usize) -> String {
    let shown = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

fn human(r: f64) -> String {
    if r >= 1e6 {
        format!("{:.2}M", r / 1e6)
    } else {
        format!("{:.0}k", r / 1e3)
    }
}

/// Peak resident memory (VmHWM) of a running process, polled until it exits.
fn watch(child: &mut std::process::Child) -> (u64, std::process::ExitStatus) {
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kib = 0u64;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("VmHWM:") {
                    let kib = v.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap_or(0);
                    peak_kib = peak_kib.max(kib);
                }
            }
        }
        match child.try_wait() {
            Ok(Some(status)) => return (peak_kib, status),
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return (peak_kib, std::process::ExitStatus::default()),
        }
    }
}

/// `jifen eval` over `count` generated records written to its stdin: (peak MiB, seconds).
fn eval_memory(root: &Path, count: u64) -> Option<(f64, f64)> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args(["eval", "--policy"])
        .arg(root.join("policies/suzhou/2020"))
        .args(["--input", "-", "--format", "jsonl", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let start = Instant::now();
    let feeder = std::thread::spawn(move || {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut stdin);
        for line in gen::generate(count, 1) {
            if writeln!(out, "{line}").is_err() {
                break;
            }
        }
    });
    let (peak, status) = watch(&mut child);
    let _ = feeder.join();
    status.success().then(|| (peak as f64 / 1024.0, start.elapsed().as_secs_f64()))
}

/// `jifen rank` over a file of `count` generated records: (peak MiB, seconds).
fn rank_run(root: &Path, count: u64) -> Option<(f64, f64)> {
    let path = std::env::temp_dir().join(format!("jifen-bench-{count}.jsonl"));
    if std::fs::metadata(&path).is_err() {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).ok()?);
        for line in gen::generate(count, 1) {
            writeln!(out, "{line}").ok()?;
        }
        out.flush().ok()?;
    }
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jifen"))
        .args(["rank", "--policy"])
        .arg(root.join("policies/suzhou/2020"))
        .arg("--input")
        .arg(&path)
        .args(["--purpose", "积分落户", "--quotas"])
        .arg(root.join("tests/golden/public-quotas.json"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let (peak, status) = watch(&mut child);
    let seconds = start.elapsed().as_secs_f64();
    // Exit 1 means some records could not be scored; the generated ones all can.
    status.success().then_some((peak as f64 / 1024.0, seconds))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let huge = args.iter().any(|a| a == "--huge");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = match jifen::load_policy(&root.join("policies/suzhou/2020")) {
        Ok(l) => l,
        Err(e) => return eprintln!("cannot read the policy: {e}"),
    };
    let Some(compiled) = loaded.compiled.as_ref() else { return eprintln!("the policy has errors") };
    let policy = &compiled.policy;
    let Some(hand) = hand::Hand::new(policy) else { return eprintln!("the policy is not the 2020 one") };
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());

    let n = if quick { 20_000 } else { 200_000 };
    let lines: Vec<String> = gen::generate(n as u64, 1).collect();
    let input = lines.join("\n").into_bytes();
    println!(
        "{n} generated applicants ({:.0} bytes a line), 2020 policy: {} items, {} purposes, {} routes; {jobs} cores",
        input.len() as f64 / n as f64,
        policy.items.len(),
        policy.purposes.len(),
        policy.routes.len()
    );

    let decode = best(|| {
        for l in &lines {
            let _ = black_box(read_record(policy, l));
        }
    });
    let applicants: Vec<Applicant> = lines.iter().filter_map(|l| read_record(policy, l).ok()).collect();
    let evaluate = best(|| {
        for a in &applicants {
            let _ = black_box(score(policy, &a.value, a.as_of));
        }
    });
    let interp_items = best(|| {
        for a in &applicants {
            for item in &policy.items {
                let _ = black_box(evaluate_item_in(policy, item, &a.value, a.as_of, Mode::Score));
            }
        }
    });
    let hand_items = best(|| {
        for a in &applicants {
            black_box(hand.score(black_box(&a.value), a.as_of));
        }
    });
    // The yardstick must score what the interpreter scores, or the ratio means nothing.
    let disagree = applicants
        .iter()
        .filter(|a| {
            let by_hand = hand.score(&a.value, a.as_of);
            let by_interp = policy
                .items
                .iter()
                .map(|item| evaluate_item_in(policy, item, &a.value, a.as_of, Mode::Score).map(|r| r.points).ok());
            by_interp.zip(by_hand).any(|(i, h)| i != Some(h))
        })
        .count();
    let evaluations: Vec<_> = applicants.iter().filter_map(|a| score(policy, &a.value, a.as_of).ok()).collect();
    let encoder = Encoder::new(policy);
    let mut buffer = Vec::with_capacity(4096);
    let encode = best(|| {
        for (a, e) in applicants.iter().zip(&evaluations) {
            buffer.clear();
            encoder.evaluation(&mut buffer, &a.id, e);
            black_box(&buffer);
        }
    });
    drop(evaluations);
    let end_to_end = |threads: usize| {
        best(|| {
            let opts = Options::new(threads, None);
            let _ = eval_jsonl(policy, &input[..], &mut std::io::sink(), opts, &mut |_| {});
        })
    };
    let one_core = end_to_end(1);
    let all_cores = end_to_end(jobs);

    let e2e = rate(n, one_core);
    println!();
    println!("{:<58}{:>12}{:>16}", "stage (one core unless said)", "records/s", "× end to end");
    for (stage, r) in [
        ("decode a JSON line into the schema's values", rate(n, decode)),
        ("evaluate: all items, purposes and routes, no trace", rate(n, evaluate)),
        ("  计分标准 items alone, interpreter", rate(n, interp_items)),
        ("  计分标准 items alone, hand-written Rust", rate(n, hand_items)),
        ("write the contract JSON", rate(n, encode)),
        ("end to end, JSON Lines in → contract out, 1 core", e2e),
        (&format!("end to end, {jobs} cores") as &str, rate(n, all_cores)),
    ] {
        println!("{}{:>12}{:>16.2}", pad(stage, 58), human(r), r / e2e);
    }
    println!(
        "interpreter / hand-written on the 计分标准 items: {:.2}× ({} of {} records disagree)",
        interp_items.as_secs_f64() / hand_items.as_secs_f64().max(1e-9),
        disagree,
        applicants.len()
    );
    println!("parallel speed-up on {jobs} cores: {:.2}×", one_core.as_secs_f64() / all_cores.as_secs_f64().max(1e-9));

    println!();
    println!("{:<58}{:>12}{:>16}", "the jifen binary", "peak MiB", "seconds");
    let mut sizes = vec![100_000u64];
    if !quick {
        sizes.push(1_000_000);
    }
    if huge {
        sizes.push(8_000_000);
    }
    for count in sizes {
        match eval_memory(root, count) {
            Some((mib, s)) => println!("{}{mib:>12.1}{s:>16.1}", pad(&format!("eval, {count} records on stdin"), 58)),
            None => println!("eval, {count} records: failed"),
        }
    }
    let ranked = if quick { 100_000 } else { 1_000_000 };
    match rank_run(root, ranked) {
        Some((mib, s)) => {
            println!("{}{mib:>12.1}{s:>16.1}", pad(&format!("rank 积分落户, {ranked} records in a file"), 58))
        }
        None => println!("rank, {ranked} records: failed"),
    }
}
