//! The parts in front of the MTI: the 5-byte TPDU and the 6-byte CUP header (报文头) with its
//! sub-fields, notably 处理要求 (the host's processing requirement, `3` = re-sign-on).

use serde::Serialize;

use crate::i18n::Text;

/// Transport protocol data unit: id + destination (NII) + originator, shown as seen on the wire
/// (CUP responses usually keep the request's order; never assume a swap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tpdu {
    pub id: u8,
    pub destination: u16,
    pub source: u16,
}

impl Tpdu {
    pub const LEN: usize = 5;

    pub fn to_bytes(self) -> [u8; 5] {
        let [d0, d1] = self.destination.to_be_bytes();
        let [s0, s1] = self.source.to_be_bytes();
        [self.id, d0, d1, s0, s1]
    }

    /// Reads a TPDU from the first five bytes, if there are five.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        match b {
            [id, d0, d1, s0, s1, ..] => Some(Tpdu {
                id: *id,
                destination: u16::from_be_bytes([*d0, *d1]),
                source: u16::from_be_bytes([*s0, *s1]),
            }),
            _ => None,
        }
    }

    /// The same TPDU with destination and source exchanged (what some hosts answer with).
    pub fn swapped(self) -> Self {
        Tpdu {
            id: self.id,
            destination: self.source,
            source: self.destination,
        }
    }
}

/// The 6-byte CUP header: 12 BCD digits (vendors put hex letters in the sub-version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CupHeader(pub [u8; 6]);

impl CupHeader {
    pub const LEN: usize = 6;

    /// Reads the first six bytes of `b` as a CUP header.
    pub fn from_bytes(b: &[u8]) -> Option<Self> {
        let six: [u8; 6] = b.get(..Self::LEN)?.try_into().ok()?;
        Some(CupHeader(six))
    }

    fn nibbles(&self) -> String {
        hex::encode_upper(self.0)
    }

    fn digits(&self, range: std::ops::Range<usize>) -> String {
        self.nibbles().get(range).unwrap_or_default().to_string()
    }

    /// 应用类别定义, e.g. "60" magstripe financial, "61" IC financial.
    pub fn application_class(&self) -> String {
        self.digits(0..2)
    }

    /// 软件总版本号, "31" = the unified CUP POS version.
    pub fn software_version(&self) -> String {
        self.digits(2..4)
    }

    /// 终端状态 (a nibble: 0 normal).
    pub fn terminal_status(&self) -> u8 {
        self.0[2] >> 4
    }

    /// 处理要求 (a nibble: what the host asks the terminal to do next).
    pub fn processing_requirement(&self) -> ProcessingRequirement {
        ProcessingRequirement::from_nibble(self.0[2] & 0x0F)
    }

    /// 软件分版本号, six digits.
    pub fn sub_version(&self) -> String {
        self.digits(6..12)
    }

    /// Sets 处理要求 (used by a simulated host asking for a re-sign-on).
    pub fn set_processing_requirement(&mut self, requirement: ProcessingRequirement) {
        self.0[2] = (self.0[2] & 0xF0) | (requirement.nibble() & 0x0F);
    }

    /// Application class meaning.
    pub fn application_class_text(&self) -> Text {
        match self.application_class().as_str() {
            "60" => Text::fixed("磁条卡金融支付类", "magstripe financial"),
            "61" => Text::fixed("IC卡金融支付类", "IC card financial"),
            "62" => Text::fixed("磁条卡增值业务", "magstripe value-added"),
            "63" => Text::fixed("IC卡增值业务", "IC card value-added"),
            _ => Text::fixed("未知类别", "unknown class"),
        }
    }

    /// Software version meaning.
    pub fn software_version_text(&self) -> Text {
        match self.software_version().as_str() {
            "31" => Text::fixed("银联POS统一版", "unified CUP POS version"),
            v => Text::new(format!("版本 {v}"), format!("version {v}")),
        }
    }

    /// Terminal status meaning.
    pub fn terminal_status_text(&self) -> Text {
        match self.terminal_status() {
            0 => Text::fixed("正常", "normal"),
            1 => Text::fixed("测试 (未证实)", "test (unverified)"),
            n => Text::new(format!("未知状态 {n:X}"), format!("unknown status {n:X}")),
        }
    }
}

/// 处理要求: what the host asks the terminal to do after this response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessingRequirement {
    None,
    DownloadMagstripeParameters,
    UploadMagstripeStatus,
    /// The host wants a re-sign-on (stale keys, batch mismatch).
    ReSignOn,
    UpdatePublicKeys,
    DownloadIcParameters,
    TmsParameterDownload,
    CardBinBlacklistDownload,
    CurrencyRatesOrFees,
    Unknown(u8),
}

impl ProcessingRequirement {
    pub fn from_nibble(n: u8) -> Self {
        use ProcessingRequirement::*;
        match n {
            0 => None,
            1 => DownloadMagstripeParameters,
            2 => UploadMagstripeStatus,
            3 => ReSignOn,
            4 => UpdatePublicKeys,
            5 => DownloadIcParameters,
            6 => TmsParameterDownload,
            7 => CardBinBlacklistDownload,
            8 => CurrencyRatesOrFees,
            other => Unknown(other),
        }
    }

    pub fn nibble(self) -> u8 {
        use ProcessingRequirement::*;
        match self {
            None => 0,
            DownloadMagstripeParameters => 1,
            UploadMagstripeStatus => 2,
            ReSignOn => 3,
            UpdatePublicKeys => 4,
            DownloadIcParameters => 5,
            TmsParameterDownload => 6,
            CardBinBlacklistDownload => 7,
            CurrencyRatesOrFees => 8,
            Unknown(n) => n,
        }
    }

    pub fn text(self) -> Text {
        use ProcessingRequirement::*;
        match self {
            None => Text::fixed("无", "none"),
            DownloadMagstripeParameters => {
                Text::fixed("下传终端磁条卡参数", "download magstripe parameters")
            }
            UploadMagstripeStatus => {
                Text::fixed("上传终端磁条卡状态信息", "upload magstripe status")
            }
            ReSignOn => Text::fixed("重新签到", "re-sign-on requested"),
            UpdatePublicKeys => Text::fixed("更新公钥", "update public keys"),
            DownloadIcParameters => Text::fixed("下载IC卡参数", "download IC parameters"),
            TmsParameterDownload => Text::fixed("TMS参数下载", "TMS parameter download"),
            CardBinBlacklistDownload => {
                Text::fixed("卡BIN黑名单下载", "card-BIN blacklist download")
            }
            CurrencyRatesOrFees => Text::fixed(
                "币种汇率 / 助农取款手续费",
                "currency rates / rural-withdrawal fees",
            ),
            Unknown(n) => Text::new(format!("未知 {n:X}"), format!("unknown {n:X}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_seen_on_the_wire() {
        let h = CupHeader([0x60, 0x31, 0x00, 0x31, 0x10, 0x03]);
        assert_eq!(h.application_class(), "60");
        assert_eq!(h.software_version(), "31");
        assert_eq!(h.terminal_status(), 0);
        assert_eq!(h.processing_requirement(), ProcessingRequirement::None);
        assert_eq!(h.sub_version(), "311003");

        let h = CupHeader([0x60, 0x31, 0x00, 0x31, 0xFF, 0xF1]);
        assert_eq!(h.sub_version(), "31FFF1");

        let h = CupHeader([0x61, 0x32, 0x00, 0x32, 0x00, 0x01]);
        assert_eq!(h.application_class_text().en, "IC card financial");
    }

    #[test]
    fn re_sign_on_nibble() {
        let mut h = CupHeader([0x60, 0x31, 0x00, 0x31, 0x00, 0x00]);
        h.set_processing_requirement(ProcessingRequirement::ReSignOn);
        assert_eq!(h.0[2], 0x03);
        assert_eq!(h.processing_requirement(), ProcessingRequirement::ReSignOn);
        assert_eq!(h.processing_requirement().text().zh, "重新签到");
    }

    #[test]
    fn tpdu_bytes() {
        let t = Tpdu::from_bytes(&[0x60, 0x00, 0x03, 0x00, 0x00]).expect("five bytes");
        assert_eq!(t.destination, 3);
        assert_eq!(t.to_bytes(), [0x60, 0x00, 0x03, 0x00, 0x00]);
        assert_eq!(t.swapped().source, 3);
        assert_eq!(Tpdu::from_bytes(&[0x60]), None);
    }
}
