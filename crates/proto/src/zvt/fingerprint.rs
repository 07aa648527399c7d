//! What answered, when a peer does not speak ZVT: classifies the first bytes a peer sent
//! (ASCII banners, a length-prefixed text such as the Worldline Yomani's, the Ingenico
//! `15 03 69`, HTTP, TLS, telnet, an ESC/POS status byte, an ISO 8583 message) and flags noise
//! that looks like a baud-rate or framing mismatch.

use serde::Serialize;

use super::apdu::Apdu;
use super::frame::{inspect_serial_frame, ACK, DLE, NAK, STX};
use crate::i18n::Text;

/// The kind of peer the bytes point to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FingerprintKind {
    Empty,
    /// A serial frame with a good CRC, or a lone ACK/NAK.
    ZvtSerial,
    /// A complete TCP APDU with a ZVT class byte.
    ZvtApdu,
    AsciiBanner {
        text: String,
    },
    /// A 4- or 2-byte length followed by text (Worldline Yomani on port 5001).
    LengthPrefixedText {
        length: usize,
        text: String,
    },
    /// `15 03 69`, seen from an Ingenico Move 3500 on port 1000 (meaning unverified).
    IngenicoReply,
    Http {
        text: String,
    },
    TlsHandshake,
    TlsAlert,
    Telnet,
    EscPosStatus {
        status: u8,
    },
    /// A 2-byte length-prefixed ISO 8583 message (an acquirer host, not an ECR port).
    Iso8583 {
        length: usize,
    },
    BaudMismatchNoise,
    Unknown,
}

/// The classification with a bilingual description for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    pub kind: FingerprintKind,
    pub description: Text,
    pub likely_baud_mismatch: bool,
    /// Hex of the first 16 bytes (fingerprinting looks at headers, never at card data).
    pub first_bytes: String,
}

impl Fingerprint {
    pub fn is_zvt(&self) -> bool {
        matches!(
            self.kind,
            FingerprintKind::ZvtSerial | FingerprintKind::ZvtApdu
        )
    }
}

fn is_text_byte(b: u8) -> bool {
    (0x20..0x7F).contains(&b) || matches!(b, b'\r' | b'\n' | b'\t')
}

/// Printable preview: at most 40 characters, other bytes as `.`, `…` when cut.
fn preview(bytes: &[u8]) -> String {
    let mut s: String = bytes
        .iter()
        .take(40)
        .map(|&b| {
            if (0x20..0x7F).contains(&b) {
                char::from(b)
            } else {
                '.'
            }
        })
        .collect();
    if bytes.len() > 40 {
        s.push('…');
    }
    s
}

fn mostly_text(bytes: &[u8]) -> bool {
    !bytes.is_empty() && bytes.iter().filter(|&&b| is_text_byte(b)).count() * 10 >= bytes.len() * 8
}

/// Classifies the first bytes a peer sent.
pub fn fingerprint(bytes: &[u8]) -> Fingerprint {
    let kind = classify(bytes);
    let likely_baud_mismatch = kind == FingerprintKind::BaudMismatchNoise;
    Fingerprint {
        description: describe(&kind, bytes.len()),
        kind,
        likely_baud_mismatch,
        first_bytes: hex::encode_upper(bytes.get(..16).unwrap_or(bytes)),
    }
}

fn classify(bytes: &[u8]) -> FingerprintKind {
    use FingerprintKind as K;
    let b = |i: usize| bytes.get(i).copied();
    if bytes.is_empty() {
        return K::Empty;
    }
    if bytes == [ACK] || bytes == [NAK] {
        return K::ZvtSerial;
    }
    let frame_start = if b(0) == Some(ACK) { 1 } else { 0 };
    if bytes.get(frame_start..frame_start + 2) == Some(&[DLE, STX][..]) {
        if let Ok(parts) = inspect_serial_frame(bytes.get(frame_start..).unwrap_or(&[])) {
            if parts.crc_ok() {
                return K::ZvtSerial;
            }
        }
    }
    if bytes.starts_with(&[0x15, 0x03, 0x69]) {
        return K::IngenicoReply;
    }
    if let (Some(0x16 | 0x15), Some(0x03), Some(minor)) = (b(0), b(1), b(2)) {
        if minor <= 0x04 {
            return if b(0) == Some(0x16) {
                K::TlsHandshake
            } else {
                K::TlsAlert
            };
        }
    }
    const HTTP: [&[u8]; 6] = [b"HTTP/", b"GET ", b"POST ", b"HEAD ", b"PUT ", b"OPTIONS "];
    if HTTP.iter().any(|p| bytes.starts_with(p)) {
        return K::Http {
            text: preview(bytes),
        };
    }
    if b(0) == Some(0xFF) && matches!(b(1), Some(0xFB..=0xFE)) {
        return K::Telnet;
    }
    if let Ok(apdu) = Apdu::decode(bytes) {
        if matches!(apdu.class, 0x04 | 0x05 | 0x06 | 0x08 | 0x0F | 0x80 | 0x84) {
            return K::ZvtApdu;
        }
    }
    if let Some(kind) = length_prefixed(bytes) {
        return kind;
    }
    if bytes.len() <= 4 && bytes.iter().all(|&x| x & 0x93 == 0x12) {
        return K::EscPosStatus {
            status: b(0).unwrap_or_default(),
        };
    }
    if bytes.len() >= 4 && mostly_text(bytes) {
        return K::AsciiBanner {
            text: preview(bytes),
        };
    }
    let noisy = bytes.iter().filter(|&&x| x == 0x00 || x >= 0x80).count();
    if bytes.len() >= 3 && noisy * 2 >= bytes.len() {
        return K::BaudMismatchNoise;
    }
    K::Unknown
}

/// Text after a 4-byte (Yomani) or 2-byte big-endian length, or an ISO 8583 message after a
/// 2-byte length.
fn length_prefixed(bytes: &[u8]) -> Option<FingerprintKind> {
    let rest4 = bytes.get(4..).unwrap_or(&[]);
    if let Some(&[a, b, c, d]) = bytes.get(..4) {
        let len = u32::from_be_bytes([a, b, c, d]) as usize;
        // A real length, not the first characters of a text banner.
        if a == 0
            && b == 0
            && len > 0
            && len >= rest4.len()
            && rest4.len() >= 4
            && mostly_text(rest4)
        {
            return Some(FingerprintKind::LengthPrefixedText {
                length: len,
                text: preview(rest4),
            });
        }
    }
    let (&[hi, lo], body) = (bytes.get(..2)?, bytes.get(2..)?) else {
        return None;
    };
    let len = usize::from(u16::from_be_bytes([hi, lo]));
    if len == 0 || len < body.len() || body.len() < 4 {
        return None;
    }
    if body.first() == Some(&0x60) && body.len() >= 7 {
        return Some(FingerprintKind::Iso8583 { length: len });
    }
    let mti_bcd = matches!(body.get(..2), Some(&[m1, m2]) if m1 <= 0x09 && m1 != 0 && m2 >> 4 <= 9 && m2 & 0xF <= 9);
    let mti_ascii = body
        .get(..4)
        .is_some_and(|m| m.first() == Some(&b'0') && m.iter().all(u8::is_ascii_digit));
    if mti_ascii || (mti_bcd && len == body.len()) {
        return Some(FingerprintKind::Iso8583 { length: len });
    }
    if len == body.len() && mostly_text(body) {
        return Some(FingerprintKind::LengthPrefixedText {
            length: len,
            text: preview(body),
        });
    }
    None
}

fn describe(kind: &FingerprintKind, n: usize) -> Text {
    use FingerprintKind as K;
    match kind {
        K::Empty => Text::fixed("没有收到任何字节", "no bytes received"),
        K::ZvtSerial => Text::fixed("这是 ZVT（串口帧或 ACK/NAK）", "this is ZVT (serial frame or ACK/NAK)"),
        K::ZvtApdu => Text::fixed("这是 ZVT（TCP APDU）", "this is ZVT (TCP APDU)"),
        K::AsciiBanner { text } => Text::new(
            format!("这不是 ZVT：收到 ASCII 横幅 '{text}'；端口可能属于其他服务"),
            format!("this is not ZVT: got an ASCII banner '{text}'; the port belongs to another service"),
        ),
        K::LengthPrefixedText { length, text } => Text::new(
            format!("这不是 ZVT：收到带长度前缀（{length}）的文本 '{text}'（Worldline Yomani 在 5001 端口这样应答）；请改用终端的 ZVT 端口"),
            format!("this is not ZVT: got a length-prefixed ({length}) text '{text}' (as a Worldline Yomani answers on port 5001); use the terminal's ZVT port"),
        ),
        K::IngenicoReply => Text::fixed(
            "这不是 ZVT：收到 15 03 69（Ingenico 终端在 1000 端口见过，含义未核实）；检查终端设置中是否启用 ZVT 并使用 ZVT 端口",
            "this is not ZVT: got 15 03 69 (seen from Ingenico terminals on port 1000, meaning unverified); check that ZVT is enabled in the terminal settings and use its ZVT port",
        ),
        K::Http { text } => Text::new(
            format!("这不是 ZVT：HTTP 服务在应答（'{text}'）；端口错误？"),
            format!("this is not ZVT: an HTTP server answered ('{text}'); wrong port?"),
        ),
        K::TlsHandshake | K::TlsAlert => Text::fixed(
            "这不是明文 ZVT：对端使用 TLS；该端口需要 TLS（如 Feig 22001）或是其他服务",
            "this is not plain ZVT: the peer speaks TLS; the port expects TLS (e.g. Feig 22001) or is another service",
        ),
        K::Telnet => Text::fixed("这不是 ZVT：收到 telnet 协商", "this is not ZVT: got telnet negotiation"),
        K::EscPosStatus { status } => Text::new(
            format!("这不是 ZVT：像是 ESC/POS 打印机状态字节 0x{status:02X}；这是打印机端口吗？"),
            format!("this is not ZVT: looks like an ESC/POS printer status byte 0x{status:02X}; is this the printer port?"),
        ),
        K::Iso8583 { length } => Text::new(
            format!("这不是 ZVT：收到带 2 字节长度（{length}）的 ISO 8583 报文；这是收单主机，不是终端的收银机端口"),
            format!("this is not ZVT: got an ISO 8583 message with a 2-byte length ({length}); this is an acquirer host, not the terminal's ECR port"),
        ),
        K::BaudMismatchNoise => Text::new(
            format!("这不是可读的 ZVT：{n} 个字节没有任何帧结构，多为 00/FF/高位字节，典型的波特率或数据格式不匹配（ZVT：9600 8N2）"),
            format!("this is not readable ZVT: {n} bytes without any frame structure, mostly 00/FF/high-bit bytes, typical of a wrong baud rate or framing (ZVT: 9600 8N2)"),
        ),
        K::Unknown => Text::new(
            format!("这不是 ZVT：{n} 个字节既不是 ZVT 帧也不是 APDU"),
            format!("this is not ZVT: {n} bytes that are neither a ZVT frame nor an APDU"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(bytes: &[u8]) -> FingerprintKind {
        fingerprint(bytes).kind
    }

    #[test]
    fn known_peers() {
        let mut yomani = vec![0x00, 0x00, 0x00, 0x3E];
        yomani.extend_from_slice(b"VER|APP 1.2|MODEL Yomani 2|SERIAL 123456789|STATE ready|x");
        let f = fingerprint(&yomani);
        assert!(matches!(
            f.kind,
            FingerprintKind::LengthPrefixedText { length: 0x3E, .. }
        ));
        assert!(f.description.en.contains("'VER|APP"));
        assert_eq!(kind(&[0x15, 0x03, 0x69]), FingerprintKind::IngenicoReply);
        assert_eq!(
            kind(&[0x16, 0x03, 0x01, 0x00, 0x2A]),
            FingerprintKind::TlsHandshake
        );
        assert!(matches!(
            kind(b"HTTP/1.1 400 Bad Request\r\n"),
            FingerprintKind::Http { .. }
        ));
        assert_eq!(
            kind(&[0x12]),
            FingerprintKind::EscPosStatus { status: 0x12 }
        );
        assert_eq!(
            kind(&[0x00, 0x08, 0x60, 0x00, 0x01, 0x00, 0x00, 0x08, 0x10, 0x20]),
            FingerprintKind::Iso8583 { length: 8 }
        );
    }

    #[test]
    fn zvt_and_noise() {
        assert!(fingerprint(&hex::decode("100205010010031006").unwrap()).is_zvt());
        assert!(fingerprint(&[0x06]).is_zvt());
        assert!(fingerprint(&[0x80, 0x00, 0x00]).is_zvt());
        let noise = fingerprint(&[0x00, 0xF8, 0x80, 0xFE, 0x00, 0xE0, 0x78, 0xFF]);
        assert!(noise.likely_baud_mismatch);
        assert!(!noise.is_zvt());
        assert!(matches!(
            kind(b"220 FTP server ready\r\n"),
            FingerprintKind::AsciiBanner { .. }
        ));
    }
}
