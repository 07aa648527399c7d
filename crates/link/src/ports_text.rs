//! The text form of a [`PortReport`] for `posdiag ports`, in the user's language: one line per
//! port (name, bus, VID:PID, chip, driver), its USB strings and stable names, then its notes
//! marked `!` (warning) or `-` (info), then the machine-wide notes.

use super::ports::{NoteLevel, PortInfo, PortKind, PortNote, PortReport};
use crate::i18n::{display_width, Lang};

impl PortReport {
    /// The report as text for a terminal, in `lang`.
    pub fn render_text(&self, lang: Lang) -> String {
        let t = |zh: &'static str, en: &'static str| pick(lang, zh, en);
        let mut out = String::new();
        let count = self.ports.len();
        out.push_str(&match lang {
            Lang::Zh => format!("串口：{count} 个\n"),
            Lang::En => format!("Serial ports: {count}\n"),
        });
        let width = self
            .ports
            .iter()
            .map(|p| display_width(&p.name))
            .max()
            .unwrap_or(0);
        for port in &self.ports {
            let pad = width.saturating_sub(display_width(&port.name));
            out.push_str(&format!(
                "{}{}  {}",
                port.name,
                " ".repeat(pad),
                summary(port, lang)
            ));
            out.push('\n');
            if let Some(usb) = &port.usb {
                let none = t("无", "none");
                let serial = usb.serial_number.as_deref().unwrap_or(none);
                let mut parts: Vec<&str> = Vec::new();
                parts.extend(usb.manufacturer.as_deref());
                parts.extend(usb.product.as_deref());
                let label = t("序列号：", "serial number: ");
                let line = if parts.is_empty() {
                    format!("{label}{serial}")
                } else {
                    format!("{} · {label}{serial}", parts.join(" · "))
                };
                out.push_str(&format!("    {line}\n"));
            }
            for path in &port.stable_paths {
                out.push_str(&format!("    {}{path}\n", t("固定名称：", "stable name: ")));
            }
            for note in &port.notes {
                out.push_str(&note_line(note, lang));
            }
        }
        if !self.notes.is_empty() {
            out.push_str(t("注意：\n", "Notes:\n"));
            for note in &self.notes {
                out.push_str(&note_line(note, lang));
            }
        }
        out
    }

    /// True when any port or machine note is a warning.
    pub fn has_warnings(&self) -> bool {
        self.notes
            .iter()
            .chain(self.ports.iter().flat_map(|p| p.notes.iter()))
            .any(|n| n.level == NoteLevel::Warn)
    }
}

/// "USB 1A86:7523  WCH CH340  (driver ch341)".
fn summary(port: &PortInfo, lang: Lang) -> String {
    let kind = match port.kind {
        PortKind::Usb => "USB",
        PortKind::Pci => "PCI",
        PortKind::Bluetooth => "Bluetooth",
        PortKind::Other => pick(lang, "板载/其他", "built-in/other"),
    };
    let mut parts = vec![kind.to_string()];
    if let Some(usb) = &port.usb {
        parts.push(usb.vid_pid());
    }
    match port.chip {
        Some(chip) => parts.push(chip.name().to_string()),
        None if port.usb.is_some() => parts.push("CDC-ACM".to_string()),
        None => {}
    }
    if let Some(driver) = &port.driver {
        let label = pick(lang, "驱动", "driver");
        parts.push(format!("({label} {driver})"));
    }
    parts.join("  ")
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn note_line(note: &PortNote, lang: Lang) -> String {
    let mark = match note.level {
        NoteLevel::Warn => "!",
        NoteLevel::Info => "-",
    };
    format!("    {mark} {}\n", note.text.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Text;
    use crate::HostOs;

    #[test]
    fn empty_report_still_says_how_many_and_why() {
        let report = PortReport {
            os: HostOs::Linux,
            ports: vec![],
            notes: vec![PortNote::new(
                "host.no_ports",
                NoteLevel::Warn,
                Text::fixed("没有找到串口", "no serial ports found"),
            )],
        };
        assert_eq!(
            report.render_text(Lang::En),
            "Serial ports: 0\nNotes:\n    ! no serial ports found\n"
        );
        assert_eq!(
            report.render_text(Lang::Zh),
            "串口：0 个\n注意：\n    ! 没有找到串口\n"
        );
    }

    #[test]
    fn names_are_padded_to_one_column() {
        let port = |name: &str| PortInfo {
            name: name.into(),
            kind: PortKind::Other,
            usb: None,
            chip: None,
            driver: Some("serial".into()),
            latency_timer_ms: None,
            usb_path: None,
            stable_paths: vec![],
            notes: vec![],
        };
        let report = PortReport {
            os: HostOs::Linux,
            ports: vec![port("/dev/ttyS0"), port("/dev/ttyS10")],
            notes: vec![],
        };
        let text = report.render_text(Lang::En);
        assert!(
            text.contains("/dev/ttyS0   built-in/other  (driver serial)\n"),
            "{text}"
        );
        assert!(text.contains("/dev/ttyS10  built-in/other"), "{text}");
    }
}
