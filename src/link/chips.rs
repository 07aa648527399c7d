//! USB-serial chip families and their known pitfalls (field guide §1.3).
//!
//! Identification is a pure function of what USB tells us (VID:PID, manufacturer and product
//! strings), so it is tested without hardware. VID:PID wins over the strings: boards are
//! mislabelled (a "CP2104" that is really a CH9102), and a mismatch is itself worth a note.

use serde::{Deserialize, Serialize};

use super::ports::{NoteLevel, PortNote};
use crate::i18n::Text;
use crate::tr;

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
fn named_chip(text: &str) -> Option<ChipFamily> {
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

/// The operating system, for pitfalls that exist on one OS only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HostOs {
    Linux,
    Macos,
    Windows,
    Other,
}

impl HostOs {
    pub fn current() -> HostOs {
        if cfg!(target_os = "linux") {
            HostOs::Linux
        } else if cfg!(target_os = "macos") {
            HostOs::Macos
        } else if cfg!(windows) {
            HostOs::Windows
        } else {
            HostOs::Other
        }
    }
}

/// What the chip pitfalls depend on besides the chip.
#[derive(Debug, Clone, Copy)]
pub struct ChipContext<'a> {
    pub os: HostOs,
    /// The tty name without `/dev/` ("ttyUSB0"), for commands to paste.
    pub tty: &'a str,
    pub serial_number: Option<&'a str>,
    pub product: Option<&'a str>,
    /// FTDI latency timer read from sysfs (Linux).
    pub latency_timer_ms: Option<u32>,
    /// brltty is installed or running (Linux).
    pub brltty_present: bool,
}

/// The known pitfalls of `chip` in `ctx`, most serious first.
pub fn chip_pitfalls(chip: ChipFamily, ctx: &ChipContext<'_>) -> Vec<PortNote> {
    let mut notes = Vec::new();
    if let Some(labelled) = ctx.product.and_then(named_chip) {
        if chip != ChipFamily::Unknown
            && labelled.name() != chip.name()
            && !same_family(labelled, chip)
        {
            let (label, real) = (labelled.name(), chip.name());
            notes.push(PortNote::new(
                "chip.mislabelled",
                NoteLevel::Info,
                tr!(
                    "描述写的是 {label}，但 VID:PID 表明实际芯片是 {real}；按 {real} 处理",
                    "the descriptor says {label} but VID:PID says the chip is a {real}; treat it as a {real}"
                ),
            ));
        }
    }
    if chip == ChipFamily::FtdiCounterfeitPid0 {
        notes.push(PortNote::new(
            "chip.ftdi_counterfeit",
            NoteLevel::Warn,
            Text::fixed(
                "PID 为 0000：这是被 2014 年 Windows FTDI 驱动（2.11/2.12）改写过的仿冒芯片；用 FT_Prog 或 ft232r_prog 把 PID 改回 6001，或换一个正品转接器",
                "PID 0000: a counterfeit chip whose PID the 2014 Windows FTDI driver (2.11/2.12) overwrote; restore PID 6001 with FT_Prog or ft232r_prog, or use a genuine adapter",
            ),
        ));
    }
    if chip.is_ftdi() {
        notes.push(ftdi_latency_note(ctx));
    }
    if chip == ChipFamily::Cp210x {
        notes.push(PortNote::new(
            "chip.cp210x_baud_rounding",
            NoteLevel::Info,
            Text::fixed(
                "CP210x 会把请求的波特率悄悄取整到芯片的固定表（AN205）；常用速率没有问题，非标准速率需改 EEPROM 别名，部分仿制品不支持",
                "CP210x silently rounds the requested baud rate to its fixed table (AN205); common rates are fine, non-standard ones need EEPROM aliasing, which some knock-offs lack",
            ),
        ));
    }
    if chip.is_wch() {
        if ctx.os == HostOs::Linux && ctx.brltty_present {
            notes.push(PortNote::new(
                "chip.ch34x_brltty",
                NoteLevel::Warn,
                Text::fixed(
                    "本机装有 brltty（盲文显示服务），它会抢占 CH340/CH341 转接器，串口随即消失；执行 sudo apt remove brltty（或屏蔽其 udev 规则）后重新插拔",
                    "brltty (braille display service) is installed and grabs CH340/CH341 adapters, making the port vanish; run 'sudo apt remove brltty' (or mask its udev rules), then re-plug",
                ),
            ));
        }
        if ctx.serial_number.is_none_or(|s| s.trim().is_empty()) {
            let tty = ctx.tty;
            let text = if ctx.os == HostOs::Linux {
                tr!(
                    "该芯片没有序列号：重新插拔或接多个转接器时 {tty} 这个名字可能变化；脚本里请用 /dev/serial/by-path/ 下的固定路径",
                    "this chip has no serial number: the name {tty} can change when re-plugged or with several adapters; in scripts use the stable path under /dev/serial/by-path/"
                )
            } else {
                tr!(
                    "该芯片没有序列号：重新插拔或接多个转接器时 {tty} 这个名字可能变化；请按 VID:PID 和 USB 插口确认",
                    "this chip has no serial number: the name {tty} can change when re-plugged or with several adapters; confirm by VID:PID and USB socket"
                )
            };
            notes.push(PortNote::new(
                "chip.no_serial_number",
                NoteLevel::Info,
                text,
            ));
        }
        if ctx.os == HostOs::Macos {
            notes.push(PortNote::new(
                "chip.ch34x_macos_driver",
                NoteLevel::Info,
                Text::fixed(
                    "macOS 10.14 起自带 CH34x 驱动；再装 WCH 驱动会多出一个被占用的端口（旧版还会死机），只保留一个驱动",
                    "macOS 10.14+ has its own CH34x driver; installing WCH's as well creates a second, blocked port (old versions kernel-panicked); keep one driver only",
                ),
            ));
        }
    }
    if chip == ChipFamily::Pl2303 && ctx.os == HostOs::Windows {
        notes.push(PortNote::new(
            "chip.pl2303_windows_clone",
            NoteLevel::Warn,
            Text::fixed(
                "Windows 的 Prolific 驱动会拒绝仿制 PL2303：设备管理器显示 “THIS IS NOT PROLIFIC PL2303” 或 “DOES NOT SUPPORT WINDOWS 11”；安装旧版 Prolific 驱动或换转接器",
                "the Windows Prolific driver refuses clone PL2303 chips: Device Manager shows \"THIS IS NOT PROLIFIC PL2303\" or \"DOES NOT SUPPORT WINDOWS 11\"; install an older Prolific driver or use another adapter",
            ),
        ));
    }
    notes
}

fn same_family(a: ChipFamily, b: ChipFamily) -> bool {
    (a.is_ftdi() && b.is_ftdi()) || (a.is_wch() && b.is_wch())
}

/// FTDI buffers received bytes for up to the latency timer before sending them over USB: at
/// the 16 ms default every ACK of a request/response protocol arrives late.
fn ftdi_latency_note(ctx: &ChipContext<'_>) -> PortNote {
    let tty = ctx.tty;
    match ctx.latency_timer_ms {
        Some(ms) if ms > 2 => PortNote::new(
            "chip.ftdi_latency_timer",
            NoteLevel::Warn,
            tr!(
                "FTDI 延迟计时器为 {ms} ms，收发应答会变慢；设为 1 ms：echo 1 | sudo tee /sys/bus/usb-serial/devices/{tty}/latency_timer",
                "FTDI latency timer is {ms} ms, which slows request/response exchanges; set 1 ms: echo 1 | sudo tee /sys/bus/usb-serial/devices/{tty}/latency_timer"
            ),
        ),
        Some(ms) => PortNote::new(
            "chip.ftdi_latency_timer",
            NoteLevel::Info,
            tr!("FTDI 延迟计时器为 {ms} ms（良好）", "FTDI latency timer is {ms} ms (good)"),
        ),
        None if ctx.os == HostOs::Windows => PortNote::new(
            "chip.ftdi_latency_timer",
            NoteLevel::Info,
            Text::fixed(
                "FTDI 延迟计时器默认 16 ms，会拖慢应答；在设备管理器 → 端口设置 → 高级 中改为 1–2 ms",
                "the FTDI latency timer defaults to 16 ms, which slows replies; set 1–2 ms in Device Manager → Port Settings → Advanced",
            ),
        ),
        None => PortNote::new(
            "chip.ftdi_latency_timer",
            NoteLevel::Info,
            Text::fixed(
                "FTDI 延迟计时器默认 16 ms，会拖慢应答；如驱动允许，改为 1–2 ms",
                "the FTDI latency timer defaults to 16 ms, which slows replies; set 1–2 ms where the driver allows it",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(os: HostOs) -> ChipContext<'static> {
        ChipContext {
            os,
            tty: "ttyUSB0",
            serial_number: None,
            product: None,
            latency_timer_ms: None,
            brltty_present: false,
        }
    }

    fn ids(notes: &[PortNote]) -> Vec<&str> {
        notes.iter().map(|n| n.id.as_str()).collect()
    }

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
        let notes = chip_pitfalls(
            chip,
            &ChipContext {
                product: Some("CP2104 USB to UART"),
                ..ctx(HostOs::Linux)
            },
        );
        assert!(ids(&notes).contains(&"chip.mislabelled"));
        assert!(notes[0].text.en.contains("CH9102"));

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

    #[test]
    fn ftdi_latency_timer_is_judged() {
        let slow = chip_pitfalls(
            ChipFamily::FtdiFt232r,
            &ChipContext {
                latency_timer_ms: Some(16),
                ..ctx(HostOs::Linux)
            },
        );
        let note = slow
            .iter()
            .find(|n| n.id == "chip.ftdi_latency_timer")
            .unwrap();
        assert_eq!(note.level, NoteLevel::Warn);
        assert!(note.text.en.contains("16 ms"));
        assert!(note
            .text
            .en
            .contains("/sys/bus/usb-serial/devices/ttyUSB0/latency_timer"));

        let fast = chip_pitfalls(
            ChipFamily::FtdiFt232r,
            &ChipContext {
                latency_timer_ms: Some(1),
                ..ctx(HostOs::Linux)
            },
        );
        assert_eq!(fast[0].level, NoteLevel::Info);
    }

    #[test]
    fn counterfeit_ftdi_is_flagged() {
        let notes = chip_pitfalls(ChipFamily::FtdiCounterfeitPid0, &ctx(HostOs::Windows));
        assert_eq!(notes[0].id, "chip.ftdi_counterfeit");
        assert!(notes[0].text.en.contains("FT_Prog"));
    }

    #[test]
    fn ch340_pitfalls_depend_on_os_and_brltty() {
        let linux = chip_pitfalls(
            ChipFamily::Ch340,
            &ChipContext {
                brltty_present: true,
                ..ctx(HostOs::Linux)
            },
        );
        assert_eq!(ids(&linux), ["chip.ch34x_brltty", "chip.no_serial_number"]);
        assert!(linux[1].text.en.contains("/dev/serial/by-path/"));

        let with_serial = chip_pitfalls(
            ChipFamily::Ch340,
            &ChipContext {
                serial_number: Some("A1B2"),
                ..ctx(HostOs::Linux)
            },
        );
        assert!(with_serial.is_empty());

        let mac = chip_pitfalls(ChipFamily::Ch9102, &ctx(HostOs::Macos));
        assert!(ids(&mac).contains(&"chip.ch34x_macos_driver"));
    }

    #[test]
    fn cp210x_and_pl2303_pitfalls() {
        let cp = chip_pitfalls(ChipFamily::Cp210x, &ctx(HostOs::Linux));
        assert_eq!(ids(&cp), ["chip.cp210x_baud_rounding"]);
        let pl_win = chip_pitfalls(ChipFamily::Pl2303, &ctx(HostOs::Windows));
        assert_eq!(ids(&pl_win), ["chip.pl2303_windows_clone"]);
        assert!(chip_pitfalls(ChipFamily::Pl2303, &ctx(HostOs::Linux)).is_empty());
    }

    #[test]
    fn every_pitfall_is_bilingual() {
        for chip in [
            ChipFamily::FtdiCounterfeitPid0,
            ChipFamily::Cp210x,
            ChipFamily::Ch340,
            ChipFamily::Pl2303,
        ] {
            for os in [HostOs::Linux, HostOs::Macos, HostOs::Windows] {
                let c = ChipContext {
                    brltty_present: true,
                    product: Some("CP2102"),
                    ..ctx(os)
                };
                for note in chip_pitfalls(chip, &c) {
                    assert!(!note.text.is_incomplete(), "{}", note.id);
                }
            }
        }
    }
}
