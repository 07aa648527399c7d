//! Serde helper: bytes as a lowercase hex string (`#[serde(with = "crate::proto::hex_bytes")]`).
//!
//! Here rather than in `event` so codecs can use it without depending on the layers above.

use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(b))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let s = String::deserialize(d)?;
    hex::decode(s).map_err(serde::de::Error::custom)
}
