//! The policy's audit hash: SHA-256 of its IR.
//!
//! Why the IR and not the source text: the hash names what decides, so a result can be traced to
//! the exact rules and figures that produced it. Reformatting a policy, editing its comments,
//! splitting it into other files or renaming them changes no decision and leaves the hash alone;
//! changing one figure, one condition, one article's text, one message or one of the policy's own
//! tests changes it. The IR holds no spans (they live in the span table) and is serialised as
//! JSON in declaration order (no hash maps), so the same policy always hashes the same. The IR's
//! format number is part of what is hashed: a jifen release that changes the IR's shape changes
//! the hash of every policy, and says so by bumping `IR_FORMAT`.

use super::Policy;
use sha2::{Digest as _, Sha256};
use std::fmt;

/// SHA-256 of a policy's IR, shown as `sha256:` and 64 hexadecimal digits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Digest(pub [u8; 32]);

/// Feeds serde_json's output straight into the hasher: the IR is never held as text.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Digest {
    /// The hash of `policy`'s IR (its own `digest` field is not serialised, so not hashed).
    pub fn of(policy: &Policy) -> Result<Digest, serde_json::Error> {
        let mut hashing = Hashing(Sha256::new());
        serde_json::to_writer(&mut hashing, policy)?;
        Ok(Digest(hashing.0.finalize().into()))
    }

    /// Read `sha256:…` (or the bare 64 digits), as a user copies it from an old result.
    pub fn parse(text: &str) -> Option<Digest> {
        let hex = text.trim();
        // The bare 64 digits are accepted as they are.
        let hex = hex.strip_prefix("sha256:").unwrap_or(hex);
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; 32];
        for (byte, pair) in bytes.iter_mut().zip(hex.as_bytes().chunks(2)) {
            *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
        }
        Some(Digest(bytes))
    }
}

/// Serialised as it is shown (`sha256:…`), in the IR's users (diff reports) as in the results.
impl serde::Serialize for Digest {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sha256:")?;
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// Which exact policy produced a result: its name, version and hash, and the jifen that ran it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    pub name: String,
    pub version: String,
    #[serde(rename = "hash")]
    pub digest: Digest,
}

impl Origin {
    pub fn of(policy: &Policy) -> Origin {
        Origin { name: policy.name.clone(), version: policy.version.clone(), digest: policy.digest }
    }
}

impl fmt::Display for Origin {
    /// `苏州市… 2020 · sha256:… · jifen 0.1.0`, the line a page for people carries.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} · {} · jifen {}", self.name, self.version, self.digest, crate::VERSION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digest_reads_back_as_shown() {
        let d = Digest([0xab; 32]);
        let shown = d.to_string();
        assert_eq!(shown.len(), 7 + 64);
        assert_eq!(Digest::parse(&shown), Some(d));
        assert_eq!(Digest::parse(shown.trim_start_matches("sha256:")), Some(d));
        assert_eq!(Digest::parse("sha256:abc"), None);
        assert_eq!(Digest::parse(&"é".repeat(32)), None);
    }
}
