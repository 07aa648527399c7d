//! The known pitfalls of each USB-serial chip family (docs/field-guide.md §1.3), as bilingual
//! notes: FTDI latency timer and counterfeits, CP210x baud rounding, CH34x and brltty or missing
//! serial numbers, PL2303 clones on Windows, mislabelled boards.
//!
//! A pure function of the chip and a [`ChipContext`] of facts read elsewhere, so every rule is
//! tested without hardware.

use super::chips::{named_chip, ChipFamily};
use super::host::HostOs;
use super::ports::{NoteLevel, PortNote};
use crate::i18n::Text;
use crate::tr;

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
    use crate::chips::identify_chip;

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
    fn mislabelled_boards_are_noted() {
        // A board sold as CP2104 that is really a CH9102.
        let product = Some("CP2104 USB to UART");
        let chip = identify_chip(0x1A86, 0x55D4, Some("Silicon Labs"), product);
        let notes = chip_pitfalls(
            chip,
            &ChipContext {
                product,
                ..ctx(HostOs::Linux)
            },
        );
        assert!(ids(&notes).contains(&"chip.mislabelled"));
        assert!(notes[0].text.en.contains("CH9102"));
        // Same family under another name is not a mislabel.
        let ftdi = chip_pitfalls(
            ChipFamily::FtdiFt232r,
            &ChipContext {
                product: Some("FTDI USB Serial"),
                ..ctx(HostOs::Linux)
            },
        );
        assert!(!ids(&ftdi).contains(&"chip.mislabelled"));
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
