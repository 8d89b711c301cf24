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
    // The encoder writes well-formed JSON, as its tests check. If it did not, the applicant's
    // place holds the contract's error object, never a bare null.
    serde_json::from_slice(&out).unwrap_or_else(|e| {
        let message = crate::diag::Msg::new(
            format!("内部错误：结果无法读回为 JSON（{e}），请报告此问题"),
            format!("internal error: the result does not read back as JSON ({e}); please report this"),
        );
        error(&RecordError::new(Some(applicant.id.clone()), message), None)
    })
}

/// Which exact policy produced a result, and which jifen: the `policy` object of every JSON
/// output (eval, rank, diff), so a decision can be traced to its rules years later.
pub fn provenance(p: &crate::ir::Origin) -> Json {
    json!({
        "name": p.name,
        "version": p.version,
        "hash": p.digest.to_string(),
        "jifen": crate::VERSION,
    })
}

/// Writes the contract's compact JSON straight into a buffer, with no intermediate tree: the parts
/// that never change for a policy (its name, each item's id, category and citations, each purpose's
/// and route's key) are rendered once, and each record adds only its own values.
pub struct Encoder<'p> {
    policy: &'p Policy,
    /// `{"policy":{"name":…,"version":…,"hash":…,"jifen":…},"applicant":`
    head: Vec<u8>,
    /// Per item: `{"id":…,"category":…,"points":` and `,"cites":[…]}`.
    items: Vec<(Vec<u8>, Vec<u8>)>,
    /// Per purpose: `"name":{"status":`.
    purposes: Vec<Vec<u8>>,
    /// Per route: `"id":{"status":`.
    routes: Vec<Vec<u8>>,
}

fn string(out: &mut Vec<u8>, s: &str) {
    // Nothing to escape (the usual case): the text as it is. Otherwise serde_json's own escaping,
    // so the bytes are the ones its tree would print.
    if !needs_escape(s.as_bytes()) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

/// Whether a JSON string needs escaping: a quote, a backslash or a control character in it.
/// Eight bytes at a time (the classic "has a zero byte" bit trick), since most of the output is
/// long reason messages with nothing to escape.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let chunks = bytes.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        // A byte below 0x20 has its top three bits clear; a quote or backslash XORs to zero.
        let control = has_zero(x & 0xE0E0_E0E0_E0E0_E0E0);
        let quote = has_zero(x ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(x ^ (ONES * u64::from(b'\\')));
        if control | quote | backslash != 0 {
            return true;
        }
    }
    rest.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

fn decimal(out: &mut Vec<u8>, d: rust_decimal::Decimal) {
    use std::io::Write;
    let n = d.normalize();
    // A whole number (most points are) is written from its mantissa; a fraction as canonical() does.
    let _ = if n.scale() == 0 { write!(out, "\"{}\"", n.mantissa()) } else { write!(out, "\"{}\"", canonical(n)) };
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

/// The reasons, worded here (the evaluation keeps a failed clause's values, not its words).
fn reasons(out: &mut Vec<u8>, policy: &Policy, reasons: &[Reason]) {
    out.push(b'[');
    let mut message = String::new();
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"cite\":");
        string(out, &r.cite);
        out.extend_from_slice(b",\"message\":");
        message.clear();
        r.write_message(policy, &mut message);
        string(out, &message);
        out.push(b'}');
    }
    out.push(b']');
}

fn status(out: &mut Vec<u8>, s: Status) {
    string(out, s.code());
}

impl<'p> Encoder<'p> {
    pub fn new(policy: &'p Policy) -> Self {
        // The `policy` object is the one every JSON output carries, written once per encoder.
        let mut head = b"{\"policy\":".to_vec();
        head.extend_from_slice(provenance(&crate::ir::Origin::of(policy)).to_string().as_bytes());
        head.extend_from_slice(b",\"applicant\":");
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
            policy,
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
            reasons(out, self.policy, &p.decision.reasons);
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
            reasons(out, self.policy, &r.decision.reasons);
            out.push(b'}');
        }
        out.extend_from_slice(b"},\"warnings\":");
        reasons(out, self.policy, &eval.warnings);
        out.push(b'}');
    }
}

/// A record that could not be read or evaluated, in its place in the output: the contract's
/// messages are Chinese, as its reasons are.
pub fn error(err: &RecordError, line: Option<usize>) -> Json {
    let mut m = Map::new();
    // A record whose id could not be read is named by null, as the contract says.
    m.insert("applicant".into(), err.applicant.clone().map(Json::String).unwrap_or(Json::Null));
    m.insert("error".into(), Json::String(err.message.zh.clone()));
    if let Some(n) = line {
        m.insert("line".into(), json!(n));
    }
    Json::Object(m)
}

/// A value pretty-printed as an element of a pretty-printed array: each line indented two spaces
/// (JSON strings hold no raw line breaks, so the lines are the printer's own).
pub fn array_element(value: &Json) -> Vec<u8> {
    // Printing a tree into memory cannot fail.
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"  ");
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// A pretty-printed JSON array written element by element, in flat memory: the same bytes
/// `serde_json::to_string_pretty` gives for the whole array, and a final newline.
#[derive(Debug, Default)]
pub struct ArrayWriter {
    written: usize,
}

impl ArrayWriter {
    /// Write one element, given as [`array_element`] printed it.
    pub fn element(&mut self, element: &[u8], out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
        self.written += 1;
        out.write_all(element)
    }

    /// Close the array.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })
    }
}

/// One value alone, or several as an array, decided as they come: the first value is held until a
/// second one says there is an array (memory holds one value either way).
#[derive(Debug, Default)]
pub struct OneOrArray {
    first: Option<Json>,
    array: Option<ArrayWriter>,
}

impl OneOrArray {
    /// Add a value.
    pub fn push(&mut self, value: Json, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        if let Some(array) = &mut self.array {
            return array.element(&array_element(&value), out);
        }
        match self.first.take() {
            None => self.first = Some(value),
            Some(first) => {
                let mut array = ArrayWriter::default();
                array.element(&array_element(&first), out)?;
                array.element(&array_element(&value), out)?;
                self.array = Some(array);
            }
        }
        Ok(())
    }

    /// Write what is held: the one value, the array's end, or nothing when no value came.
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        match (self.array, self.first) {
            (Some(array), _) => array.finish(out),
            (None, Some(one)) => {
                out.write_all(serde_json::to_string_pretty(&one).unwrap_or_default().as_bytes())?;
                out.write_all(b"\n")
            }
            (None, None) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::needs_escape;

    #[test]
    fn an_array_written_element_by_element_is_the_pretty_printers_array() {
        use super::{array_element, ArrayWriter};
        let values =
            [serde_json::json!({"a": [1, {"b": "x\ny"}], "c": {}}), serde_json::json!([]), serde_json::json!("z")];
        for n in 0..=values.len() {
            let part = values.get(..n).unwrap_or_default();
            let mut out = Vec::new();
            let mut array = ArrayWriter::default();
            for v in part {
                assert!(array.element(&array_element(v), &mut out).is_ok());
            }
            assert!(array.finish(&mut out).is_ok());
            let whole = serde_json::to_string_pretty(&serde_json::Value::Array(part.to_vec())).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out), format!("{whole}\n"));
        }
    }

    #[test]
    fn escaping_is_detected_at_every_position_of_a_word() {
        for len in 0..20 {
            let plain = "积".repeat(len / 3) + &"a".repeat(len % 3);
            assert!(!needs_escape(plain.as_bytes()), "{plain}");
            for at in 0..=plain.len() {
                for bad in ['"', '\\', '\n', '\u{1}', '\u{1f}'] {
                    let mut s = plain.as_bytes().to_vec();
                    let mut b = [0u8; 4];
                    s.splice(at..at, bad.encode_utf8(&mut b).bytes());
                    assert!(needs_escape(&s), "{bad:?} at {at} of {plain}");
                }
            }
        }
        // Bytes just above the control range, and DEL, need no escape.
        assert!(!needs_escape(b" !#[]~\x7f\x20\x20\x20\x20\x20\x20"));
    }
}
