//! Working keys of a sign-on: the key block of field 62 in an 0810 (docs/protocols/iso8583-cup.md
//! §4.2), sealed under the terminal master key (TMK) with a 4-byte check value (KCV) after each
//! key.
//!
//! | 60.3 | keys | block |
//! |---|---|---|
//! | `001` | PIK + MAK, 8 bytes each | 24 bytes |
//! | `003` | PIK + MAK, 16 bytes each | 40 bytes |
//! | `004` | PIK + MAK + TDK, 16 bytes each | 60 bytes |
//!
//! Each key is encrypted under the TMK (DES or 3DES, ECB); its KCV is the first four bytes of
//! the clear key encrypting eight zero bytes. The decomposition "key + 4-byte KCV" is the common
//! one (unverified as normative text); acquirers differ, so this is used only with a test host
//! whose master key the profile holds. Keys never leave [`MacKey`] / [`MasterKey`], whose
//! `Debug` shows the length only.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::des_key::{DesCipher, DesKeyBytes, DesKeyProblem};
use super::mac::MacKey;
use crate::i18n::Text;

/// Which keys a sign-on asks for (60.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum KeyMode {
    /// `001`: single-length PIK and MAK.
    Single,
    /// `003`: double-length (3DES) PIK and MAK.
    #[default]
    Double,
    /// `004`: double-length PIK, MAK and track key (TDK).
    DoubleWithTdk,
}

impl KeyMode {
    /// 60.3 of the sign-on.
    pub fn network_code(self) -> &'static str {
        match self {
            KeyMode::Single => "001",
            KeyMode::Double => "003",
            KeyMode::DoubleWithTdk => "004",
        }
    }

    pub fn from_network_code(code: &str) -> Option<Self> {
        match code {
            "001" => Some(KeyMode::Single),
            "003" => Some(KeyMode::Double),
            "004" => Some(KeyMode::DoubleWithTdk),
            _ => None,
        }
    }

    /// Bytes of one key.
    pub fn key_len(self) -> usize {
        match self {
            KeyMode::Single => 8,
            KeyMode::Double | KeyMode::DoubleWithTdk => 16,
        }
    }

    /// The keys of the block, in order.
    pub fn roles(self) -> &'static [KeyRole] {
        match self {
            KeyMode::Single | KeyMode::Double => &[KeyRole::Pin, KeyRole::Mac],
            KeyMode::DoubleWithTdk => &[KeyRole::Pin, KeyRole::Mac, KeyRole::Track],
        }
    }

    /// Bytes of the whole block (keys and their check values).
    pub fn block_len(self) -> usize {
        self.roles().len() * (self.key_len() + KCV_LEN)
    }
}

/// Bytes of a key check value.
pub const KCV_LEN: usize = 4;

/// What a working key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyRole {
    Pin,
    Mac,
    Track,
}

impl KeyRole {
    pub fn text(self) -> Text {
        match self {
            KeyRole::Pin => Text::fixed("PIN密钥 (PIK)", "PIN key (PIK)"),
            KeyRole::Mac => Text::fixed("MAC密钥 (MAK)", "MAC key (MAK)"),
            KeyRole::Track => Text::fixed("磁道密钥 (TDK)", "track key (TDK)"),
        }
    }
}

/// A terminal master key (TMK) of a test host: 8 or 16 bytes, never printed, zeroed on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey(DesKeyBytes);

impl From<DesKeyProblem> for KeyBlockError {
    fn from(p: DesKeyProblem) -> Self {
        match p {
            DesKeyProblem::Length { got } => KeyBlockError::MasterKeyLength { got },
            DesKeyProblem::NotHex => KeyBlockError::MasterKeyNotHex,
        }
    }
}

impl MasterKey {
    pub fn new(bytes: &[u8]) -> Result<Self, KeyBlockError> {
        Ok(MasterKey(DesKeyBytes::new(bytes)?))
    }

    /// From hex (spaces allowed).
    pub fn from_hex(s: &str) -> Result<Self, KeyBlockError> {
        Ok(MasterKey(DesKeyBytes::from_hex(s)?))
    }

    pub fn len(&self) -> usize {
        self.0.bytes().len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.bytes().is_empty()
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey(<{} bytes>)", self.len())
    }
}

/// Why a key block could not be opened or sealed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyBlockError {
    #[error("the master key has {got} bytes: use 8 (DES) or 16 (3DES) bytes")]
    MasterKeyLength { got: usize },
    #[error("the master key is not hex: write it as 16 or 32 hex digits")]
    MasterKeyNotHex,
    #[error("the key block has {got} bytes, 60.3 = {code} needs {expected}: the acquirer uses another layout")]
    BlockLength {
        code: &'static str,
        expected: usize,
        got: usize,
    },
    #[error("a working key must have {expected} bytes, got {got}")]
    KeyLength { expected: usize, got: usize },
    #[error("{role:?} key: check value does not match after decryption — the master key is not the host's")]
    CheckValue { role: KeyRole },
}

impl KeyBlockError {
    pub fn text(&self) -> Text {
        let zh = match self {
            KeyBlockError::MasterKeyLength { got } => {
                format!("主密钥为 {got} 字节：请使用 8 字节 (DES) 或 16 字节 (3DES)")
            }
            KeyBlockError::MasterKeyNotHex => {
                "主密钥不是十六进制：请写成 16 或 32 位十六进制数".to_owned()
            }
            KeyBlockError::BlockLength {
                code,
                expected,
                got,
            } => format!(
                "密钥块为 {got} 字节，60.3 = {code} 需要 {expected} 字节：收单机构使用其他布局"
            ),
            KeyBlockError::KeyLength { expected, got } => {
                format!("工作密钥应为 {expected} 字节，实际为 {got}")
            }
            KeyBlockError::CheckValue { role } => {
                format!("{}：解密后校验值不符——主密钥与主机的不一致", role.text().zh)
            }
        };
        Text::new(zh, self.to_string())
    }
}

/// The check value of a clear key (8 or 16 bytes): the first four bytes of it encrypting zeros.
pub fn check_value(key: &[u8]) -> Option<[u8; KCV_LEN]> {
    let c = DesCipher::new(key)?.encrypt([0; 8]);
    Some([c[0], c[1], c[2], c[3]])
}

/// One key of a received block: its role, check value and whether the value matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReceivedKey {
    pub role: KeyRole,
    /// Check value as sent by the host, hex.
    pub kcv: String,
}

/// An opened key block: which keys came, with the MAC key when it could be decrypted.
#[derive(Debug, Clone)]
pub struct WorkingKeys {
    pub mode: KeyMode,
    pub keys: Vec<ReceivedKey>,
    /// The clear MAC key; `None` without a master key.
    pub mak: Option<MacKey>,
}

/// Reads a key block: without a master key only presence and check values; with one, every key
/// is decrypted and its check value verified, and the MAC key is kept.
pub fn open_key_block(
    block: &[u8],
    mode: KeyMode,
    master: Option<&MasterKey>,
) -> Result<WorkingKeys, KeyBlockError> {
    if block.len() != mode.block_len() {
        return Err(KeyBlockError::BlockLength {
            code: mode.network_code(),
            expected: mode.block_len(),
            got: block.len(),
        });
    }
    let cipher = master.and_then(|m| DesCipher::new(m.0.bytes()));
    let step = mode.key_len() + KCV_LEN;
    let mut keys = Vec::new();
    let mut mak = None;
    for (i, role) in mode.roles().iter().enumerate() {
        let at = i * step;
        let sealed = block.get(at..at + mode.key_len()).unwrap_or_default();
        let kcv = block
            .get(at + mode.key_len()..at + step)
            .unwrap_or_default();
        if let Some(c) = &cipher {
            let mut clear = c.ecb(sealed, false);
            let matches = check_value(&clear).is_some_and(|v| v.as_slice() == kcv);
            if !matches {
                clear.iter_mut().for_each(|b| *b = 0);
                return Err(KeyBlockError::CheckValue { role: *role });
            }
            if *role == KeyRole::Mac {
                mak = MacKey::new(&clear).ok();
            }
            clear.iter_mut().for_each(|b| *b = 0);
        }
        keys.push(ReceivedKey {
            role: *role,
            kcv: hex::encode_upper(kcv),
        });
    }
    Ok(WorkingKeys { mode, keys, mak })
}

/// Builds a key block from clear keys (the simulated host's side).
pub fn seal_key_block(
    clear_keys: &[Vec<u8>],
    mode: KeyMode,
    master: &MasterKey,
) -> Result<Vec<u8>, KeyBlockError> {
    let cipher = DesCipher::new(master.0.bytes())
        .ok_or(KeyBlockError::MasterKeyLength { got: master.len() })?;
    let mut out = Vec::with_capacity(mode.block_len());
    for (key, _role) in clear_keys.iter().zip(mode.roles()) {
        if key.len() != mode.key_len() {
            return Err(KeyBlockError::KeyLength {
                expected: mode.key_len(),
                got: key.len(),
            });
        }
        out.extend(cipher.ecb(key, true));
        out.extend(check_value(key).unwrap_or_default());
    }
    if out.len() != mode.block_len() {
        return Err(KeyBlockError::BlockLength {
            code: mode.network_code(),
            expected: mode.block_len(),
            got: out.len(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmk() -> MasterKey {
        MasterKey::from_hex("0123456789ABCDEF FEDCBA9876543210").expect("test key")
    }

    #[test]
    fn kcv_of_a_known_key() {
        // DES of 8 zero bytes under 0123456789ABCDEF is D5D44FF720683D0D (classic vector).
        let kcv = check_value(&hex::decode("0123456789ABCDEF").unwrap_or_default());
        assert_eq!(kcv.map(hex::encode_upper).as_deref(), Some("D5D44FF7"));
    }

    #[test]
    fn seal_then_open_every_mode() {
        for mode in [KeyMode::Single, KeyMode::Double, KeyMode::DoubleWithTdk] {
            let keys: Vec<Vec<u8>> = (0..mode.roles().len())
                .map(|i| vec![0x11 * (i as u8 + 1); mode.key_len()])
                .collect();
            let block = seal_key_block(&keys, mode, &tmk()).expect("seal");
            assert_eq!(block.len(), mode.block_len());
            let opened = open_key_block(&block, mode, Some(&tmk())).expect("open");
            assert_eq!(opened.keys.len(), mode.roles().len());
            assert_eq!(opened.mak.map(|k| k.len()), Some(mode.key_len()));
            let without = open_key_block(&block, mode, None).expect("presence");
            assert!(without.mak.is_none());
            assert_eq!(without.keys, opened.keys);
        }
    }

    #[test]
    fn wrong_master_key_is_caught_by_the_check_value() {
        let keys = vec![vec![0x22; 16], vec![0x33; 16]];
        let block = seal_key_block(&keys, KeyMode::Double, &tmk()).expect("seal");
        let other = MasterKey::from_hex("00112233445566778899AABBCCDDEEFF").expect("key");
        assert_eq!(
            open_key_block(&block, KeyMode::Double, Some(&other)).err(),
            Some(KeyBlockError::CheckValue { role: KeyRole::Pin })
        );
        assert!(matches!(
            open_key_block(&block, KeyMode::Single, None),
            Err(KeyBlockError::BlockLength { expected: 24, .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn opening_any_bytes_never_panics(
            block in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
            mode in 0usize..3,
            with_key in proptest::prelude::any::<bool>(),
        ) {
            let mode = [KeyMode::Single, KeyMode::Double, KeyMode::DoubleWithTdk][mode];
            let key = tmk();
            let _ = open_key_block(&block, mode, with_key.then_some(&key));
        }
    }

    #[test]
    fn master_key_is_not_printed() {
        assert_eq!(format!("{:?}", tmk()), "MasterKey(<16 bytes>)");
        assert!(MasterKey::from_hex("12").is_err());
    }
}
