//! The nexo security trailer as Adyen's local Terminal API uses it (`AdyenCryptoVersion` 1):
//! keys derived from the shared passphrase, the message encrypted with AES-256-CBC into the
//! `NexoBlob`, authenticated with HMAC-SHA256 over the plaintext. See docs/protocols/nexo.md.
//!
//! Pure: no I/O, no randomness (the caller supplies the nonce), no panic on any input. The
//! passphrase and every derived key are kept out of `Debug` output.

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

type Aes256CbcEnc = cbc::Encryptor<aes::Aes256>;
type Aes256CbcDec = cbc::Decryptor<aes::Aes256>;

/// Salt of the key derivation (Adyen's libraries use this fixed string).
pub const SALT: &[u8] = b"AdyenNexoV1Salt";
/// PBKDF2-HMAC-SHA1 iterations.
pub const ITERATIONS: u32 = 4000;
pub const HMAC_KEY_LEN: usize = 32;
pub const CIPHER_KEY_LEN: usize = 32;
pub const IV_LEN: usize = 16;
/// The only crypto version the terminals speak today.
pub const CRYPTO_VERSION: u32 = 1;

/// The shared key configured on the terminal and in the cash register.
#[derive(Clone, PartialEq, Eq)]
pub struct SecurityKey {
    passphrase: String,
    pub key_identifier: String,
    pub key_version: u32,
    pub crypto_version: u32,
}

impl SecurityKey {
    pub fn new(
        passphrase: impl Into<String>,
        key_identifier: impl Into<String>,
        key_version: u32,
    ) -> Self {
        SecurityKey {
            passphrase: passphrase.into(),
            key_identifier: key_identifier.into(),
            key_version,
            crypto_version: CRYPTO_VERSION,
        }
    }

    /// The keys this passphrase derives.
    pub fn derive(&self) -> DerivedKeys {
        DerivedKeys::from_passphrase(&self.passphrase)
    }
}

impl std::fmt::Debug for SecurityKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecurityKey")
            .field("passphrase", &"<redacted>")
            .field("key_identifier", &self.key_identifier)
            .field("key_version", &self.key_version)
            .field("crypto_version", &self.crypto_version)
            .finish()
    }
}

/// HMAC key, cipher key and IV derived from a passphrase.
#[derive(Clone, PartialEq, Eq)]
pub struct DerivedKeys {
    hmac_key: [u8; HMAC_KEY_LEN],
    cipher_key: [u8; CIPHER_KEY_LEN],
    iv: [u8; IV_LEN],
}

impl std::fmt::Debug for DerivedKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DerivedKeys(<redacted>)")
    }
}

impl DerivedKeys {
    /// PBKDF2-HMAC-SHA1(passphrase, "AdyenNexoV1Salt", 4000) → 80 bytes, read as HMAC key (32),
    /// cipher key (32), IV (16). The reference library turns the passphrase into bytes as
    /// "binary" (Latin-1: the low byte of each character), so this does the same.
    pub fn from_passphrase(passphrase: &str) -> Self {
        let pass: Vec<u8> = passphrase
            .chars()
            .map(|c| (u32::from(c) & 0xFF) as u8)
            .collect();
        let mut out = [0u8; HMAC_KEY_LEN + CIPHER_KEY_LEN + IV_LEN];
        pbkdf2::pbkdf2_hmac::<sha1::Sha1>(&pass, SALT, ITERATIONS, &mut out);
        let mut keys = DerivedKeys {
            hmac_key: [0; HMAC_KEY_LEN],
            cipher_key: [0; CIPHER_KEY_LEN],
            iv: [0; IV_LEN],
        };
        let (h, rest) = out.split_at(HMAC_KEY_LEN);
        let (c, iv) = rest.split_at(CIPHER_KEY_LEN);
        keys.hmac_key.copy_from_slice(h);
        keys.cipher_key.copy_from_slice(c);
        keys.iv.copy_from_slice(iv);
        keys
    }

    /// The IV of one message: the derived IV XOR the message's random nonce.
    fn message_iv(&self, nonce: &[u8; IV_LEN]) -> [u8; IV_LEN] {
        let mut iv = self.iv;
        for (b, n) in iv.iter_mut().zip(nonce) {
            *b ^= n;
        }
        iv
    }

    /// HMAC-SHA256 of the plaintext.
    pub fn hmac(&self, plaintext: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.hmac_key)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(plaintext);
        mac.finalize().into_bytes().into()
    }

    fn verify_hmac(&self, plaintext: &[u8], received: &[u8]) -> bool {
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&self.hmac_key) else {
            return false;
        };
        mac.update(plaintext);
        mac.verify_slice(received).is_ok()
    }

    pub fn encrypt(&self, plaintext: &[u8], nonce: &[u8; IV_LEN]) -> Vec<u8> {
        Aes256CbcEnc::new(&self.cipher_key.into(), &self.message_iv(nonce).into())
            .encrypt_padded_vec_mut::<Pkcs7>(plaintext)
    }

    pub fn decrypt(&self, blob: &[u8], nonce: &[u8; IV_LEN]) -> Result<Vec<u8>, CryptoError> {
        Aes256CbcDec::new(&self.cipher_key.into(), &self.message_iv(nonce).into())
            .decrypt_padded_vec_mut::<Pkcs7>(blob)
            .map_err(|_| CryptoError::Undecryptable)
    }
}

/// `SecurityTrailer` of a protected message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityTrailer {
    #[serde(rename = "AdyenCryptoVersion")]
    pub adyen_crypto_version: u32,
    #[serde(rename = "KeyIdentifier")]
    pub key_identifier: String,
    #[serde(rename = "KeyVersion")]
    pub key_version: u32,
    /// Base64 of the 16-byte nonce.
    #[serde(rename = "Nonce")]
    pub nonce: String,
    /// Base64 of the HMAC-SHA256 of the plaintext.
    #[serde(rename = "Hmac")]
    pub hmac: String,
}

/// Why a protected message could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("{field} is not valid base64")]
    BadBase64 { field: &'static str },
    #[error("the nonce has {len} bytes, not 16")]
    BadNonce { len: usize },
    #[error(
        "the message was protected with key '{got_id}' version {got_version}, \
         but the key given is '{want_id}' version {want_version}: configure the same shared key on both sides"
    )]
    KeyMismatch {
        got_id: String,
        got_version: u32,
        want_id: String,
        want_version: u32,
    },
    #[error("AdyenCryptoVersion {0} is not supported (only 1)")]
    UnsupportedVersion(u32),
    #[error("the NexoBlob does not decrypt with this passphrase (wrong passphrase?)")]
    Undecryptable,
    #[error("the HMAC does not match: wrong passphrase, or the message was altered")]
    HmacMismatch,
}

/// Encrypts `plaintext` (the whole `{"SaleToPOIRequest": …}` JSON) with `nonce`; returns the
/// blob (base64) and the trailer.
pub fn seal(
    key: &SecurityKey,
    plaintext: &[u8],
    nonce: &[u8; IV_LEN],
) -> (String, SecurityTrailer) {
    let keys = key.derive();
    let blob = keys.encrypt(plaintext, nonce);
    let trailer = SecurityTrailer {
        adyen_crypto_version: key.crypto_version,
        key_identifier: key.key_identifier.clone(),
        key_version: key.key_version,
        nonce: B64.encode(nonce),
        hmac: B64.encode(keys.hmac(plaintext)),
    };
    (B64.encode(blob), trailer)
}

/// Decrypts a `NexoBlob` and verifies its HMAC; returns the plaintext JSON bytes.
pub fn open(
    key: &SecurityKey,
    blob_b64: &str,
    trailer: &SecurityTrailer,
) -> Result<Vec<u8>, CryptoError> {
    if trailer.adyen_crypto_version != CRYPTO_VERSION {
        return Err(CryptoError::UnsupportedVersion(
            trailer.adyen_crypto_version,
        ));
    }
    if trailer.key_identifier != key.key_identifier || trailer.key_version != key.key_version {
        return Err(CryptoError::KeyMismatch {
            got_id: trailer.key_identifier.clone(),
            got_version: trailer.key_version,
            want_id: key.key_identifier.clone(),
            want_version: key.key_version,
        });
    }
    let blob = B64
        .decode(blob_b64.trim())
        .map_err(|_| CryptoError::BadBase64 { field: "NexoBlob" })?;
    let nonce_bytes = B64
        .decode(trailer.nonce.trim())
        .map_err(|_| CryptoError::BadBase64 { field: "Nonce" })?;
    let nonce: [u8; IV_LEN] =
        nonce_bytes
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::BadNonce {
                len: nonce_bytes.len(),
            })?;
    let hmac = B64
        .decode(trailer.hmac.trim())
        .map_err(|_| CryptoError::BadBase64 { field: "Hmac" })?;
    let keys = key.derive();
    let plain = keys.decrypt(&blob, &nonce)?;
    if !keys.verify_hmac(&plain, &hmac) {
        return Err(CryptoError::HmacMismatch);
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecurityKey {
        SecurityKey::new("superSecretPassphrase", "CryptoKeyIdentifier12345", 1)
    }

    #[test]
    fn seal_then_open_round_trips() {
        let msg = br#"{"SaleToPOIRequest":{"MessageHeader":{}}}"#;
        let (blob, trailer) = seal(&key(), msg, &[7; 16]);
        assert_eq!(open(&key(), &blob, &trailer).unwrap(), msg);
    }

    #[test]
    fn wrong_passphrase_is_an_error_not_a_panic() {
        let (blob, trailer) = seal(&key(), b"{}", &[1; 16]);
        let other = SecurityKey::new("another", "CryptoKeyIdentifier12345", 1);
        let err = open(&other, &blob, &trailer).unwrap_err();
        assert!(matches!(
            err,
            CryptoError::Undecryptable | CryptoError::HmacMismatch
        ));
    }

    #[test]
    fn tampered_hmac_and_short_nonce_are_refused() {
        let (blob, mut trailer) = seal(&key(), b"{\"a\":1}", &[2; 16]);
        trailer.hmac = B64.encode([0u8; 32]);
        assert_eq!(
            open(&key(), &blob, &trailer),
            Err(CryptoError::HmacMismatch)
        );
        trailer.nonce = B64.encode([0u8; 3]);
        assert_eq!(
            open(&key(), &blob, &trailer),
            Err(CryptoError::BadNonce { len: 3 })
        );
        assert!(matches!(
            open(&key(), "@@", &trailer),
            Err(CryptoError::BadBase64 { .. })
        ));
    }

    #[test]
    fn debug_never_shows_the_passphrase_or_keys() {
        let k = key();
        let shown = format!("{k:?} {:?}", k.derive());
        assert!(!shown.contains("superSecret"));
        assert!(shown.contains("redacted"));
    }
}
