//! Applicant records: JSON → typed values, checked against the policy's applicant schema.
//!
//! Every fault of a record is reported (joined by "；", in English by "; "), naming the field, in
//! both languages; a record that cannot be read never stops a batch. Decimals are read from their
//! text, never through binary floating point.

mod decode;
mod duplicates;
pub mod input;
mod json_error;

use crate::diag::{Lang, Msg};
use crate::eval::literal;
use crate::eval::value::Value;
use crate::ir::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::str::FromStr;
use std::sync::Arc;

/// Longest record line accepted.
pub const MAX_RECORD_BYTES: usize = 1024 * 1024;

/// An applicant's record, read against the policy's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Applicant {
    /// The record's identity (the field the schema marks 标识).
    pub id: String,
    /// The name explanations show (the field marked 称谓), when the record gives one.
    pub label: Option<String>,
    /// The evaluation date the record itself gives (its 评估日 field).
    pub as_of: NaiveDate,
    /// The record's values, typed by the schema.
    pub value: Value,
}

/// A place in an input: its line (1-based, numbered as in the input) and column (1-based, in
/// characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextAt {
    pub line: usize,
    pub column: usize,
}

/// A record that cannot be read: every fault of it, named.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// The record's id when it could be read.
    pub applicant: Option<String>,
    /// Every fault of the record, in both languages (joined by "；" and by "; ").
    pub message: Msg,
    /// Where a JSON syntax error is in the input — its line and column, which the message words
    /// too; `None` for every other fault.
    pub at: Option<TextAt>,
}

impl RecordError {
    /// A fault with no place in the input's text (every one but a JSON syntax error).
    pub fn new(applicant: Option<String>, message: Msg) -> Self {
        RecordError { applicant, message, at: None }
    }

    /// The fault as one line of a batch's report on input line `line`: `第 N 行：…` (`line N: …`),
    /// or the message alone when it gives its own line and column — the line said once.
    pub fn in_batch(&self, line: usize, lang: Lang) -> String {
        match (self.at, lang) {
            (Some(_), _) => self.message.get(lang).to_string(),
            (None, Lang::Zh) => format!("第 {line} 行：{}", self.message.zh),
            (None, Lang::En) => format!("line {line}: {}", self.message.en),
        }
    }
}

/// One input record: its line number (1-based; 1 for a single JSON object) and what was read.
pub type Read = (usize, Result<Applicant, RecordError>);

/// Read a `.jsonl` text: one result per line, blank lines included (they are invalid records).
pub fn read_jsonl(policy: &Policy, text: &str) -> Vec<Read> {
    jsonl_lines(text).map(|(n, line)| (n, read_record_at(policy, line, n))).collect()
}

/// Read JSON Lines from a reader, one record at a time (memory holds one line): the same records,
/// numbered the same, as `read_jsonl` on the whole text — a BOM before the first, CRLF line ends and
/// blank lines (invalid records) included; a line that is not UTF-8 is an invalid record.
pub fn read_jsonl_stream<'p>(policy: &'p Policy, input: impl std::io::BufRead + 'p) -> impl Iterator<Item = Read> + 'p {
    input.split(b'\n').enumerate().map(move |(i, line)| {
        let record = match line {
            Ok(bytes) => line_text(&bytes).and_then(|text| {
                let text = if i == 0 { input::document_text(text) } else { text };
                // A line without a CR (not CRLF-ended) is read as it is.
                read_record_at(policy, text.strip_suffix('\r').unwrap_or(text), i + 1)
            }),
            Err(e) => {
                Err(RecordError::new(None, Msg::new(format!("读取失败：{e}"), format!("cannot read the input: {e}"))))
            }
        };
        (i + 1, record)
    })
}

/// Line `line` of JSON Lines, given as its bytes without the line end: the record it holds, a JSON
/// syntax error placed at that line of the input.
pub fn read_jsonl_line(policy: &Policy, line: usize, bytes: &[u8]) -> Result<Applicant, RecordError> {
    line_text(bytes).and_then(|text| read_record_at(policy, text, line))
}

/// A line of JSON Lines as text. A line that is not UTF-8 is an invalid record, never read with its
/// bad bytes replaced: a replaced byte inside a name would change the record without a word.
pub fn line_text(bytes: &[u8]) -> Result<&str, RecordError> {
    std::str::from_utf8(bytes).map_err(|e| RecordError::new(None, not_utf8(e.valid_up_to() + 1)))
}

/// Text that is not UTF-8, from byte `at` (1-based) on.
pub(crate) fn not_utf8(at: usize) -> Msg {
    Msg::new(
        format!("不是 UTF-8 文本（第 {at} 个字节起无法解码）"),
        format!("not UTF-8 text (undecodable from byte {at} on)"),
    )
}

/// The records of a `.jsonl` text, one per line with its number, without reading them (a caller
/// that reads each line under two policies goes through the text once, in flat memory).
pub fn jsonl_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let text = input::document_text(text);
    // A text without a final newline has no empty last line to drop.
    let text = text.strip_suffix('\n').unwrap_or(text);
    let lines = if text.is_empty() { None } else { Some(text.split('\n')) };
    lines.into_iter().flatten().enumerate().map(|(i, line)| (i + 1, line.trim_end_matches('\r')))
}

/// Read a `.json` text: one object, or an array of objects. Each element of an array is a record
/// of its own (numbered from 1): a fault in one never affects the others. A syntax error is placed
/// at the document's own line and column.
pub fn read_json(policy: &Policy, text: &str) -> Vec<Read> {
    let text = input::document_text(text);
    if !text.trim_start().starts_with('[') {
        return vec![(1, read_record(policy, text))];
    }
    match serde_json::from_str::<Vec<Box<serde_json::value::RawValue>>>(text) {
        Ok(items) => items.iter().enumerate().map(|(i, raw)| (i + 1, read_record(policy, raw.get()))).collect(),
        Err(e) => vec![(1, Err(syntax_fault(&e, text, 1)))],
    }
}

/// A JSON syntax error as a record's fault, placed in the input (`text` starting at line `first_line`).
fn syntax_fault(e: &serde_json::Error, text: &str, first_line: usize) -> RecordError {
    let (message, at) = json_error::syntax_error(e, text, first_line);
    RecordError { applicant: None, message, at: Some(at) }
}

fn parse(text: &str, first_line: usize) -> Result<Json, RecordError> {
    if text.len() > MAX_RECORD_BYTES {
        return Err(RecordError::new(
            None,
            Msg::new(
                format!("记录过长（{} 字节，上限 {} 字节）", text.len(), MAX_RECORD_BYTES),
                format!("the record is too long ({} bytes; the limit is {} bytes)", text.len(), MAX_RECORD_BYTES),
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(RecordError::new(None, Msg::new("空行：不是 JSON 记录", "a blank line: not a JSON record")));
    }
    match duplicates::check(text) {
        Ok(()) => {}
        Err(duplicates::Fault::Duplicate(key)) => {
            return Err(RecordError::new(
                None,
                Msg::new(format!("重复的字段「{key}」"), format!("the field `{key}` is given twice")),
            ))
        }
        Err(duplicates::Fault::Syntax(e)) => return Err(syntax_fault(&e, text, first_line)),
    }
    serde_json::from_str::<Json>(text).map_err(|e| syntax_fault(&e, text, first_line))
}

/// Read one record from its JSON text. A well-formed record is decoded in one pass straight into
/// the schema's values; any other is read again by the careful reader, which names every fault —
/// the answer is `read_record_carefully`'s either way.
pub fn read_record(policy: &Policy, text: &str) -> Result<Applicant, RecordError> {
    read_record_at(policy, text, 1)
}

/// `read_record` of a text that starts at line `first_line` of its input (a line of JSON Lines):
/// a syntax error is placed at the input's line.
pub fn read_record_at(policy: &Policy, text: &str, first_line: usize) -> Result<Applicant, RecordError> {
    match decode(policy, text) {
        Some(applicant) => Ok(applicant),
        None => read_carefully_at(policy, text, first_line),
    }
}

/// The one-pass decoder alone: the applicant when the record is well-formed in every respect,
/// `None` when it needs the careful reader (which then reports its faults).
pub fn decode(policy: &Policy, text: &str) -> Option<Applicant> {
    if text.len() > MAX_RECORD_BYTES {
        return None;
    }
    let schema = policy.applicant_def()?;
    let value = decode::record(policy, schema, text)?;
    let id = id_of(schema, &value);
    finish(schema, value, id).ok()
}

/// The id a record's value gives (in its field marked 标识), as both readers take it.
fn id_of(schema: &RecordDef, value: &Value) -> Option<String> {
    schema.id_field.and_then(|i| match value_field(value, i) {
        Some(Value::Text(t)) => Some(t.to_string()),
        _ => None,
    })
}

/// Read one record through a JSON tree, collecting every fault of the record (joined by "；").
pub fn read_record_carefully(policy: &Policy, text: &str) -> Result<Applicant, RecordError> {
    read_carefully_at(policy, text, 1)
}

fn read_carefully_at(policy: &Policy, text: &str, first_line: usize) -> Result<Applicant, RecordError> {
    let json = parse(text, first_line)?;
    read_value(policy, &json)
}

fn value_field(record: &Value, index: usize) -> Option<&Value> {
    match record {
        Value::Record(fields) => fields.get(index),
        _ => None,
    }
}

fn not_an_object() -> Msg {
    Msg::new("记录不是 JSON 对象", "the record is not a JSON object")
}

pub fn read_value(policy: &Policy, json: &Json) -> Result<Applicant, RecordError> {
    let Some(schema) = policy.applicant_def() else {
        return Err(RecordError::new(
            None,
            Msg::new("政策没有申请人记录的声明", "the policy declares no applicant record"),
        ));
    };
    let Json::Object(_) = json else {
        return Err(RecordError::new(None, not_an_object()));
    };
    // The id as written, to name a record that has faults; one that has none takes its id from
    // the value read, as the one-pass reader does (a default included).
    let written_id = schema
        .id_field
        .and_then(|i| schema.fields.get(i))
        .and_then(|f| json.get(&f.name))
        .and_then(Json::as_str)
        .map(String::from);
    let mut reader = Reader { policy, faults: Vec::new() };
    let value = reader.record(schema, json, "");
    if !reader.faults.is_empty() {
        let zh: Vec<&str> = reader.faults.iter().map(|m| m.zh.as_str()).collect();
        let en: Vec<&str> = reader.faults.iter().map(|m| m.en.as_str()).collect();
        return Err(RecordError::new(written_id, Msg::new(zh.join("；"), en.join("; "))));
    }
    let id = id_of(schema, &value);
    finish(schema, value, id)
}

/// The applicant a record's value describes: its id, label and evaluation date.
fn finish(schema: &RecordDef, value: Value, id: Option<String>) -> Result<Applicant, RecordError> {
    let Value::Record(fields) = &value else {
        return Err(RecordError::new(id, not_an_object()));
    };
    let as_of = schema.as_of_field.and_then(|i| fields.get(i)).and_then(|v| match v {
        Value::Date(d) => Some(*d),
        _ => None,
    });
    let label = schema.label_field.and_then(|i| fields.get(i)).and_then(|v| match v {
        Value::Text(t) => Some(t.to_string()),
        _ => None,
    });
    let Some(as_of) = as_of else {
        return Err(RecordError::new(id, Msg::new("记录没有评估日", "the record has no evaluation date")));
    };
    // The id names the applicant in every result, ranking and same-id check: a record that does
    // not give one (its field optional and left out) is refused, never shown under a blank id.
    let Some(id) = id else {
        let message = match schema.id_field.and_then(|i| schema.fields.get(i)) {
            Some(f) => Msg::new(
                format!("记录没有标识（字段「{}」）", f.name),
                format!("the record has no id (the field `{}`)", f.name),
            ),
            None => Msg::new("政策的申请人记录没有标识字段", "the policy's applicant record has no id field"),
        };
        return Err(RecordError::new(None, message));
    };
    Ok(Applicant { id, label, as_of, value })
}

struct Reader<'p> {
    policy: &'p Policy,
    faults: Vec<Msg>,
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// What a value of a field should be, as the faults word it.
#[derive(Clone, Copy)]
enum Want {
    Text,
    Bool,
    Count,
    List,
}

impl Want {
    fn words(self) -> Msg {
        match self {
            Want::Text => Msg::new("文本", "a text"),
            Want::Bool => Msg::new("true 或 false", "true or false"),
            Want::Count => Msg::new("不小于 0 的整数", "a whole number not below 0"),
            Want::List => Msg::new("列表", "a list"),
        }
    }
}

impl Reader<'_> {
    fn fault(&mut self, m: Msg) {
        self.faults.push(m);
    }

    fn record(&mut self, def: &RecordDef, json: &Json, prefix: &str) -> Value {
        let Json::Object(map) = json else {
            self.fault(if prefix.is_empty() {
                Msg::new("「记录」应为对象", "the record should be an object")
            } else {
                Msg::new(format!("「{prefix}」应为对象"), format!("`{prefix}` should be an object"))
            });
            return Value::Absent;
        };
        for key in map.keys() {
            if !def.fields.iter().any(|f| f.name == *key) {
                let path = join(prefix, key);
                let hint = closest_field(key, def);
                self.fault(match hint {
                    Some(h) => {
                        let h = join(prefix, h);
                        Msg::new(
                            format!("未知字段「{path}」（是不是「{h}」？）"),
                            format!("unknown field `{path}` (did you mean `{h}`?)"),
                        )
                    }
                    None => Msg::new(format!("未知字段「{path}」"), format!("unknown field `{path}`")),
                });
            }
        }
        let mut values = Vec::with_capacity(def.fields.len());
        for f in &def.fields {
            let path = join(prefix, &f.name);
            let v = match map.get(&f.name) {
                None | Some(Json::Null) => match (&f.default, &f.ty) {
                    (Some(d), _) => literal(d),
                    (None, Type::Optional(_)) => Value::Absent,
                    (None, _) => {
                        self.fault(Msg::new(
                            format!("缺少必填字段「{path}」"),
                            format!("the required field `{path}` is missing"),
                        ));
                        Value::Absent
                    }
                },
                Some(j) => self.value(&f.ty, f.integer, j, &path),
            };
            values.push(v);
        }
        Value::Record(Arc::new(values))
    }

    fn value(&mut self, ty: &Type, integer: bool, j: &Json, path: &str) -> Value {
        match ty {
            Type::Optional(inner) => self.value(inner, integer, j, path),
            Type::Text => match j {
                Json::String(s) => Value::Text(Arc::from(s.as_str())),
                _ => self.wrong(path, Want::Text, j),
            },
            Type::Bool => match j {
                Json::Bool(b) => Value::Bool(*b),
                _ => self.wrong(path, Want::Bool, j),
            },
            Type::Date => match j.as_str().and_then(strict_date) {
                Some(d) => Value::Date(d),
                None => {
                    let v = short(j);
                    self.fault(Msg::new(
                        format!("「{path}」不是有效日期（应为 YYYY-MM-DD）：{v}"),
                        format!("`{path}` is not a valid date (YYYY-MM-DD expected): `{v}`"),
                    ));
                    Value::Absent
                }
            },
            Type::Enum(e) => {
                let Some(def) = self.policy.enum_def(*e) else {
                    return Value::Absent;
                };
                match j.as_str().and_then(|s| def.variants.iter().position(|v| v == s)) {
                    // An enumeration's values are written in one declaration, fewer than its
                    // MAX_DECLARATION_TOKENS tokens: the index always fits a u32.
                    Some(i) => Value::Variant(*e, u32::try_from(i).unwrap_or(u32::MAX)),
                    None => {
                        let v = short(j);
                        let quoted: Vec<String> = def.variants.iter().map(|x| format!("`{x}`")).collect();
                        self.fault(Msg::new(
                            format!("「{path}」的值 {v} 不在允许的取值中（{}）", def.variants.join("、")),
                            format!(
                                "`{path}`: the value `{v}` is not one of the allowed values ({})",
                                quoted.join(", ")
                            ),
                        ));
                        Value::Absent
                    }
                }
            }
            Type::Number(_) if integer => match j {
                Json::Number(n) => match n.as_u64() {
                    Some(x) => Value::Num(Decimal::from(x)),
                    None => {
                        self.fault(Msg::new(
                            format!("「{path}」应为不小于 0 的整数：{n}"),
                            format!("`{path}` should be a whole number not below 0: `{n}`"),
                        ));
                        Value::Absent
                    }
                },
                _ => self.wrong(path, Want::Count, j),
            },
            Type::Number(_) => {
                let exact = match j {
                    Json::Number(n) => exact_number(&n.to_string()),
                    Json::String(s) => decimal_string(s),
                    _ => None,
                };
                match exact {
                    Some(d) if d >= Decimal::ZERO => Value::Num(d),
                    _ => {
                        let v = short(j);
                        self.fault(Msg::new(
                            format!("「{path}」应为不小于 0 的数（数字或数字字符串）：{v}"),
                            format!("`{path}` should be a number not below 0 (a number, or a string of digits): `{v}`"),
                        ));
                        Value::Absent
                    }
                }
            }
            Type::Record(r) => match self.policy.record_def(*r) {
                Some(def) => self.record(def, j, path),
                None => Value::Absent,
            },
            Type::List(elem) => match j {
                Json::Array(items) => {
                    let values = items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| self.value(elem, integer, item, &format!("{path}[{}]", i + 1)))
                        .collect();
                    Value::List(Arc::new(values))
                }
                _ => self.wrong(path, Want::List, j),
            },
            Type::MonthDay | Type::EmptyList | Type::Error | Type::Never => Value::Absent,
        }
    }

    fn wrong(&mut self, path: &str, want: Want, j: &Json) -> Value {
        let (words, v) = (want.words(), short(j));
        self.fault(Msg::new(
            format!("「{path}」应为{}：{v}", words.zh),
            format!("`{path}` should be {}: `{v}`", words.en),
        ));
        Value::Absent
    }
}

fn short(j: &Json) -> String {
    let s = j.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// `YYYY-MM-DD` exactly, and a real calendar day.
pub fn strict_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    if !shape {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// A decimal read exactly from a JSON number's text (`152000.00`, `1e5`); no NaN or infinity exists here.
pub(crate) fn exact_number(s: &str) -> Option<Decimal> {
    if s.contains(['e', 'E']) {
        return Decimal::from_scientific(s).ok();
    }
    Decimal::from_str(s).ok()
}

/// A decimal string, strictly `123` or `123.45` (解释 D36): no sign, spaces, exponent or `_`.
pub(crate) fn decimal_string(s: &str) -> Option<Decimal> {
    // A decimal without a point is all integer (the "0" only passes the digit check below).
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if digits(int) && digits(frac) {
        Decimal::from_str(s).ok()
    } else {
        None
    }
}

/// The declared field closest to an unknown key, as Python's `difflib.get_close_matches(key,
/// fields, n=1, cutoff=0.6)` picks it (解释 D37): the best ratio 2·M/T, ties to the greater name.
fn closest_field<'a>(key: &str, def: &'a RecordDef) -> Option<&'a str> {
    let key: Vec<char> = key.chars().collect();
    // Ratios 2·M/T are compared as fractions, exactly: 2·M/T ≥ 0.6 ⟺ 10·M ≥ 3·T.
    def.fields
        .iter()
        .map(|f| {
            let name: Vec<char> = f.name.chars().collect();
            (matching_chars(&key, &name), (key.len() + name.len()).max(1), f.name.as_str())
        })
        .filter(|(m, t, _)| 10 * m >= 3 * t)
        .max_by(|(m1, t1, n1), (m2, t2, n2)| (m1 * t2).cmp(&(m2 * t1)).then_with(|| n1.cmp(n2)))
        .map(|(_, _, n)| n)
}

/// Characters in the matching blocks of difflib's SequenceMatcher: the longest common run (the
/// earliest one on ties), then the same on each side of it.
fn matching_chars(a: &[char], b: &[char]) -> usize {
    let (mut best_len, mut best_i, mut best_j) = (0usize, 0usize, 0usize);
    for i in 0..a.len() {
        for j in 0..b.len() {
            let run = a.iter().skip(i).zip(b.iter().skip(j)).take_while(|(x, y)| x == y).count();
            if run > best_len {
                (best_len, best_i, best_j) = (run, i, j);
            }
        }
    }
    if best_len == 0 {
        return 0;
    }
    // The run found lies within both texts, so the sides around it are always there.
    let (a_left, a_right) = (a.get(..best_i).unwrap_or(&[]), a.get(best_i + best_len..).unwrap_or(&[]));
    let (b_left, b_right) = (b.get(..best_j).unwrap_or(&[]), b.get(best_j + best_len..).unwrap_or(&[]));
    best_len + matching_chars(a_left, b_left) + matching_chars(a_right, b_right)
}
