//! A record with a duplicate key is invalid: serde_json keeps the last value silently, so a
//! first pass walks the text and rejects any object that names a key twice.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// Why a text is not a record without duplicate keys.
pub enum Fault {
    /// An object names this key twice.
    Duplicate(String),
    /// The text is not JSON.
    Syntax(serde_json::Error),
}

/// Walks any JSON value; the first key an object names twice is kept in `found`.
#[derive(Clone, Copy)]
struct NoDuplicates<'a> {
    found: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for NoDuplicates<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for NoDuplicates<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                *self.found.borrow_mut() = Some(key);
                // The key found is the fault; this message is never shown.
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value_seed(self)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

pub fn check(text: &str) -> Result<(), Fault> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let walked = NoDuplicates { found: &found }.deserialize(&mut de).and_then(|()| de.end());
    match (walked, found.into_inner()) {
        (Ok(()), _) => Ok(()),
        (Err(_), Some(key)) => Err(Fault::Duplicate(key)),
        (Err(e), None) => Err(Fault::Syntax(e)),
    }
}
