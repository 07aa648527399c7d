//! DES keys for the test host's key blocks and MACs: key bytes that are never printed and are
//! zeroed when dropped (behind both the master key and the MAC key), and the DES / 2-key 3DES
//! block cipher both use.

use des::cipher::generic_array::GenericArray;
use des::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};
use des::{Des, TdesEde2};

/// 8 (single DES) or 16 (double-length) key bytes.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct DesKeyBytes(Vec<u8>);

/// Why bytes are not a DES key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DesKeyProblem {
    Length { got: usize },
    NotHex,
}

impl DesKeyBytes {
    pub(crate) fn new(bytes: &[u8]) -> Result<Self, DesKeyProblem> {
        match bytes.len() {
            8 | 16 => Ok(DesKeyBytes(bytes.to_vec())),
            got => Err(DesKeyProblem::Length { got }),
        }
    }

    /// From hex (spaces allowed).
    pub(crate) fn from_hex(s: &str) -> Result<Self, DesKeyProblem> {
        let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let bytes = hex::decode(compact).map_err(|_| DesKeyProblem::NotHex)?;
        Self::new(&bytes)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for DesKeyBytes {
    fn drop(&mut self) {
        self.0.iter_mut().for_each(|b| *b = 0);
    }
}

/// DES with an 8-byte key, two-key triple DES with a 16-byte key.
pub(crate) enum DesCipher {
    Single(Des),
    Double(TdesEde2),
}

impl DesCipher {
    /// `None` unless the key has 8 or 16 bytes.
    pub(crate) fn new(key: &[u8]) -> Option<Self> {
        match key.len() {
            8 => Des::new_from_slice(key).ok().map(DesCipher::Single),
            16 => TdesEde2::new_from_slice(key).ok().map(DesCipher::Double),
            _ => None,
        }
    }

    pub(crate) fn encrypt(&self, block: [u8; 8]) -> [u8; 8] {
        let mut b = GenericArray::from(block);
        match self {
            DesCipher::Single(c) => c.encrypt_block(&mut b),
            DesCipher::Double(c) => c.encrypt_block(&mut b),
        }
        b.into()
    }

    pub(crate) fn decrypt(&self, block: [u8; 8]) -> [u8; 8] {
        let mut b = GenericArray::from(block);
        match self {
            DesCipher::Single(c) => c.decrypt_block(&mut b),
            DesCipher::Double(c) => c.decrypt_block(&mut b),
        }
        b.into()
    }

    /// ECB over whole 8-byte blocks (key lengths are multiples of 8).
    pub(crate) fn ecb(&self, data: &[u8], encrypt: bool) -> Vec<u8> {
        data.chunks(8)
            .flat_map(|c| {
                let mut b = [0u8; 8];
                b.iter_mut().zip(c).for_each(|(d, s)| *d = *s);
                if encrypt {
                    self.encrypt(b)
                } else {
                    self.decrypt(b)
                }
            })
            .collect()
    }
}
