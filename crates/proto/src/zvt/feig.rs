//! Feig cVEND vendor extensions that real terminals send (docs/protocols/zvt.md §13.1):
//! the TLV tags with a quirky constructed bit, the host configuration, the file IDs of the
//! file transfer (`08 14` Write File, `04 0C` Request for Data, `80 00` with file data), the
//! `0F A1` cVEND functions and the ASCII "enhanced system information" completion.
//!
//! Public source: the `zvt` crate (EVerest / qwello, MIT OR Apache-2.0), `src/feig/`, and the
//! frames it ships from real Feig terminals. Pure functions; nothing here panics on any input.

use crate::i18n::Text;

/// Feig TLV tag: the password inside Change Configuration (`08 13`), 3 bytes BCD.
pub const TAG_PASSWORD: u32 = 0xFF40;
/// Feig TLV tag: host configuration inside Change Configuration (`08 13`).
pub const TAG_HOST_CONFIG: u32 = 0xFF41;
/// Feig TLV tag: file size in bytes (4 bytes, big-endian), in Write File.
pub const TAG_FILE_SIZE: u32 = 0x1F00;
/// Feig TLV tag: file data, in the `80 00` answer to a Request for Data.
pub const TAG_FILE_DATA: u32 = 0x1C;

/// Tags whose first byte has the constructed bit (0x20) although their value is a plain
/// value: Feig uses `FF 40` and `FF 41` this way. Read as TLV children, the password bytes
/// look like a broken TLV list and the whole container would fail to parse.
pub fn constructed_bit_but_primitive(tag: u32) -> bool {
    matches!(tag, TAG_PASSWORD | TAG_HOST_CONFIG)
}

/// The host configuration in tag `FF41`: IPv4 address, TCP port, one flag byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostConfig {
    pub ip: [u8; 4],
    pub port: u16,
    /// The byte after the port; its meaning is not public (the crate calls it "config byte").
    pub flags: Option<u8>,
}

impl HostConfig {
    /// `d5 b7 13 69 76 c1 01` → 213.183.19.105, port 30401, flags 0x01. Six bytes (no flag
    /// byte) are accepted too; any other length is not a host configuration.
    pub fn decode(value: &[u8]) -> Option<HostConfig> {
        let (ip, port, flags) = match value {
            [a, b, c, d, p1, p2] => ([*a, *b, *c, *d], [*p1, *p2], None),
            [a, b, c, d, p1, p2, f] => ([*a, *b, *c, *d], [*p1, *p2], Some(*f)),
            _ => return None,
        };
        Some(HostConfig {
            ip,
            port: u16::from_be_bytes(port),
            flags,
        })
    }

    pub fn address(&self) -> String {
        let [a, b, c, d] = self.ip;
        format!("{a}.{b}.{c}.{d}")
    }

    pub fn text(&self) -> Text {
        let flags = self
            .flags
            .map(|f| format!(", flags 0x{f:02X}"))
            .unwrap_or_default();
        let flags_zh = self
            .flags
            .map(|f| format!("，标志 0x{f:02X}"))
            .unwrap_or_default();
        Text::new(
            format!("主机 {} 端口 {}{flags_zh}", self.address(), self.port),
            format!("host {} port {}{flags}", self.address(), self.port),
        )
    }
}

/// The name of a file ID (TLV `1D`): the ZVT Read File IDs (01–06) and Feig's update files.
pub fn file_name(id: u8) -> Option<Text> {
    let standard = match id {
        0x01 => Some(("商户流水", "merchant journal")),
        0x02 => Some(("应用日志", "application log")),
        0x03 => Some(("收银机协议日志", "ECR-protocol log")),
        0x04 => Some(("通信模块日志", "communication-module log")),
        0x05 => Some(("密码键盘日志", "PIN-pad log")),
        0x06 => Some(("对账数据", "reconciliation data")),
        _ => None,
    };
    if let Some((zh, en)) = standard {
        return Some(Text::fixed(zh, en));
    }
    let path = match id {
        0x10 => "firmware/kernel.gz".to_string(),
        0x11 => "firmware/rootfs.gz".to_string(),
        0x12 => "firmware/components.tar.gz".to_string(),
        0x13 => "firmware/update.spec".to_string(),
        0x14 => "firmware/update_extended.spec".to_string(),
        // app0–app4 at 0x20–0x29, app5–app7 at 0x30–0x35 (the crate's table skips 0x2A–0x2F).
        0x20..=0x29 | 0x30..=0x35 => {
            let n = if id < 0x30 {
                (id - 0x20) / 2
            } else {
                5 + (id - 0x30) / 2
            };
            let file = if id % 2 == 0 {
                "update.spec"
            } else {
                "update.tar.gz"
            };
            format!("app{n}/{file}")
        }
        _ => return None,
    };
    Some(Text::new(
        format!("Feig 更新文件 {path}"),
        format!("Feig update file {path}"),
    ))
}

/// The function of a `0F A1` cVEND-functions command (2 bytes, big-endian).
pub fn cvend_function_name(function: u16) -> Text {
    match function {
        0x0001 => Text::fixed("扩展系统信息", "enhanced system information"),
        _ => Text::fixed("未知的 cVEND 功能", "unknown cVEND function"),
    }
}

/// The `06 0F` answer to `0F A1` function 1: fixed-width ASCII fields, no BMPs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemInformation {
    /// 8 hex characters.
    pub device_id: String,
    /// 17 characters, space padded.
    pub sw_version: String,
    /// 8 digits.
    pub terminal_id: String,
    /// 4 characters, sent by newer firmware only.
    pub battery_voltage: Option<String>,
    /// In °C, 3 or 4 characters ("24.4", "8.0": the terminal drops the leading digit).
    pub temperature: String,
}

/// Byte widths of the fixed fields: device ID, SW version, TID.
const SYSINFO_FIXED: [usize; 3] = [8, 17, 8];

impl SystemInformation {
    /// Reads the data block of a `06 0F`; `None` when it is not this layout (any byte outside
    /// printable ASCII, a device ID that is not hex, a TID that is not digits, a wrong length).
    pub fn decode(data: &[u8]) -> Option<SystemInformation> {
        if !data.iter().all(|b| (0x20..=0x7E).contains(b)) {
            return None;
        }
        let fixed: usize = SYSINFO_FIXED.iter().sum();
        let rest_len = data.len().checked_sub(fixed)?;
        let battery_len = match rest_len {
            3 | 4 => 0,
            7 | 8 => 4,
            _ => return None,
        };
        let text = |range: std::ops::Range<usize>| {
            data.get(range)
                .map(|b| String::from_utf8_lossy(b).into_owned())
        };
        let device_id = text(0..8)?;
        let sw_version = text(8..25)?;
        let terminal_id = text(25..33)?;
        let battery_voltage = (battery_len > 0)
            .then(|| text(33..33 + battery_len))
            .flatten();
        let temperature = text(33 + battery_len..data.len())?;
        let ok = device_id.chars().all(|c| c.is_ascii_hexdigit())
            && terminal_id.chars().all(|c| c.is_ascii_digit())
            && temperature
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
        ok.then_some(SystemInformation {
            device_id,
            sw_version,
            terminal_id,
            battery_voltage,
            temperature,
        })
    }

    /// (offset in the data block, length, short tag, name, value) of each field.
    pub fn fields(&self) -> Vec<(usize, usize, &'static str, Text, String)> {
        let mut out = vec![
            (
                0,
                8,
                "DEVID",
                Text::fixed("设备 ID", "device ID"),
                self.device_id.clone(),
            ),
            (
                8,
                17,
                "SW",
                Text::fixed("软件版本", "SW version"),
                format!("\"{}\"", self.sw_version.trim_end()),
            ),
            (
                25,
                8,
                "TID",
                Text::fixed("终端号 (TID)", "terminal ID (TID)"),
                self.terminal_id.clone(),
            ),
        ];
        let mut at = 33;
        if let Some(v) = &self.battery_voltage {
            out.push((
                at,
                4,
                "BATT",
                Text::fixed("电池电压", "battery voltage"),
                format!("\"{v}\""),
            ));
            at += 4;
        }
        out.push((
            at,
            self.temperature.len(),
            "TEMP",
            Text::fixed("温度", "temperature"),
            format!("{} °C", self.temperature),
        ));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_config_of_the_issue_frame() {
        let h = HostConfig::decode(&[0xD5, 0xB7, 0x13, 0x69, 0x76, 0xC1, 0x01]).unwrap();
        assert_eq!(h.address(), "213.183.19.105");
        assert_eq!((h.port, h.flags), (30401, Some(1)));
        assert_eq!(h.text().en, "host 213.183.19.105 port 30401, flags 0x01");
        assert!(HostConfig::decode(&[1, 2, 3]).is_none());
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name(0x23).unwrap().en,
            "Feig update file app1/update.tar.gz"
        );
        assert_eq!(
            file_name(0x30).unwrap().en,
            "Feig update file app5/update.spec"
        );
        assert_eq!(
            file_name(0x13).unwrap().en,
            "Feig update file firmware/update.spec"
        );
        assert_eq!(file_name(0x03).unwrap().en, "ECR-protocol log");
        assert!(file_name(0x2A).is_none());
    }

    #[test]
    fn system_information_both_lengths() {
        let s = SystemInformation::decode(b"17FD1E3CGER-APP-v2.0.9   5252353524.4").unwrap();
        assert_eq!(s.device_id, "17FD1E3C");
        assert_eq!(s.terminal_id, "52523535");
        assert_eq!(
            (s.battery_voltage.as_deref(), s.temperature.as_str()),
            (None, "24.4")
        );
        let s = SystemInformation::decode(b"17FE5C90GER-APP-v2.0.9   525251118.0").unwrap();
        assert_eq!(s.temperature, "8.0");
        let s = SystemInformation::decode(b"17FE5C90GER-APP-v2.0.9   52525111ABCD8.0").unwrap();
        assert_eq!(s.battery_voltage.as_deref(), Some("ABCD"));
        assert!(SystemInformation::decode(b"\x27\x00").is_none());
        assert!(SystemInformation::decode(b"XXFD1E3CGER-APP-v2.0.9   5252353524.4").is_none());
    }
}
