//! The machine contract of `reference/README.md` (`eval --format json|jsonl`).

use crate::data::{Applicant, RecordError};
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::Policy;
use serde_json::{json, Map, Value as Json};

pub fn evaluation(policy: &Policy, applicant: &Applicant, eval: &Evaluation) -> Json {
    let items: Vec<Json> = eval
        .items
        .iter()
        .map(|r| {
            let cites: Vec<String> = policy
                .items
                .iter()
                .find(|i| i.id == r.id)
                .map(|i| i.provenance.cites.iter().map(|c| c.to_string()).collect())
                .unwrap_or_default();
            json!({"id": r.id, "category": r.category.zh(), "points": canonical(r.points), "cites": cites})
        })
        .collect();
    json!({
        "policy": {"name": policy.name, "version": policy.version},
        "applicant": applicant.id,
        "as_of": eval.as_of.format("%Y-%m-%d").to_string(),
        "score": {
            "base": canonical(eval.base),
            "bonus": canonical(eval.bonus),
            "deduction": canonical(eval.deduction),
            "items": items,
        },
        "purposes": Json::Object(eval.purposes.iter().map(|p| {
            (p.name.clone(), json!({
                "status": p.decision.status,
                "total": canonical(p.total),
                "reasons": p.decision.reasons,
            }))
        }).collect()),
        "routes": Json::Object(eval.routes.iter().map(|r| {
            (r.id.clone(), json!({"status": r.decision.status, "reasons": r.decision.reasons}))
        }).collect()),
        "warnings": eval.warnings,
    })
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
