//! Serde formats shared by codecs, events and captures: bytes as hex, times as milliseconds.

/// Serialises a `SystemTime` as milliseconds since the Unix epoch.
pub mod time_ms {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &SystemTime, s: S) -> Result<S::Ok, S::Error> {
        let ms = t
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        s.serialize_u64(ms)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<SystemTime, D::Error> {
        let ms = u64::deserialize(d)?;
        // Any u64 fits on Unix; elsewhere the platform's clock may not reach that far.
        UNIX_EPOCH
            .checked_add(Duration::from_millis(ms))
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "time {ms} ms after 1970 is beyond what this system's clock can hold"
                ))
            })
    }
}

/// Serialises bytes as a lowercase hex string.
pub mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(b))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(s).map_err(serde::de::Error::custom)
    }
}
