//! USB-serial chip families (docs/field-guide.md §1.3), identified from the USB descriptor.
//!
//! Identification is a pure function of what USB tells us (VID:PID, manufacturer and product
//! strings), so it is tested without hardware. VID:PID wins over the strings: boards are
//! mislabelled (a "CP2104" that is really a CH9102); `pitfalls.rs` notes such a mismatch.

use serde::{Deserialize, Serialize};

/// The chip behind a USB-serial adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChipFamily {
    /// FTDI FT232R / FT232BM, `0403:6001`.
    FtdiFt232r,
    /// FTDI FT2232 (dual), `0403:6010`.
    FtdiFt2232,
    /// FTDI FT4232 (quad), `0403:6011`.
    FtdiFt4232,
    /// FTDI FT232H, `0403:6014`.
    FtdiFt232h,
    /// FTDI FT-X series (FT230X/FT231X), `0403:6015`.
    FtdiFtX,
    /// FTDI vendor id with another product id.
    FtdiOther,
    /// `0403:0000`: a counterfeit FTDI whose PID the 2014 Windows driver overwrote.
    FtdiCounterfeitPid0,
    /// Silicon Labs CP210x, `10C4:EA60` (also EA70 CP2105, EA71 CP2108).
    Cp210x,
    /// WCH CH340, `1A86:7523`.
    Ch340,
    /// WCH CH341, `1A86:5523`.
    Ch341,
    /// WCH CH9102, `1A86:55D4`.
    Ch9102,
    /// WCH vendor id with another product id.
    WchOther,
    /// Prolific PL2303, `067B:2303`.
    Pl2303,
    Unknown,
}

const VID_FTDI: u16 = 0x0403;
const VID_SILABS: u16 = 0x10C4;
const VID_WCH: u16 = 0x1A86;
const VID_PROLIFIC: u16 = 0x067B;

/// Identifies the chip from the USB descriptor. Strings are used only when VID:PID says
/// nothing (an adapter with a custom VID that kept the chip's product string).
pub fn identify_chip(
    vid: u16,
    pid: u16,
    manufacturer: Option<&str>,
    product: Option<&str>,
) -> ChipFamily {
    use ChipFamily::*;
    match (vid, pid) {
        (VID_FTDI, 0x6001) => FtdiFt232r,
        (VID_FTDI, 0x6010) => FtdiFt2232,
        (VID_FTDI, 0x6011) => FtdiFt4232,
        (VID_FTDI, 0x6014) => FtdiFt232h,
        (VID_FTDI, 0x6015) => FtdiFtX,
        (VID_FTDI, 0x0000) => FtdiCounterfeitPid0,
        (VID_FTDI, _) => FtdiOther,
        (VID_SILABS, 0xEA60 | 0xEA70 | 0xEA71) => Cp210x,
        (VID_WCH, 0x7523) => Ch340,
        (VID_WCH, 0x5523) => Ch341,
        (VID_WCH, 0x55D4) => Ch9102,
        (VID_WCH, _) => WchOther,
        (VID_PROLIFIC, 0x2303) => Pl2303,
        _ => {
            let strings = format!("{} {}", manufacturer.unwrap_or(""), product.unwrap_or(""));
            named_chip(&strings).unwrap_or(Unknown)
        }
    }
}

/// The chip a descriptor string names, if any ("CP2102 USB to UART Bridge", "USB-SERIAL CH340").
pub(crate) fn named_chip(text: &str) -> Option<ChipFamily> {
    let t = text.to_ascii_uppercase();
    if t.contains("CH9102") {
        Some(ChipFamily::Ch9102)
    } else if t.contains("CH340") {
        Some(ChipFamily::Ch340)
    } else if t.contains("CH341") {
        Some(ChipFamily::Ch341)
    } else if t.contains("CP210") {
        Some(ChipFamily::Cp210x)
    } else if t.contains("PL2303") || t.contains("PROLIFIC") {
        Some(ChipFamily::Pl2303)
    } else if t.contains("FT232R") {
        Some(ChipFamily::FtdiFt232r)
    } else if t.contains("FTDI") {
        Some(ChipFamily::FtdiOther)
    } else {
        None
    }
}

impl ChipFamily {
    /// The name a technician knows.
    pub fn name(self) -> &'static str {
        match self {
            ChipFamily::FtdiFt232r => "FTDI FT232R",
            ChipFamily::FtdiFt2232 => "FTDI FT2232",
            ChipFamily::FtdiFt4232 => "FTDI FT4232",
            ChipFamily::FtdiFt232h => "FTDI FT232H",
            ChipFamily::FtdiFtX => "FTDI FT-X",
            ChipFamily::FtdiOther => "FTDI",
            ChipFamily::FtdiCounterfeitPid0 => "FTDI (PID 0000)",
            ChipFamily::Cp210x => "Silicon Labs CP210x",
            ChipFamily::Ch340 => "WCH CH340",
            ChipFamily::Ch341 => "WCH CH341",
            ChipFamily::Ch9102 => "WCH CH9102",
            ChipFamily::WchOther => "WCH",
            ChipFamily::Pl2303 => "Prolific PL2303",
            ChipFamily::Unknown => "unknown",
        }
    }

    pub fn is_ftdi(self) -> bool {
        matches!(
            self,
            ChipFamily::FtdiFt232r
                | ChipFamily::FtdiFt2232
                | ChipFamily::FtdiFt4232
                | ChipFamily::FtdiFt232h
                | ChipFamily::FtdiFtX
                | ChipFamily::FtdiOther
                | ChipFamily::FtdiCounterfeitPid0
        )
    }

    pub fn is_wch(self) -> bool {
        matches!(
            self,
            ChipFamily::Ch340 | ChipFamily::Ch341 | ChipFamily::Ch9102 | ChipFamily::WchOther
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chips_are_identified_by_vid_pid() {
        use ChipFamily::*;
        let table = [
            (0x0403, 0x6001, FtdiFt232r),
            (0x0403, 0x6010, FtdiFt2232),
            (0x0403, 0x6011, FtdiFt4232),
            (0x0403, 0x6014, FtdiFt232h),
            (0x0403, 0x6015, FtdiFtX),
            (0x0403, 0x0000, FtdiCounterfeitPid0),
            (0x0403, 0x1234, FtdiOther),
            (0x10C4, 0xEA60, Cp210x),
            (0x10C4, 0xEA70, Cp210x),
            (0x1A86, 0x7523, Ch340),
            (0x1A86, 0x5523, Ch341),
            (0x1A86, 0x55D4, Ch9102),
            (0x1A86, 0x1111, WchOther),
            (0x067B, 0x2303, Pl2303),
            (0x2341, 0x0043, Unknown),
        ];
        for (vid, pid, chip) in table {
            assert_eq!(
                identify_chip(vid, pid, None, None),
                chip,
                "{vid:04X}:{pid:04X}"
            );
        }
    }

    #[test]
    fn vid_pid_wins_over_strings_and_strings_help_otherwise() {
        // A board sold as CP2104 that is really a CH9102.
        let chip = identify_chip(
            0x1A86,
            0x55D4,
            Some("Silicon Labs"),
            Some("CP2104 USB to UART"),
        );
        assert_eq!(chip, ChipFamily::Ch9102);

        assert_eq!(
            identify_chip(0x9999, 0x0001, Some("QinHeng"), Some("USB Serial CH340")),
            ChipFamily::Ch340
        );
        assert_eq!(
            identify_chip(0x9999, 0x0001, Some("Prolific Technology Inc."), None),
            ChipFamily::Pl2303
        );
        assert_eq!(
            identify_chip(0x9999, 0x0001, Some("Acme"), Some("Widget")),
            ChipFamily::Unknown
        );
    }
}
