//! Why a link could not be opened or was lost, with the data the technician needs and what to
//! do about it, in both languages.
//!
//! Which OS error means what is decided in `os_error.rs`.

use std::io;
use std::time::Duration;

pub use super::os_error::is_link_lost;
use super::os_error::{classify_open_error, OpenFailure};
use crate::i18n::Text;
use crate::tr;

/// A link failure. `Display` is the English message, a dash, and what to do; [`LinkError::message`]
/// and [`LinkError::hint`] give both languages.
#[derive(Debug, thiserror::Error)]
#[error("{} — {}", self.message().en, self.hint().en)]
#[non_exhaustive]
pub enum LinkError {
    /// The serial port does not exist (unplugged, wrong name, driver missing).
    PortNotFound {
        port: String,
        /// Ports that do exist, to pick from.
        available: Vec<String>,
    },
    /// The OS refuses access to the port (Linux: not in `dialout`).
    PermissionDenied { port: String },
    /// Another program holds the port.
    PortBusy { port: String },
    /// Settings that cannot be used: unparsable short form, or rejected by the driver.
    InvalidSettings {
        input: String,
        problem: SettingsProblem,
    },
    /// A serial-only operation (baud change) was asked of a TCP link.
    NotSerial { target: String },
    /// The TCP address is not `HOST:PORT`.
    BadAddress { addr: String },
    /// The host name could not be resolved.
    Resolve { host: String, reason: String },
    /// Nothing listens on that address and port.
    TcpRefused { addr: String },
    /// No answer to the connection attempt within `timeout`.
    TcpTimeout { addr: String, timeout: Duration },
    /// No route to the address (cable, Wi-Fi, wrong subnet).
    TcpUnreachable { addr: String },
    /// The link was open and went away (cable pulled, adapter removed, peer closed).
    Lost { target: String, reason: String },
    /// Any other I/O error on `target`.
    Io {
        target: String,
        #[source]
        source: io::Error,
    },
}

/// What is wrong with serial settings.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsProblem {
    /// Not of the form "9600 8N1".
    Format,
    /// Baud rate not a number between 1 and 4 000 000.
    Baud,
    /// Data bits not 5–8.
    DataBits,
    /// Parity not N, E or O.
    Parity,
    /// Stop bits not 1 or 2.
    StopBits,
    /// The driver refused the settings; its own words.
    Rejected(String),
}

impl SettingsProblem {
    pub fn text(&self) -> Text {
        match self {
            SettingsProblem::Format => Text::fixed(
                "格式应为“波特率 数据位校验停止位”，如 9600 8N1",
                "expected 'baud framing' such as 9600 8N1",
            ),
            SettingsProblem::Baud => Text::fixed(
                "波特率应为 1 到 4000000 之间的数字，如 9600",
                "the baud rate must be a number from 1 to 4000000, such as 9600",
            ),
            SettingsProblem::DataBits => {
                Text::fixed("数据位应为 5、6、7 或 8", "data bits must be 5, 6, 7 or 8")
            }
            SettingsProblem::Parity => Text::fixed(
                "校验位应为 N（无）、E（偶）或 O（奇）",
                "parity must be N (none), E (even) or O (odd)",
            ),
            SettingsProblem::StopBits => {
                Text::fixed("停止位应为 1 或 2", "stop bits must be 1 or 2")
            }
            SettingsProblem::Rejected(why) => {
                tr!(
                    "驱动拒绝了这些设置：{why}",
                    "the driver refused them: {why}"
                )
            }
        }
    }
}

impl LinkError {
    /// What is wrong, in both languages.
    pub fn message(&self) -> Text {
        match self {
            LinkError::PortNotFound { port, .. } if port.is_empty() => {
                Text::fixed("没有指定串口", "no serial port was given")
            }
            LinkError::PortNotFound { port, available } if available.is_empty() => tr!(
                "串口 {port} 不存在，本机也没有找到任何串口",
                "serial port {port} does not exist and no serial ports were found"
            ),
            LinkError::PortNotFound { port, available } => {
                let list = available.join(", ");
                tr!(
                    "串口 {port} 不存在（现有：{list}）",
                    "serial port {port} does not exist (ports present: {list})"
                )
            }
            LinkError::PermissionDenied { port } => {
                tr!(
                    "没有权限打开串口 {port}",
                    "no permission to open serial port {port}"
                )
            }
            LinkError::PortBusy { port } => tr!(
                "串口 {port} 正被其他程序占用",
                "serial port {port} is in use by another program"
            ),
            LinkError::InvalidSettings { input, problem } => {
                let why = problem.text();
                Text::new(
                    format!("串口设置“{input}”无效：{}", why.zh),
                    format!("invalid serial settings '{input}': {}", why.en),
                )
            }
            LinkError::NotSerial { target } => tr!(
                "{target} 不是串口，不能修改波特率等串口参数",
                "{target} is not a serial port; baud and framing cannot be changed"
            ),
            LinkError::BadAddress { addr } => tr!(
                "地址“{addr}”格式不对，应为 主机:端口",
                "address '{addr}' is not HOST:PORT"
            ),
            LinkError::Resolve { host, reason } => tr!(
                "无法解析主机名 {host}（{reason}）",
                "cannot resolve host name {host} ({reason})"
            ),
            LinkError::TcpRefused { addr } => tr!(
                "{addr} 拒绝连接：该端口没有程序在监听",
                "{addr} refused the connection: nothing is listening on that port"
            ),
            LinkError::TcpTimeout { addr, timeout } => {
                let t = crate::durations::show(*timeout);
                tr!(
                    "连接 {addr} 超时（{t} 内无应答）",
                    "no answer from {addr} within {t}"
                )
            }
            LinkError::TcpUnreachable { addr } => tr!(
                "无法到达 {addr}：没有通往该地址的网络路由",
                "{addr} is unreachable: no network route to it"
            ),
            LinkError::Lost { target, reason } => {
                tr!(
                    "链路断开：{target}（{reason}）",
                    "link lost: {target} ({reason})"
                )
            }
            LinkError::Io { target, source } => {
                tr!(
                    "{target} 输入输出错误：{source}",
                    "I/O error on {target}: {source}"
                )
            }
        }
    }

    /// What to do about it, in both languages.
    pub fn hint(&self) -> Text {
        match self {
            LinkError::PortNotFound { port, .. } if port.is_empty() => Text::fixed(
                "用 --serial 指定串口，或运行 posdiag ports 查看可用串口",
                "give one with --serial, or run 'posdiag ports' to list them",
            ),
            LinkError::PortNotFound { available, .. } if available.is_empty() => Text::fixed(
                "检查 USB 线和转接器是否插好、驱动是否安装（Linux 上看 dmesg）",
                "check that the USB cable and adapter are plugged in and the driver is installed (on Linux see dmesg)",
            ),
            LinkError::PortNotFound { .. } => Text::fixed(
                "从现有串口中选一个；转接器重新插拔后名称可能改变，运行 posdiag ports 按 VID:PID 确认",
                "pick one of the ports present; names can change after re-plugging, run 'posdiag ports' to match by VID:PID",
            ),
            LinkError::PermissionDenied { .. } => permission_hint(),
            LinkError::PortBusy { .. } => Text::fixed(
                "关闭占用该串口的程序（串口助手、厂商工具、另一个 posdiag），然后重试",
                "close the program holding it (serial monitor, vendor tool, another posdiag) and retry",
            ),
            LinkError::InvalidSettings { .. } => Text::fixed(
                "按终端的 ECR 设置填写，如 ZVT 常用 9600 8N2；不确定时用波特率扫描",
                "use the terminal's ECR settings, e.g. 9600 8N2 for ZVT; if unsure, run the baud scan",
            ),
            LinkError::NotSerial { .. } => Text::fixed(
                "TCP 连接无需波特率；要扫描波特率请改用串口连接",
                "TCP needs no baud rate; connect over serial to scan baud rates",
            ),
            LinkError::BadAddress { .. } => Text::fixed(
                "写成 192.168.1.20:20007 或 pos.local:20007 的形式",
                "write it like 192.168.1.20:20007 or pos.local:20007",
            ),
            LinkError::Resolve { .. } => Text::fixed(
                "检查主机名拼写和 DNS 设置，或直接使用 IP 地址",
                "check the spelling and DNS settings, or use the IP address",
            ),
            LinkError::TcpRefused { .. } => Text::fixed(
                "检查终端的 ECR/TCP 设置是否开启、端口号是否一致，以及 IP 是否是该终端",
                "check that the terminal's ECR/TCP interface is enabled, the port number matches, and the IP is this terminal's",
            ),
            LinkError::TcpTimeout { .. } => Text::fixed(
                "检查 IP 地址和子网是否正确、终端是否开机联网、防火墙是否放行该端口",
                "check the IP address and subnet, that the device is on the network, and that no firewall blocks the port",
            ),
            LinkError::TcpUnreachable { .. } => Text::fixed(
                "检查网线/Wi-Fi、本机 IP 与目标是否在同一子网、网关设置",
                "check the cable or Wi-Fi, that this laptop is on the same subnet, and the gateway",
            ),
            LinkError::Lost { .. } => Text::fixed(
                "检查线缆和转接器是否松动；插回后会自动重连",
                "check the cable and adapter; posdiag reconnects when it is back",
            ),
            LinkError::Io { .. } => Text::fixed(
                "重试；如反复出现，重新插拔转接器或重启终端",
                "retry; if it keeps happening, re-plug the adapter or restart the device",
            ),
        }
    }

    /// True for [`LinkError::Lost`]: the session should switch to "reconnecting".
    pub fn is_lost(&self) -> bool {
        matches!(self, LinkError::Lost { .. })
    }

    /// A link that was open failed with `err`: `Lost` when [`is_link_lost`] says so, else `Io`.
    pub fn from_io(target: &str, err: io::Error) -> LinkError {
        if is_link_lost(&err) {
            LinkError::Lost {
                target: target.to_string(),
                reason: err.to_string(),
            }
        } else {
            LinkError::Io {
                target: target.to_string(),
                source: err,
            }
        }
    }

    /// Maps an error from opening serial port `port`. `available` is only called when the port
    /// is missing, to list the ports that do exist.
    pub fn from_open_error(
        port: &str,
        err: io::Error,
        available: impl FnOnce() -> Vec<String>,
    ) -> LinkError {
        let port_owned = port.to_string();
        match classify_open_error(&err) {
            Some(OpenFailure::NotFound) => LinkError::PortNotFound {
                port: port_owned,
                available: available(),
            },
            Some(OpenFailure::PermissionDenied) => LinkError::PermissionDenied { port: port_owned },
            Some(OpenFailure::Busy) => LinkError::PortBusy { port: port_owned },
            None => LinkError::Io {
                target: port_owned,
                source: err,
            },
        }
    }
}

fn permission_hint() -> Text {
    if cfg!(target_os = "macos") {
        Text::fixed(
            "使用 /dev/cu.* 而不是 /dev/tty.*；确认没有安装两个 CH34x 驱动",
            "use /dev/cu.* rather than /dev/tty.*; make sure only one CH34x driver is installed",
        )
    } else if cfg!(windows) {
        Text::fixed(
            "关闭占用该串口的程序，或以管理员身份重试",
            "close the program holding the port, or retry as administrator",
        )
    } else {
        Text::fixed(
            "把用户加入 dialout 组（sudo usermod -aG dialout $USER），然后注销并重新登录",
            "add your user to the dialout group (sudo usermod -aG dialout $USER), then log out and in again",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn from_open_error_builds_errors_with_the_port() {
        let err = LinkError::from_open_error(
            "/dev/ttyUSB0",
            io::Error::from_raw_os_error(libc::EACCES),
            || panic!("not asked for a missing port"),
        );
        assert!(matches!(&err, LinkError::PermissionDenied { port } if port == "/dev/ttyUSB0"));
        if cfg!(target_os = "linux") {
            assert!(err.hint().en.contains("dialout"), "{}", err.hint().en);
            assert!(err.hint().zh.contains("dialout"));
        }

        let err = LinkError::from_open_error(
            "/dev/ttyUSB0",
            io::Error::from_raw_os_error(libc::EBUSY),
            Vec::new,
        );
        assert!(matches!(&err, LinkError::PortBusy { port } if port == "/dev/ttyUSB0"));
        assert!(err.to_string().contains("close the program"), "{err}");

        let err = LinkError::from_open_error(
            "/dev/ttyUSB9",
            io::Error::from_raw_os_error(libc::ENOENT),
            || vec!["/dev/ttyUSB0".into()],
        );
        assert!(err.to_string().contains("/dev/ttyUSB0"), "{err}");
    }

    #[test]
    fn io_errors_on_an_open_link_become_lost_or_io() {
        let err = LinkError::from_io("/dev/ttyUSB0 9600 8N2", io::ErrorKind::BrokenPipe.into());
        assert!(err.is_lost());
        let err = LinkError::from_io("tcp 127.0.0.1:1", io::ErrorKind::TimedOut.into());
        assert!(!err.is_lost());
    }

    #[test]
    fn every_error_has_both_languages() {
        let errors = [
            LinkError::PortNotFound {
                port: String::new(),
                available: vec![],
            },
            LinkError::PortNotFound {
                port: "COM9".into(),
                available: vec![],
            },
            LinkError::PortNotFound {
                port: "COM9".into(),
                available: vec!["COM3".into()],
            },
            LinkError::PermissionDenied { port: "p".into() },
            LinkError::PortBusy { port: "p".into() },
            LinkError::InvalidSettings {
                input: "9600 8X1".into(),
                problem: SettingsProblem::Parity,
            },
            LinkError::NotSerial {
                target: "tcp a:1".into(),
            },
            LinkError::BadAddress { addr: "a".into() },
            LinkError::Resolve {
                host: "h".into(),
                reason: "r".into(),
            },
            LinkError::TcpRefused { addr: "a:1".into() },
            LinkError::TcpTimeout {
                addr: "a:1".into(),
                timeout: Duration::from_secs(3),
            },
            LinkError::TcpUnreachable { addr: "a:1".into() },
            LinkError::Lost {
                target: "t".into(),
                reason: "r".into(),
            },
            LinkError::Io {
                target: "t".into(),
                source: io::Error::other("x"),
            },
        ];
        for err in &errors {
            assert!(!err.message().is_incomplete(), "{err:?}");
            assert!(!err.hint().is_incomplete(), "{err:?}");
            assert!(!err.to_string().is_empty());
        }
        let timeout = &errors[10];
        assert!(timeout.to_string().contains("3.0 s"), "{timeout}");
        assert!(timeout.to_string().contains("firewall"), "{timeout}");
    }
}
