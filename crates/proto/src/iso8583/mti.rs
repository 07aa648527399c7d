//! The message type indicator (four decimal digits) and what it says: class, request or
//! response, and the matching response type.

use std::fmt;

use serde::{Serialize, Serializer};

/// A message type indicator such as `0200`; always four ASCII decimal digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mti([u8; 4]);

impl Mti {
    /// `None` unless `s` is exactly four decimal digits.
    pub fn new(s: &str) -> Option<Self> {
        let bytes: [u8; 4] = s.as_bytes().try_into().ok()?;
        bytes.iter().all(u8::is_ascii_digit).then_some(Mti(bytes))
    }

    /// Like [`Mti::new`], usable in constants (`const SALE: Mti = …`).
    pub const fn from_digits(d: [u8; 4]) -> Option<Self> {
        let [a, b, c, e] = d;
        if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() && e.is_ascii_digit() {
            Some(Mti(d))
        } else {
            None
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("????")
    }

    /// The two BCD bytes (`0200` → `02 00`).
    pub fn to_bcd(self) -> [u8; 2] {
        let d = self.0.map(|b| b.wrapping_sub(b'0') & 0x0F);
        [(d[0] << 4) | d[1], (d[2] << 4) | d[3]]
    }

    /// Reads two BCD bytes; `None` when a nibble is not a decimal digit.
    pub fn from_bcd(b: [u8; 2]) -> Option<Self> {
        let nibbles = [b[0] >> 4, b[0] & 0x0F, b[1] >> 4, b[1] & 0x0F];
        if nibbles.iter().any(|n| *n > 9) {
            return None;
        }
        Some(Mti(nibbles.map(|n| n + b'0')))
    }

    /// Reads four ASCII digits.
    pub fn from_ascii(b: [u8; 4]) -> Option<Self> {
        b.iter().all(u8::is_ascii_digit).then_some(Mti(b))
    }

    pub fn to_ascii(self) -> [u8; 4] {
        self.0
    }

    /// True for responses (third digit odd: 0210, 0410, 0810 …).
    pub fn is_response(self) -> bool {
        (self.0[2].wrapping_sub(b'0')) % 2 == 1
    }

    /// The request form (0210 → 0200; requests unchanged).
    pub fn request(self) -> Self {
        let mut d = self.0;
        if self.is_response() {
            d[2] = d[2].wrapping_sub(1);
        }
        Mti(d)
    }

    /// The response to this request (0200 → 0210); `None` for a response.
    pub fn response(self) -> Option<Self> {
        if self.is_response() {
            return None;
        }
        let mut d = self.0;
        d[2] = d[2].wrapping_add(1);
        Some(Mti(d))
    }
}

impl fmt::Display for Mti {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Mti {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mti({})", self.as_str())
    }
}

impl Serialize for Mti {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_and_pairs() {
        let m = Mti::new("0200").expect("valid");
        assert_eq!(m.to_bcd(), [0x02, 0x00]);
        assert_eq!(
            Mti::from_bcd([0x08, 0x10]).map(|m| m.to_string()),
            Some("0810".into())
        );
        assert_eq!(Mti::from_bcd([0x0A, 0x00]), None);
        assert_eq!(m.response().map(|r| r.to_string()), Some("0210".into()));
        assert!(Mti::new("0410").is_some_and(|r| r.is_response()));
        assert_eq!(
            Mti::new("0830").map(|r| r.request().to_string()),
            Some("0820".into())
        );
        assert_eq!(Mti::new("02x0"), None);
        assert_eq!(Mti::new("02000"), None);
    }
}
