//! What a report is about, for its title: the profile and the device checked.

use crate::capture::{CaptureContents, CaptureRecord};

/// "demo (sim)" for the title: the profile and what was connected to. A capture started on the
/// Connect screen knows neither in its header ("-"): the targets its links connected to are
/// named instead, and a part nobody knows is left out rather than shown as "-".
pub fn session_title(contents: &CaptureContents) -> String {
    let h = &contents.header;
    let known = |s: &str| !s.is_empty() && s != "-";
    let target = if known(&h.target) {
        h.target.clone()
    } else {
        let mut targets: Vec<String> = Vec::new();
        for record in &contents.records {
            if let CaptureRecord::Link {
                state: crate::event::LinkState::Connected { target },
                ..
            } = record
            {
                if !targets.contains(target) {
                    targets.push(target.clone());
                }
            }
        }
        targets.join(", ")
    };
    match (known(&h.profile), known(&target)) {
        (true, true) => format!("{} ({target})", h.profile),
        (true, false) => h.profile.clone(),
        (false, true) => target,
        (false, false) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::CaptureHeader;
    use crate::event::{Channel, LinkState};

    fn contents(profile: &str, target: &str, records: Vec<CaptureRecord>) -> CaptureContents {
        CaptureContents {
            header: CaptureHeader::new(profile, target, Vec::new()),
            records,
            damage: None,
        }
    }

    #[test]
    fn the_title_never_shows_an_unknown_dash() {
        assert_eq!(
            session_title(&contents("demo", "sim", Vec::new())),
            "demo (sim)"
        );
        // Started on the Connect screen: the links say what was checked.
        let link = CaptureRecord::Link {
            time: std::time::SystemTime::UNIX_EPOCH,
            channel: Channel::Terminal,
            state: LinkState::Connected {
                target: "tcp 10.0.0.7:20007".into(),
            },
        };
        assert_eq!(
            session_title(&contents("-", "-", vec![link.clone(), link])),
            "tcp 10.0.0.7:20007"
        );
        assert_eq!(session_title(&contents("-", "-", Vec::new())), "");
        assert_eq!(
            session_title(&contents("zvt-tcp", "-", Vec::new())),
            "zvt-tcp"
        );
    }
}
