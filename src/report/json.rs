//! The machine contract of `reference/README.md` (`eval --format json|jsonl`).

use crate::data::{Applicant, RecordError};
use crate::eval::decide::{Reason, Status};
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::Policy;
use serde_json::{json, Map, Value as Json};

/// The contract's object for one evaluated applicant, as a JSON tree (for pretty printing and for
/// documents that embed it): the encoder's bytes, read back, so the two can never differ.
pub fn evaluation(policy: &Policy, applicant: &Applicant, eval: &Evaluation) -> Json {
    let mut out = Vec::new();
    Encoder::new(policy).evaluation(&mut out, &applicant.id, eval);
    // The encoder writes well-formed JSON; Null would only stand for a fault in it, which the
    // encoder's tests compare against.
    serde_json::from_slice(&out).unwrap_or(Json::Null)
}

/// Writes the contract's compact JSON straight into a buffer, with no intermediate tree: the parts
/// that never change for a policy (its name, each item's id, category and citations, each purpose's
/// and route's key) are rendered once, and each record adds only its own values.
pub struct Encoder {
    /// `{"policy":{"name":…,"version":…},"applicant":`
    head: Vec<u8>,
    /// Per item: `{"id":…,"category":…,"points":` and `,"cites":[…]}`.
    items: Vec<(Vec<u8>, Vec<u8>)>,
    /// Per purpose: `"name":{"status":`.
    purposes: Vec<Vec<u8>>,
    /// Per route: `"id":{"status":`.
    routes: Vec<Vec<u8>>,
}

fn string(out: &mut Vec<u8>, s: &str) {
    // serde_json's own escaping, so the bytes are the ones its tree would print.
    let _ = serde_json::to_writer(&mut *out, s);
}

fn decimal(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    string(out, &canonical(d));
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it.
fn date(out: &mut Vec<u8>, d: chrono::NaiveDate) {
    use chrono::Datelike;
    use std::io::Write;
    let _ = if (0..=9999).contains(&d.year()) {
        write!(out, "\"{:04}-{:02}-{:02}\"", d.year(), d.month(), d.day())
    } else {
        write!(out, "\"{}\"", d.format("%Y-%m-%d"))
    };
}

fn reasons(out: &mut Vec<u8>, reasons: &[Reason]) {
    out.push(b'[');
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"cite\":");
        string(out, &r.cite);
        out.extend_from_slice(b",\"message\":");
        string(out, &r.message);
        out.push(b'}');
    }
    out.push(b']');
}

fn status(out: &mut Vec<u8>, s: Status) {
    string(out, s.code());
}

impl Encoder {
    pub fn new(policy: &Policy) -> Self {
        let mut head = b"{\"policy\":{\"name\":".to_vec();
        string(&mut head, &policy.name);
        head.extend_from_slice(b",\"version\":");
        string(&mut head, &policy.version);
        head.extend_from_slice(b"},\"applicant\":");
        let items = policy
            .items
            .iter()
            .map(|item| {
                let mut prefix = b"{\"id\":".to_vec();
                string(&mut prefix, &item.id);
                prefix.extend_from_slice(b",\"category\":");
                string(&mut prefix, item.category.zh());
                prefix.extend_from_slice(b",\"points\":");
                let mut suffix = b",\"cites\":[".to_vec();
                for (i, c) in item.provenance.cites.iter().enumerate() {
                    if i > 0 {
                        suffix.push(b',');
                    }
                    string(&mut suffix, &c.to_string());
                }
                suffix.extend_from_slice(b"]}");
                (prefix, suffix)
            })
            .collect();
        let key = |name: &str| {
            let mut k = Vec::new();
            string(&mut k, name);
            k.extend_from_slice(b":{\"status\":");
            k
        };
        Encoder {
            head,
            items,
            purposes: policy.purposes.iter().map(|p| key(&p.name)).collect(),
            routes: policy.routes.iter().map(|r| key(&r.id)).collect(),
        }
    }

    /// Append one applicant's object (no newline).
    pub fn evaluation(&self, out: &mut Vec<u8>, applicant: &str, eval: &Evaluation) {
        out.extend_from_slice(&self.head);
        string(out, applicant);
        out.extend_from_slice(b",\"as_of\":");
        date(out, eval.as_of);
        out.extend_from_slice(b",\"score\":{\"base\":");
        decimal(out, eval.base);
        out.extend_from_slice(b",\"bonus\":");
        decimal(out, eval.bonus);
        out.extend_from_slice(b",\"deduction\":");
        decimal(out, eval.deduction);
        out.extend_from_slice(b",\"items\":[");
        // The evaluation holds one result per item of the policy, in the policy's order.
        for (i, (r, (prefix, suffix))) in eval.items.iter().zip(&self.items).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(prefix);
            decimal(out, r.points);
            out.extend_from_slice(suffix);
        }
        out.extend_from_slice(b"]},\"purposes\":{");
        for (i, (p, key)) in eval.purposes.iter().zip(&self.purposes).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            status(out, p.decision.status);
            out.extend_from_slice(b",\"total\":");
            decimal(out, p.total);
            out.extend_from_slice(b",\"reasons\":");
            reasons(out, &p.decision.reasons);
            out.push(b'}');
        }
        out.extend_from_slice(b"},\"routes\":{");
        for (i, (r, key)) in eval.routes.iter().zip(&self.routes).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key);
            status(out, r.decision.status);
            out.extend_from_slice(b",\"reasons\":");
            reasons(out, &r.decision.reasons);
            out.push(b'}');
        }
        out.extend_from_slice(b"},\"warnings\":");
        reasons(out, &eval.warnings);
        out.push(b'}');
    }
}

/// A record that could not be read or evaluated, in its place in the output.
pub fn error(err: &RecordError, line: Option<usize>) -> Json {
    let mut m = Map::new();
    m.insert("applicant".into(), err.applicant.clone().map(Json::String).unwrap_or(Json::Null));
    m.insert("error".into(), Json::String(err.message.clone()));
    if let Some(n) = line {
        m.insert("line".into(), json!(n));
    }
    Json::Object(m)
}
