//! `explain --format json`: the explanation as data, for another program to render. Everything the
//! text explanation says is here — each item with the applicant's facts it read, every step of its
//! arithmetic, its citations and whether its figures are modelled; each purpose and route with
//! every clause, its outcome, the facts and steps behind it and the article it cites — and each
//! step, item and clause carries the span of the policy text it came from.

use crate::data::Applicant;
use crate::eval::decide::{Decision, Outcome, Reason};
use crate::eval::trace::{Fact, Step};
use crate::eval::value::canonical;
use crate::eval::Evaluation;
use crate::ir::{ClauseDef, ClauseKind, Compiled, NodeId, RouteBody};
use crate::report::json::provenance;
use crate::syntax::span::{SourceMap, Span};
use serde_json::{json, Value as Json};

/// The explanation of one applicant's evaluation as one JSON object.
pub fn explanation(compiled: &Compiled, sources: &SourceMap, applicant: &Applicant, eval: &Evaluation) -> Json {
    let policy = &compiled.policy;
    let at = |node: NodeId| source(compiled, sources, node);
    let items: Vec<Json> = eval
        .items
        .iter()
        .map(|r| {
            let def = policy.items.iter().find(|i| i.id == r.id);
            json!({
                "id": r.id,
                "title": def.and_then(|d| d.title.clone()),
                "category": r.category.zh(),
                "points": canonical(r.points),
                // Before the item's cap (最高) took its part, when it did.
                "uncapped": r.uncapped.map(canonical),
                "cap": def.and_then(|d| d.cap).map(canonical),
                "cites": def.map(|d| d.provenance.cites.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
                "modelled": def.and_then(|d| d.provenance.modelled.clone()),
                "facts": facts(&r.trace.facts),
                "steps": steps(&r.trace.steps, &at),
                "source": def.map(|d| at(d.body.node)),
            })
        })
        .collect();
    let purposes: Vec<Json> = eval
        .purposes
        .iter()
        .map(|p| {
            let def = policy.purposes.iter().find(|d| d.name == p.name);
            json!({
                "name": p.name,
                "title": def.and_then(|d| d.title.clone()),
                "status": p.decision.status.code(),
                "status_zh": p.decision.status.zh(),
                "total": canonical(p.total),
                "counts": p.categories.iter().map(|c| c.zh()).collect::<Vec<_>>(),
                "counts_cite": def.and_then(|d| d.categories_cite.as_ref()).map(|c| c.to_string()),
                "reasons": reasons(&p.decision.reasons, compiled),
                "clauses": clauses(&p.decision, def.map(|d| d.clauses.as_slice()).unwrap_or(&[]), compiled, &at),
            })
        })
        .collect();
    let routes: Vec<Json> = eval
        .routes
        .iter()
        .map(|r| {
            let def = policy.routes.iter().find(|d| d.id == r.id);
            let defs = match def.map(|d| &d.body) {
                Some(RouteBody::Clauses { clauses, .. }) => clauses.as_slice(),
                // A route that repeats a purpose shows the purpose's clauses under the purpose.
                Some(RouteBody::SameAs(_)) | None => &[],
            };
            json!({
                "id": r.id,
                "title": def.and_then(|d| d.title.clone()),
                "status": r.decision.status.code(),
                "status_zh": r.decision.status.zh(),
                "same_as": r.same_as,
                "reasons": reasons(&r.decision.reasons, compiled),
                "clauses": if r.same_as.is_some() { Vec::new() } else { clauses(&r.decision, defs, compiled, &at) },
            })
        })
        .collect();
    json!({
        "policy": provenance(&crate::ir::Origin::of(policy)),
        "applicant": {"id": applicant.id, "label": applicant.label},
        "as_of": eval.as_of.format("%Y-%m-%d").to_string(),
        "warnings": reasons(&eval.warnings, compiled),
        "score": {
            "base": canonical(eval.base),
            "bonus": canonical(eval.bonus),
            "deduction": canonical(eval.deduction),
        },
        "items": items,
        "purposes": purposes,
        "routes": routes,
        "modelled_note": crate::report::explain::modelled_note(policy),
        // The counter's page as data: the verdicts, the total, each condition and item in the
        // law's words (with ※ and the modelled values they rest on), as `explain` prints them.
        "page": serde_json::to_value(crate::report::counter::Page::of(compiled, applicant, eval)).unwrap_or(Json::Null),
    })
}

/// Where a node was written: file, 1-based line and column (in characters) of its start and end,
/// and the text of its first line. Null for a node the span table does not hold.
fn source(compiled: &Compiled, sources: &SourceMap, node: NodeId) -> Json {
    let Some(span) = compiled.spans.get(node) else { return Json::Null };
    let (line, column) = sources.line_col(span);
    let (end_line, end_column) = sources.line_col(Span::new(span.file, span.end as usize, span.end as usize));
    json!({
        "file": sources.file(span.file).map(|f| f.path.clone()),
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "text": sources.line_text(span).trim(),
    })
}

fn facts(facts: &[Fact]) -> Vec<Json> {
    facts.iter().map(|f| json!({"path": f.path, "value": f.value})).collect()
}

fn steps(steps: &[Step], at: &dyn Fn(NodeId) -> Json) -> Vec<Json> {
    steps.iter().map(|s| json!({"text": s.text, "source": at(s.node), "steps": self::steps(&s.children, at)})).collect()
}

fn reason(r: &Reason, compiled: &Compiled) -> Json {
    json!({"cite": r.cite.as_ref(), "message": r.message(&compiled.policy)})
}

fn reasons(reasons: &[Reason], compiled: &Compiled) -> Vec<Json> {
    reasons.iter().map(|r| reason(r, compiled)).collect()
}

fn clauses(decision: &Decision, defs: &[ClauseDef], compiled: &Compiled, at: &dyn Fn(NodeId) -> Json) -> Vec<Json> {
    decision
        .clauses
        .iter()
        .map(|c| {
            let def = defs.get(c.index);
            let trace = c.shown();
            json!({
                "index": c.index,
                "kind": match c.kind {
                    ClauseKind::Applies => "适用",
                    ClauseKind::Window => "期间",
                    ClauseKind::Condition => "条件",
                },
                "label": def.and_then(|d| d.label.clone()),
                "outcome": match c.outcome {
                    Outcome::Holds => "holds",
                    Outcome::Fails => "fails",
                    Outcome::Undecided => "undecided",
                },
                "test": trace.test,
                "cite": def.map(|d| d.cite.to_string()),
                "reason": c.reason.as_ref().map(|r| reason(r, compiled)),
                "facts": facts(&trace.facts),
                "steps": steps(&trace.steps, at),
                "source": def.map(|d| at(d.test.node)),
            })
        })
        .collect()
}
