//! Machine-wide facts that break serial ports regardless of the adapter (docs/field-guide.md §1.4):
//! brltty grabbing USB-serial adapters, missing `dialout` membership, OS naming rules.
//!
//! Detection reads files only (`/proc`, `/etc/group`, metadata); the judgements are pure
//! functions of what was read, so they are tested without a particular machine.

use serde::{Deserialize, Serialize};

use super::ports::{NoteLevel, PortNote};
use crate::i18n::Text;
use crate::tr;

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

/// brltty on this machine (Linux).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Brltty {
    pub installed: bool,
    pub running: bool,
}

impl Brltty {
    pub fn present(self) -> bool {
        self.installed || self.running
    }
}

#[cfg(target_os = "linux")]
pub(crate) fn detect_brltty() -> Brltty {
    let installed = [
        "/usr/bin/brltty",
        "/bin/brltty",
        "/usr/sbin/brltty",
        "/sbin/brltty",
    ]
    .iter()
    .any(|p| std::path::Path::new(p).exists());
    let running = std::fs::read_dir("/proc")
        .map(|entries| {
            entries.flatten().any(|e| {
                std::fs::read_to_string(e.path().join("comm"))
                    .map(|comm| comm.trim() == "brltty")
                    .unwrap_or(false)
            })
        })
        .unwrap_or(false);
    Brltty { installed, running }
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn detect_brltty() -> Brltty {
    Brltty::default()
}

/// Notes about the machine rather than one port.
pub(crate) fn host_notes(os: HostOs, port_count: usize, brltty: Brltty) -> Vec<PortNote> {
    let mut notes = Vec::new();
    if os == HostOs::Linux && brltty.present() {
        let state = match (brltty.installed, brltty.running) {
            (_, true) => Text::fixed("正在运行", "is running"),
            _ => Text::fixed("已安装", "is installed"),
        };
        notes.push(PortNote::new(
            "host.brltty",
            NoteLevel::Warn,
            Text::new(
                format!(
                    "brltty（盲文显示服务）{}：它会抢占 CH340/CP210x 等 USB 串口，插上后串口立刻消失（dmesg 可见 “interface claimed by ch341 while 'brltty' sets config”）；不用盲文设备时执行 sudo apt remove brltty",
                    state.zh
                ),
                format!(
                    "brltty (braille display service) {}: it grabs USB-serial adapters such as CH340/CP210x and the port vanishes right after plugging in (dmesg: \"interface claimed by ch341 while 'brltty' sets config\"); without a braille display run 'sudo apt remove brltty'",
                    state.en
                ),
            ),
        ));
    }
    if port_count == 0 {
        let text = match os {
            HostOs::Windows => Text::fixed(
                "没有找到串口：检查转接器是否插好，在设备管理器“端口 (COM 和 LPT)”下看是否有带感叹号的设备（驱动未装或被拒绝）",
                "no serial ports found: check the adapter is plugged in, and look in Device Manager under \"Ports (COM & LPT)\" for a device with a warning sign (driver missing or refused)",
            ),
            HostOs::Macos => Text::fixed(
                "没有找到串口：检查转接器是否插好；ls /dev/cu.* 应能看到它，看不到时检查驱动",
                "no serial ports found: check the adapter is plugged in; 'ls /dev/cu.*' should show it, otherwise check the driver",
            ),
            _ => Text::fixed(
                "没有找到串口：检查转接器是否插好；插上后运行 sudo dmesg | tail 查看内核是否识别",
                "no serial ports found: check the adapter is plugged in; after plugging in run 'sudo dmesg | tail' to see whether the kernel saw it",
            ),
        };
        notes.push(PortNote::new("host.no_ports", NoteLevel::Warn, text));
    }
    notes
}

/// Per-port notes about the port's name on this OS.
pub(crate) fn naming_notes(os: HostOs, port: &str) -> Vec<PortNote> {
    let mut notes = Vec::new();
    if os == HostOs::Macos {
        if let Some(rest) = port.strip_prefix("/dev/tty.") {
            notes.push(PortNote::new(
                "os.macos_tty",
                NoteLevel::Info,
                tr!(
                    "请用 /dev/cu.{rest}：tty.* 打开时会等待 DCD 信号而卡住",
                    "use /dev/cu.{rest}: opening tty.* waits for the DCD line and hangs"
                ),
            ));
        }
    }
    if os == HostOs::Windows {
        let number = port
            .to_ascii_uppercase()
            .strip_prefix("COM")
            .and_then(|n| n.parse::<u32>().ok());
        if number.is_some_and(|n| n >= 10) {
            notes.push(PortNote::new(
                "os.windows_com10",
                NoteLevel::Info,
                tr!(
                    "COM10 及以上在其他工具里要写成 \\\\.\\{port}（posdiag 会自动处理）",
                    "COM10 and above must be written \\\\.\\{port} in other tools (posdiag does this itself)"
                ),
            ));
        }
    }
    notes
}

/// Who we are, for the permission check: effective uid and all group ids.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub uid: u32,
    pub groups: Vec<u32>,
}

/// Reads uid and groups from the `Uid:`, `Gid:` and `Groups:` lines of /proc/self/status.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn parse_proc_status(status: &str) -> Option<Credentials> {
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|rest| {
                rest.split_whitespace()
                    .filter_map(|n| n.parse::<u32>().ok())
            })
    };
    // Uid: real effective saved fs
    let uid = field("Uid:")?.nth(1)?;
    let mut groups: Vec<u32> = field("Groups:").map(|g| g.collect()).unwrap_or_default();
    if let Some(gid) = field("Gid:").and_then(|mut g| g.nth(1)) {
        groups.push(gid);
    }
    Some(Credentials { uid, groups })
}

/// The name of group `gid` in an /etc/group text.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn group_name(etc_group: &str, gid: u32) -> Option<String> {
    etc_group.lines().find_map(|line| {
        let mut parts = line.split(':');
        let name = parts.next()?;
        let id = parts.nth(1)?.parse::<u32>().ok()?;
        (id == gid).then(|| name.to_string())
    })
}

/// Whether `who` may open a device with this owner, group and mode for reading and writing;
/// if not, the note saying which group to join.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub(crate) fn permission_note(
    who: &Credentials,
    owner: u32,
    group: u32,
    mode: u32,
    group_name: Option<&str>,
) -> Option<PortNote> {
    let rw = |shift: u32| (mode >> shift) & 0o6 == 0o6;
    let allowed = who.uid == 0
        || rw(0)
        || (who.uid == owner && rw(6))
        || (who.groups.contains(&group) && rw(3));
    if allowed {
        return None;
    }
    let name = group_name.map_or_else(|| group.to_string(), str::to_string);
    Some(PortNote::new(
        "os.no_permission",
        NoteLevel::Warn,
        tr!(
            "当前用户无权打开此串口：执行 sudo usermod -aG {name} $USER，然后注销并重新登录",
            "your user may not open this port: run 'sudo usermod -aG {name} $USER', then log out and in again"
        ),
    ))
}

/// The permission note for `port` on this machine (Linux), if we could not open it.
#[cfg(target_os = "linux")]
pub(crate) fn check_permission(port: &str) -> Option<PortNote> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(port).ok()?;
    let who = parse_proc_status(&std::fs::read_to_string("/proc/self/status").ok()?)?;
    let etc_group = std::fs::read_to_string("/etc/group").unwrap_or_default();
    let name = group_name(&etc_group, meta.gid());
    permission_note(&who, meta.uid(), meta.gid(), meta.mode(), name.as_deref())
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn check_permission(_port: &str) -> Option<PortNote> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: &str = "Name:\tcat\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\t1000\t1000\t1000\nGroups:\t4 24 27 1000 \n";

    #[test]
    fn credentials_come_from_proc_status() {
        let who = parse_proc_status(STATUS).unwrap();
        assert_eq!(who.uid, 1000);
        assert!(who.groups.contains(&27) && who.groups.contains(&1000));
    }

    #[test]
    fn dialout_membership_is_checked() {
        let etc_group = "root:x:0:\ndialout:x:20:\nsudo:x:27:alice\n";
        assert_eq!(group_name(etc_group, 20).as_deref(), Some("dialout"));
        let who = parse_proc_status(STATUS).unwrap();
        // crw-rw---- root dialout
        let note = permission_note(&who, 0, 20, 0o20660, Some("dialout")).unwrap();
        assert!(
            note.text.en.contains("usermod -aG dialout"),
            "{}",
            note.text.en
        );
        assert!(note.text.zh.contains("dialout"));

        let member = Credentials {
            uid: 1000,
            groups: vec![20],
        };
        assert!(permission_note(&member, 0, 20, 0o20660, Some("dialout")).is_none());
        let root = Credentials::default();
        assert!(permission_note(&root, 0, 20, 0o20600, None).is_none());
        // crw-rw-rw- (e.g. macOS cu.*)
        assert!(permission_note(&who, 0, 20, 0o20666, None).is_none());
    }

    #[test]
    fn host_notes_name_brltty_and_empty_lists() {
        let brltty = Brltty {
            installed: true,
            running: false,
        };
        let notes = host_notes(HostOs::Linux, 0, brltty);
        let ids: Vec<_> = notes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["host.brltty", "host.no_ports"]);
        assert!(notes[0].text.en.contains("is installed"));
        assert!(host_notes(HostOs::Windows, 2, brltty).is_empty());
        for os in [HostOs::Linux, HostOs::Macos, HostOs::Windows] {
            for n in host_notes(os, 0, brltty) {
                assert!(!n.text.is_incomplete());
            }
        }
    }

    #[test]
    fn naming_rules_per_os() {
        let mac = naming_notes(HostOs::Macos, "/dev/tty.usbserial-1420");
        assert!(mac[0].text.en.contains("/dev/cu.usbserial-1420"));
        assert!(naming_notes(HostOs::Macos, "/dev/cu.usbserial-1420").is_empty());
        let win = naming_notes(HostOs::Windows, "COM12");
        assert!(win[0].text.en.contains(r"\\.\COM12"), "{}", win[0].text.en);
        assert!(naming_notes(HostOs::Windows, "COM3").is_empty());
    }
}
