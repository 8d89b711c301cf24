//! The fast reader: a record decoded straight from its JSON text into the schema's slot-indexed
//! values, in one pass, with no intermediate JSON tree and no path strings.
//!
//! It reads only records that are entirely well-formed. At the first thing it would have to
//! report — a syntax error, a duplicate or unknown key, a missing field, a wrong type, a bad date,
//! a value outside its enumeration, an escaped string it would rather not unescape — it gives up,
//! and the careful reader (`super::read_record`'s second pass) reads the record again and words
//! every fault exactly as before. So the fast path decides nothing a user sees: on a good record
//! it gives the same value, on any other it gives way.

use super::{decimal_string, exact_number, strict_date};
use crate::eval::literal;
use crate::eval::value::Value;
use crate::ir::*;
use rust_decimal::Decimal;
use serde::de::{Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::sync::Arc;

/// The record's value when the fast reader can read all of it, `None` when the careful one must.
pub(super) fn record(policy: &Policy, def: &RecordDef, text: &str) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = RecordSeed { policy, def }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// Giving way to the careful reader: the message is never shown.
fn give_way<E: serde::de::Error>() -> E {
    E::custom("")
}

#[derive(Clone, Copy)]
struct RecordSeed<'p> {
    policy: &'p Policy,
    def: &'p RecordDef,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let fields = &self.def.fields;
        let mut slots: Vec<Option<Value>> = vec![None; fields.len()];
        // Records usually list their fields in the schema's order: try the next one first.
        let mut expected = 0usize;
        while let Some(key) = map.next_key::<&'de str>()? {
            let slot = match fields.get(expected) {
                Some(f) if f.name == key => expected,
                _ => fields.iter().position(|f| f.name == key).ok_or_else(give_way::<A::Error>)?,
            };
            expected = slot + 1;
            let (Some(field), Some(place)) = (fields.get(slot), slots.get_mut(slot)) else {
                return Err(give_way());
            };
            if place.is_some() {
                return Err(give_way()); // a duplicate key
            }
            *place =
                Some(map.next_value_seed(FieldSeed { policy: self.policy, ty: &field.ty, integer: field.integer })?);
        }
        let mut values = Vec::with_capacity(fields.len());
        for (field, slot) in fields.iter().zip(slots) {
            values.push(match slot {
                Some(Value::Absent) | None => match (&field.default, &field.ty) {
                    (Some(d), _) => literal(d),
                    (None, Type::Optional(_)) => Value::Absent,
                    (None, _) => return Err(give_way()), // a required field is missing
                },
                Some(v) => v,
            });
        }
        Ok(Value::Record(Arc::new(values)))
    }
}

/// One value of a declared type; `Value::Absent` for JSON null.
#[derive(Clone, Copy)]
struct FieldSeed<'p> {
    policy: &'p Policy,
    ty: &'p Type,
    integer: bool,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        let ty = match self.ty {
            Type::Optional(inner) => inner.as_ref(),
            t => t,
        };
        match ty {
            Type::Record(r) => {
                let def = self.policy.record_def(*r).ok_or_else(give_way::<D::Error>)?;
                d.deserialize_option(Nullable(RecordSeed { policy: self.policy, def }))
            }
            Type::List(elem) => {
                let seed = FieldSeed { policy: self.policy, ty: elem, integer: self.integer };
                d.deserialize_option(Nullable(ListSeed(seed)))
            }
            _ => {
                let raw = <&'de RawValue>::deserialize(d)?;
                leaf(self.policy, ty, self.integer, raw.get()).ok_or_else(give_way)
            }
        }
    }
}

/// A record or list that may be null.
struct Nullable<S>(S);

impl<'de, S: DeserializeSeed<'de, Value = Value>> Visitor<'de> for Nullable<S> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Absent)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Absent)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.0.deserialize(d)
    }
}

struct ListSeed<'p>(FieldSeed<'p>);

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        // Only a capacity: a list of unknown length grows as it is read.
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(self.0)? {
            if v == Value::Absent {
                return Err(give_way()); // a null element is a fault
            }
            items.push(v);
        }
        Ok(Value::List(Arc::new(items)))
    }
}

/// The text of a JSON string with no escapes in it (an escaped one is left to the careful reader).
fn plain_string(raw: &str) -> Option<&str> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains('\\')).then_some(inner)
}

/// A scalar from its JSON text (already checked well-formed by the parser).
fn leaf(policy: &Policy, ty: &Type, integer: bool, raw: &str) -> Option<Value> {
    if raw == "null" {
        return Some(Value::Absent);
    }
    Some(match ty {
        Type::Text => Value::Text(Arc::from(plain_string(raw)?)),
        Type::Bool => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return None,
        },
        Type::Date => Value::Date(strict_date(plain_string(raw)?)?),
        Type::Enum(e) => {
            let name = plain_string(raw)?;
            let i = policy.enum_def(*e)?.variants.iter().position(|v| v == name)?;
            Value::Variant(*e, u32::try_from(i).ok()?)
        }
        Type::Number(_) if integer => {
            if !raw.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            Value::Num(Decimal::from(raw.parse::<u64>().ok()?))
        }
        Type::Number(_) => {
            let d = match plain_string(raw) {
                Some(s) => decimal_string(s)?,
                None if raw.starts_with('"') => return None,
                None => exact_number(raw)?,
            };
            if d < Decimal::ZERO {
                return None;
            }
            Value::Num(d)
        }
        _ => return None,
    })
}
