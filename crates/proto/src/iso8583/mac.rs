//! Field 64 MACs: the CUP POS "ECB" MAC, ANSI X9.9 and ANSI X9.19 (retail MAC), computed over
//! the MAC block (MTI through field 63; never length prefix, TPDU or header).
//!
//! Keys live in [`MacKey`], which has no `Serialize` and whose `Debug` shows only the length.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::codec::FieldValue;
use super::des_key::{DesCipher, DesKeyBytes, DesKeyProblem};
use super::dialect::Dialect;
use super::error::{DecodeError, EncodeError};
use super::framing::{write_frame, Envelope};
use super::message::{decode, Message};
use crate::i18n::Text;

/// How field 64 is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum MacAlgorithm {
    /// CUP POS ECB MAC: XOR of all blocks, two encryptions of its hex form; 8 ASCII hex
    /// characters in field 64. Key 8 bytes (DES) or 16 bytes (3DES).
    #[default]
    #[serde(rename = "cup_ecb")]
    CupEcb,
    /// ANSI X9.9: single-DES CBC-MAC, zero IV, zero padding. Key 8 bytes.
    #[serde(rename = "x9_9")]
    X99,
    /// ANSI X9.19 retail MAC: DES CBC with the left key, then decrypt right / encrypt left.
    /// Key 16 bytes.
    #[serde(rename = "x9_19")]
    X919,
}

impl MacAlgorithm {
    pub fn name(self) -> &'static str {
        match self {
            MacAlgorithm::CupEcb => "CUP-ECB",
            MacAlgorithm::X99 => "ANSI X9.9",
            MacAlgorithm::X919 => "ANSI X9.19",
        }
    }

    fn key_lengths(self) -> &'static [usize] {
        match self {
            MacAlgorithm::CupEcb => &[8, 16],
            MacAlgorithm::X99 => &[8],
            MacAlgorithm::X919 => &[16],
        }
    }
}

/// A MAC key (MAK). Never printed: `Debug` shows the length only; bytes are zeroed on drop
/// (best effort).
#[derive(Clone, PartialEq, Eq)]
pub struct MacKey(DesKeyBytes);

impl From<DesKeyProblem> for MacError {
    fn from(p: DesKeyProblem) -> Self {
        match p {
            DesKeyProblem::Length { got } => MacError::KeyLength { got },
            DesKeyProblem::NotHex => MacError::KeyNotHex,
        }
    }
}

impl MacKey {
    /// A key of 8 (single DES) or 16 (double-length) bytes.
    pub fn new(bytes: &[u8]) -> Result<Self, MacError> {
        Ok(MacKey(DesKeyBytes::new(bytes)?))
    }

    /// A key from hex (spaces allowed), e.g. a configured test key.
    pub fn from_hex(s: &str) -> Result<Self, MacError> {
        Ok(MacKey(DesKeyBytes::from_hex(s)?))
    }

    pub fn len(&self) -> usize {
        self.0.bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.bytes().is_empty()
    }
}

impl fmt::Debug for MacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacKey(<{} bytes>)", self.len())
    }
}

/// Why a MAC could not be computed or checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacError {
    #[error("MAC key has {got} bytes: use 8 (DES) or 16 (double-length) bytes")]
    KeyLength { got: usize },
    #[error("{algorithm} needs a key of {needed:?} bytes, got {got}: check the profile's key")]
    KeyForAlgorithm {
        algorithm: &'static str,
        needed: &'static [usize],
        got: usize,
    },
    #[error("MAC key is not hex: write it as 16 or 32 hex digits")]
    KeyNotHex,
    #[error("field 64 must be the last field to carry the MAC (remove fields above 64)")]
    MacNotLast,
    #[error("the message has no field 64 (MAC)")]
    NoMacField,
    #[error("cannot encode the message: {0}")]
    Encode(#[from] EncodeError),
    #[error("cannot decode the message: {0}")]
    Decode(#[from] DecodeError),
}

impl MacError {
    pub fn text(&self) -> Text {
        let zh = match self {
            MacError::KeyLength { got } => {
                format!("MAC密钥为 {got} 字节：请使用 8 字节 (DES) 或 16 字节 (双倍长)")
            }
            MacError::KeyForAlgorithm {
                algorithm,
                needed,
                got,
            } => {
                format!("{algorithm} 需要 {needed:?} 字节的密钥，当前为 {got}：请检查配置中的密钥")
            }
            MacError::KeyNotHex => "MAC密钥不是十六进制：请写成 16 或 32 位十六进制数".into(),
            MacError::MacNotLast => {
                "域 64 必须是最后一个域才能携带 MAC（请去掉 64 以上的域）".into()
            }
            MacError::NoMacField => "报文没有域 64 (MAC)".into(),
            MacError::Encode(e) => format!("无法编码报文：{}", e.text().zh),
            MacError::Decode(e) => format!("无法解码报文：{}", e.text().zh),
        };
        Text::new(zh, self.to_string())
    }
}

/// The MAB cut into 8-byte blocks, the last padded with `00` (at least one block).
fn blocks(mab: &[u8]) -> Vec<[u8; 8]> {
    let mut out: Vec<[u8; 8]> = mab
        .chunks(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b.iter_mut().zip(c).for_each(|(d, s)| *d = *s);
            b
        })
        .collect();
    if out.is_empty() {
        out.push([0; 8]);
    }
    out
}

fn xor(a: [u8; 8], b: [u8; 8]) -> [u8; 8] {
    let mut o = a;
    o.iter_mut().zip(b).for_each(|(x, y)| *x ^= y);
    o
}

fn hex16(block: [u8; 8]) -> [u8; 16] {
    let mut out = [0u8; 16];
    out.iter_mut()
        .zip(hex::encode_upper(block).bytes())
        .for_each(|(d, s)| *d = s);
    out
}

fn halves(h: [u8; 16]) -> ([u8; 8], [u8; 8]) {
    let mut l = [0u8; 8];
    let mut r = [0u8; 8];
    l.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
    r.copy_from_slice(h.get(8..).unwrap_or(&[0; 8]));
    (l, r)
}

fn cbc(cipher: &DesCipher, mab: &[u8]) -> [u8; 8] {
    blocks(mab)
        .into_iter()
        .fold([0u8; 8], |acc, b| cipher.encrypt(xor(acc, b)))
}

/// The 8 bytes that go into field 64 for `mab`.
pub fn compute(algorithm: MacAlgorithm, key: &MacKey, mab: &[u8]) -> Result<[u8; 8], MacError> {
    if !algorithm.key_lengths().contains(&key.len()) {
        return Err(MacError::KeyForAlgorithm {
            algorithm: algorithm.name(),
            needed: algorithm.key_lengths(),
            got: key.len(),
        });
    }
    match algorithm {
        MacAlgorithm::CupEcb => {
            let cipher = cipher(key.0.bytes())?;
            let folded = blocks(mab).into_iter().fold([0u8; 8], xor);
            let (left, right) = halves(hex16(folded));
            let step = cipher.encrypt(xor(cipher.encrypt(left), right));
            Ok(halves(hex16(step)).0)
        }
        MacAlgorithm::X99 => Ok(cbc(&cipher(key.0.bytes())?, mab)),
        MacAlgorithm::X919 => {
            let left = cipher(key.0.bytes().get(..8).unwrap_or_default())?;
            let right = cipher(key.0.bytes().get(8..).unwrap_or_default())?;
            Ok(left.encrypt(right.decrypt(cbc(&left, mab))))
        }
    }
}

/// True when `mac` (field 64's bytes) is right for `mab`.
pub fn verify(
    algorithm: MacAlgorithm,
    key: &MacKey,
    mab: &[u8],
    mac: &[u8],
) -> Result<bool, MacError> {
    let expected = compute(algorithm, key, mab)?;
    // Compare without an early exit so timing does not tell how many bytes matched.
    let same_len = mac.len() == expected.len();
    let diff = expected
        .iter()
        .zip(mac)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    Ok(same_len && diff == 0)
}

/// Encodes `message` with field 64 set to its MAC under the dialect's algorithm.
pub fn sign(message: &Message, dialect: &Dialect, key: &MacKey) -> Result<Vec<u8>, MacError> {
    sign_with(message, dialect, &Envelope::from_dialect(dialect), key)
}

/// Like [`sign`] with a given TPDU/header.
pub fn sign_with(
    message: &Message,
    dialect: &Dialect,
    envelope: &Envelope,
    key: &MacKey,
) -> Result<Vec<u8>, MacError> {
    if message.fields.keys().any(|n| *n > 64) {
        return Err(MacError::MacNotLast);
    }
    let mut m = message.clone();
    m.set(64, FieldValue::binary([0u8; 8]));
    let mut body = m.encode_body(dialect)?;
    let mab_len = body.len().saturating_sub(8);
    let mac = compute(dialect.mac, key, body.get(..mab_len).unwrap_or_default())?;
    body.truncate(mab_len);
    body.extend(mac);
    Ok(write_frame(dialect, envelope, &body)?)
}

/// Checks field 64 of a received frame.
pub fn verify_frame(dialect: &Dialect, key: &MacKey, input: &[u8]) -> Result<bool, MacError> {
    let decoded = decode(dialect, input)?;
    let field = decoded.field(64).ok_or(MacError::NoMacField)?;
    let mac = input.get(field.data.clone()).unwrap_or_default();
    let mab = decoded.mac_block(input).unwrap_or_default();
    verify(dialect.mac, key, mab, mac)
}

/// The block cipher of a MAC key, or why the key does not fit.
fn cipher(key: &[u8]) -> Result<DesCipher, MacError> {
    DesCipher::new(key).ok_or(MacError::KeyLength { got: key.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(h: &str) -> MacKey {
        MacKey::from_hex(h).unwrap_or_else(|e| panic!("{e}"))
    }

    const MAB: [u8; 10] = [0x02, 0x00, 0x70, 0x24, 0x06, 0xC0, 0x20, 0xC1, 0x9A, 0x31];

    #[test]
    fn reference_vectors() {
        let k1 = key("0123456789ABCDEF");
        let k2 = key("0123456789ABCDEF FEDCBA9876543210");
        assert_eq!(
            compute(MacAlgorithm::CupEcb, &k1, &MAB).ok(),
            Some(*b"D0216A1B")
        );
        assert_eq!(
            compute(MacAlgorithm::X919, &k2, &MAB)
                .map(hex::encode_upper)
                .ok(),
            Some("D52DA796BD156E8B".into())
        );
        assert_eq!(
            compute(MacAlgorithm::X99, &k1, &MAB)
                .map(hex::encode_upper)
                .ok(),
            Some("F98E0B5C50B84469".into())
        );
    }

    #[test]
    fn keys_are_not_printed() {
        let k = key("0123456789ABCDEF");
        assert_eq!(format!("{k:?}"), "MacKey(<8 bytes>)");
    }

    #[test]
    fn wrong_keys_refused() {
        assert_eq!(
            MacKey::new(&[1; 7]).err(),
            Some(MacError::KeyLength { got: 7 })
        );
        assert!(MacKey::from_hex("zz").is_err());
        let k1 = key("0123456789ABCDEF");
        assert!(compute(MacAlgorithm::X919, &k1, &MAB).is_err());
        let k2 = key("0123456789ABCDEFFEDCBA9876543210");
        assert!(compute(MacAlgorithm::X99, &k2, &MAB).is_err());
        assert!(compute(MacAlgorithm::CupEcb, &k2, &MAB).is_ok());
    }

    #[test]
    fn verify_rejects_a_changed_mac() {
        let k = key("0123456789ABCDEF");
        assert_eq!(
            verify(MacAlgorithm::CupEcb, &k, &MAB, b"D0216A1B"),
            Ok(true)
        );
        assert_eq!(
            verify(MacAlgorithm::CupEcb, &k, &MAB, b"D0216A1C"),
            Ok(false)
        );
        assert_eq!(verify(MacAlgorithm::CupEcb, &k, &MAB, b"D0216A"), Ok(false));
    }
}
