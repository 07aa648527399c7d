//! What the Connect tab lists, and the session each line opens: detected serial ports, the
//! built-in demo, and every profile (built-in and the user's own). A profile whose device is
//! on the network (or on a serial port it does not name) asks where it is before connecting.
//!
//! In the demo the list starts with the demo's own simulated devices, so the technician sees
//! what is being checked and can open a real profile from there.

use crate::i18n::Text;
use crate::link::{PortInfo, PortKind};
use crate::profile::{all_names, load_profile, Profile, ProfileError, SimulatedLink};
use crate::session::SessionConfig;
use crate::sim::Fault;
use crate::tui::{ConnectAsk, ConnectEntry, ConnectKind};

use super::errors::profile_error_text;

/// A line of the Connect tab and the session it opens.
pub struct ConnectTarget {
    pub entry: ConnectEntry,
    pub open: TargetKind,
}

pub enum TargetKind {
    /// A detected port, opened with the zvt-serial profile.
    Port(String),
    /// A profile by name; what the user typed (address or port) overrides the profile's.
    Profile(String),
    /// The built-in simulated POS, with these simulated faults (the demo's own `--fault`s, so
    /// starting it again shows the same problems).
    Demo(Vec<Fault>),
}

/// `posdiag` and `posdiag tui`: the detected `ports`, the demo, then every profile.
pub fn connect_targets(ports: &[PortInfo]) -> Vec<ConnectTarget> {
    let mut targets: Vec<ConnectTarget> = ports.iter().map(port_target).collect();
    targets.push(ConnectTarget {
        entry: entry(
            ConnectKind::Demo,
            Text::fixed("演示：内置模拟 POS", "Demo: built-in simulated POS"),
            Text::fixed(
                "无需硬件：模拟终端、小票打印机和收单主机",
                "no hardware needed: simulated terminal, receipt printer and acquirer host",
            ),
        ),
        open: TargetKind::Demo(Vec::new()),
    });
    let first_port = ports.first().map(|p| p.name.clone()).unwrap_or_default();
    targets.extend(profile_targets(&all_names(), &first_port));
    targets
}

/// `posdiag demo`: the simulated devices this demo runs (Enter starts the demo again with fresh
/// checks), then every other profile.
pub fn demo_targets(demo: &Profile, faults: &[Fault]) -> Vec<ConnectTarget> {
    let restart = Text::fixed(
        "正在演示中；Enter 重新启动演示并重新检查",
        "running in this demo; Enter starts the demo again and re-runs the checks",
    );
    let link = |l: SimulatedLink| match l {
        SimulatedLink::Pty if cfg!(unix) => Text::fixed("伪终端", "pseudo-terminal"),
        _ => Text::fixed("TCP 127.0.0.1", "TCP on 127.0.0.1"),
    };
    let (terminal_link, printer_link) = demo
        .simulator
        .as_ref()
        .map_or((SimulatedLink::Pty, SimulatedLink::Tcp), |s| {
            (s.terminal_link, s.printer_link)
        });
    let mut devices = Vec::new();
    if demo.terminal.is_some() {
        let via = link(terminal_link);
        devices.push((
            Text::fixed("模拟 ZVT 终端", "Simulated ZVT terminal"),
            Text::new(
                format!("{}，ZVT 成帧", via.zh),
                format!("{}, ZVT framing", via.en),
            ),
        ));
    }
    if demo.printer.is_some() {
        let via = link(printer_link);
        devices.push((
            Text::fixed(
                "模拟 ESC/POS 小票打印机",
                "Simulated ESC/POS receipt printer",
            ),
            via,
        ));
    }
    if demo.host.is_some() {
        devices.push((
            Text::fixed("模拟银联收单主机", "Simulated UnionPay acquirer host"),
            Text::fixed("ISO 8583，TCP 127.0.0.1", "ISO 8583, TCP on 127.0.0.1"),
        ));
    }
    let mut targets: Vec<ConnectTarget> = devices
        .into_iter()
        .map(|(title, via)| ConnectTarget {
            entry: entry(
                ConnectKind::Demo,
                title,
                Text::new(
                    format!("{} · {}", via.zh, restart.zh),
                    format!("{} · {}", via.en, restart.en),
                ),
            ),
            open: TargetKind::Demo(faults.to_vec()),
        })
        .collect();
    targets.extend(profile_targets(&all_names(), ""));
    targets
}

/// A line for each profile in `names` but the demo (listed as the demo's own line). A profile
/// that cannot be read is listed with the reason, so a broken user file is not silently missing.
fn profile_targets(names: &[String], first_port: &str) -> Vec<ConnectTarget> {
    names
        .iter()
        .filter(|n| n.as_str() != "demo")
        .map(|name| {
            let mut line = entry(
                ConnectKind::Profile,
                Text::same(name.clone()),
                Text::same(""),
            );
            match load_profile(name) {
                Ok((profile, _)) => {
                    line.detail = profile.description.clone();
                    line.ask = ask_for(&profile, first_port);
                }
                Err(e) => line.warnings.push(profile_error_text(&e)),
            }
            ConnectTarget {
                entry: line,
                open: TargetKind::Profile(name.clone()),
            }
        })
        .collect()
}

/// What choosing `profile` asks: the address of its main device (the terminal, else the
/// printer, else the host) when that is on the network, or a port when it names none.
pub fn ask_for(profile: &Profile, first_port: &str) -> Option<ConnectAsk> {
    if profile.simulator.is_some() {
        return None;
    }
    let (serial, tcp) = if let Some(t) = &profile.terminal {
        (t.serial.as_ref(), t.tcp.as_ref())
    } else if let Some(p) = &profile.printer {
        (p.serial.as_ref(), p.tcp.as_ref())
    } else {
        (None, profile.host.as_ref()?.tcp.as_ref())
    };
    match (serial, tcp) {
        (Some(s), _) if !s.port.is_empty() => None,
        (_, Some(address)) => Some(ConnectAsk::Tcp {
            default: address.clone(),
        }),
        (Some(_), None) => Some(ConnectAsk::Serial {
            default: first_port.to_owned(),
        }),
        (None, None) => Some(ConnectAsk::Tcp {
            default: String::new(),
        }),
    }
}

fn entry(kind: ConnectKind, title: Text, detail: Text) -> ConnectEntry {
    ConnectEntry {
        kind,
        title,
        detail,
        warnings: Vec::new(),
        ask: None,
    }
}

fn port_target(port: &PortInfo) -> ConnectTarget {
    let detail = match &port.usb {
        Some(usb) => {
            let words: Vec<String> = [
                Some(format!("USB {}", usb.vid_pid())),
                usb.manufacturer.clone(),
                usb.product.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            Text::same(words.join(" "))
        }
        None => match port.kind {
            PortKind::Usb => Text::fixed("USB 串口", "USB serial port"),
            PortKind::Pci => Text::fixed("PCI 串口卡", "PCI serial card"),
            PortKind::Bluetooth => Text::fixed("蓝牙串口", "Bluetooth serial port"),
            PortKind::Other => Text::fixed("板载串口或类型未知", "built-in or unknown serial port"),
        },
    };
    let mut line = entry(
        ConnectKind::Port,
        Text::same(format!("{} (zvt-serial 9600 8N2)", port.name)),
        detail,
    );
    line.warnings = port.notes.iter().map(|n| n.text.clone()).collect();
    ConnectTarget {
        entry: line,
        open: TargetKind::Port(port.name.clone()),
    }
}

/// The session `target` opens; `typed` is what the user gave for a profile that asks (an
/// address for a TCP device, a port for a serial one).
pub fn target_config(
    target: &ConnectTarget,
    typed: Option<&str>,
) -> Result<SessionConfig, ProfileError> {
    let (name, mut serial, mut tcp) = match &target.open {
        TargetKind::Port(p) => ("zvt-serial", Some(p.clone()), None),
        TargetKind::Profile(n) => (n.as_str(), None, None),
        TargetKind::Demo(_) => ("demo", None, None),
    };
    let faults = match &target.open {
        TargetKind::Demo(faults) => faults.clone(),
        _ => Vec::new(),
    };
    if let Some(typed) = typed {
        match &target.entry.ask {
            Some(ConnectAsk::Serial { .. }) => serial = Some(typed.to_owned()),
            Some(ConnectAsk::Tcp { .. }) => tcp = Some(typed.to_owned()),
            None => {}
        }
    }
    let (profile, _) = load_profile(name)?;
    Ok(SessionConfig {
        profile,
        faults,
        serial,
        tcp,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(targets: &[ConnectTarget]) -> Vec<String> {
        targets
            .iter()
            .map(|t| t.entry.title.en.to_string())
            .collect()
    }

    #[test]
    fn every_profile_is_listed_and_network_ones_ask_for_an_address() {
        let targets = connect_targets(&[]);
        let names = titles(&targets);
        for name in crate::profile::builtin_names() {
            if name != "demo" {
                assert!(names.iter().any(|n| n == name), "{name} missing: {names:?}");
            }
        }
        let ask = |name: &str| {
            targets
                .iter()
                .find(|t| t.entry.title.en == name)
                .and_then(|t| t.entry.ask.clone())
        };
        let tcp = |a: &str| {
            Some(ConnectAsk::Tcp {
                default: a.to_owned(),
            })
        };
        assert_eq!(ask("zvt-tcp"), tcp("127.0.0.1:20007"));
        assert_eq!(ask("escpos-tcp"), tcp("127.0.0.1:9100"));
        assert_eq!(ask("cup-host"), tcp("127.0.0.1:5000"));
        assert!(matches!(ask("zvt-serial"), Some(ConnectAsk::Serial { .. })));
    }

    #[test]
    fn the_address_typed_goes_to_the_session() {
        let targets = connect_targets(&[]);
        let zvt_tcp = targets
            .iter()
            .find(|t| t.entry.title.en == "zvt-tcp")
            .expect("listed");
        let config = target_config(zvt_tcp, Some("10.0.0.7:20007")).expect("loads");
        assert_eq!(config.tcp.as_deref(), Some("10.0.0.7:20007"));
        assert_eq!(config.serial, None);
        let serial = targets
            .iter()
            .find(|t| t.entry.title.en == "escpos-serial")
            .expect("listed");
        let config = target_config(serial, Some("/dev/ttyUSB3")).expect("loads");
        assert_eq!(config.serial.as_deref(), Some("/dev/ttyUSB3"));
    }

    #[test]
    fn the_demo_lists_its_simulated_devices_and_the_profiles() {
        let (demo, _) = load_profile("demo").expect("built in");
        let fault = Fault::parse("reader.unreadable").expect("a known fault");
        let targets = demo_targets(&demo, std::slice::from_ref(&fault));
        let names = titles(&targets);
        assert_eq!(
            names[..3],
            [
                "Simulated ZVT terminal",
                "Simulated ESC/POS receipt printer",
                "Simulated UnionPay acquirer host"
            ]
        );
        assert!(names.iter().any(|n| n == "zvt-tcp"), "{names:?}");
        assert!(!names.iter().any(|n| n == "demo"), "{names:?}");
        // Starting the demo again keeps its simulated faults.
        let again = target_config(&targets[0], None).expect("loads");
        assert_eq!(again.faults, [fault]);
    }
}
