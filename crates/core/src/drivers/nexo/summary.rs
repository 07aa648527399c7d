//! A `DiagnosisResponse` read per area, in posdiag's terms: a level and the cause id of the
//! knowledge base (kb/*.toml) for each part the terminal reports on. A plain function over the
//! codec's [`Diagnosis`], so the terminal layer's checks can take it as their facts.

use serde::Serialize;

use crate::catalogue::CauseId;
use crate::i18n::Text;
use crate::proto::nexo::{printer_status_meaning, Diagnosis};

/// The part of the terminal a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// `GlobalStatus`.
    Terminal,
    Printer,
    Reader,
    PinPad,
    /// `SecurityOKFlag`: keys and the security module.
    Security,
    /// `CommunicationOKFlag`: the terminal's own network.
    Network,
    /// `HostStatus`: one acquirer host.
    Host,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

/// One area's state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaFinding {
    pub area: Area,
    pub level: Level,
    /// The knowledge-base cause id when not OK.
    pub cause: Option<CauseId>,
    /// What the terminal said, e.g. "PrinterStatus PaperEmpty: out of paper".
    pub detail: Text,
}

/// Every area the terminal reported on (areas it left out are not listed).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct DiagnosisSummary {
    pub findings: Vec<AreaFinding>,
}

impl DiagnosisSummary {
    pub fn area(&self, area: Area) -> Option<&AreaFinding> {
        self.findings.iter().find(|f| f.area == area)
    }

    /// The worst level over all areas (Ok when nothing was reported).
    pub fn worst(&self) -> Level {
        self.findings
            .iter()
            .map(|f| f.level)
            .max()
            .unwrap_or(Level::Ok)
    }

    /// Cause ids of the findings that are not OK, failures first.
    pub fn causes(&self) -> Vec<CauseId> {
        let mut f: Vec<&AreaFinding> = self.findings.iter().filter(|f| f.cause.is_some()).collect();
        f.sort_by_key(|f| std::cmp::Reverse(f.level));
        f.iter().filter_map(|f| f.cause).collect()
    }
}

fn flag(
    area: Area,
    name: &str,
    value: Option<bool>,
    cause: CauseId,
    bad: Text,
) -> Option<AreaFinding> {
    let ok = value?;
    Some(AreaFinding {
        area,
        level: if ok { Level::Ok } else { Level::Fail },
        cause: (!ok).then_some(cause),
        detail: if ok {
            Text::new(format!("{name} 正常"), format!("{name} OK"))
        } else {
            Text::new(
                format!("{name} = false：{}", bad.zh),
                format!("{name} = false: {}", bad.en),
            )
        },
    })
}

/// Reads a diagnosis per area.
pub fn summarize(d: &Diagnosis) -> DiagnosisSummary {
    let mut findings = Vec::new();
    if let Some(poi) = &d.poi_status {
        let global = poi.global_status.as_str();
        let (level, cause, zh, en) = match global {
            "OK" => (Level::Ok, None, "正常", "OK"),
            "Busy" => (
                Level::Warn,
                Some(crate::cause!("terminal.busy")),
                "终端忙",
                "the terminal is busy",
            ),
            "Maintenance" => (
                Level::Warn,
                None,
                "终端处于维护状态（见其他项）",
                "the terminal is in maintenance (see the other areas)",
            ),
            "Unreachable" => (
                Level::Fail,
                Some(crate::cause!("terminal.out_of_order")),
                "终端不可用",
                "the terminal is not available",
            ),
            _ => (Level::Warn, None, "未知状态", "unknown state"),
        };
        if !global.is_empty() {
            findings.push(AreaFinding {
                area: Area::Terminal,
                level,
                cause,
                detail: Text::new(
                    format!("GlobalStatus {global}：{zh}"),
                    format!("GlobalStatus {global}: {en}"),
                ),
            });
        }
        if let Some(printer) = poi.printer_status.as_deref() {
            let (level, cause) = match printer {
                "OK" => (Level::Ok, None),
                "PaperLow" => (Level::Warn, Some(crate::cause!("printer.paper_near_end"))),
                "PaperEmpty" => (Level::Fail, Some(crate::cause!("printer.paper_out"))),
                "PaperJam" => (Level::Fail, Some(crate::cause!("printer.paper_jam"))),
                _ => (
                    Level::Fail,
                    Some(crate::cause!("terminal.printer_not_ready")),
                ),
            };
            let m = printer_status_meaning(printer);
            findings.push(AreaFinding {
                area: Area::Printer,
                level,
                cause,
                detail: Text::new(
                    format!("PrinterStatus {printer}：{}", m.zh),
                    format!("PrinterStatus {printer}: {}", m.en),
                ),
            });
        }
        findings.extend(flag(
            Area::Reader,
            "CardReaderOKFlag",
            poi.card_reader_ok,
            crate::cause!("reader.not_answering"),
            Text::fixed("读卡器故障", "card reader not OK"),
        ));
        findings.extend(flag(
            Area::PinPad,
            "PEDOKFlag",
            poi.ped_ok,
            crate::cause!("pinpad.defective"),
            Text::fixed("密码键盘故障", "PIN pad not OK"),
        ));
        findings.extend(flag(
            Area::Security,
            "SecurityOKFlag",
            poi.security_ok,
            crate::cause!("keys.missing"),
            Text::fixed("安全模块或密钥异常", "security module or keys not OK"),
        ));
        findings.extend(flag(
            Area::Network,
            "CommunicationOKFlag",
            poi.communication_ok,
            crate::cause!("network.down"),
            Text::fixed("终端的网络不通", "the terminal's network is down"),
        ));
    }
    let network_down = findings
        .iter()
        .any(|f| f.area == Area::Network && f.level == Level::Fail);
    for host in &d.hosts {
        let Some(reachable) = host.is_reachable else {
            continue;
        };
        let id = &host.acquirer_id;
        findings.push(AreaFinding {
            area: Area::Host,
            level: if reachable { Level::Ok } else { Level::Fail },
            // With the network down the host is out of reach for that reason alone; with the
            // terminal's network up, the host does not answer it (ZVT's A1 reads the same).
            cause: match (reachable, network_down) {
                (true, _) => None,
                (false, true) => Some(crate::cause!("network.down")),
                (false, false) => Some(crate::cause!("host.timeout")),
            },
            detail: if reachable {
                Text::new(
                    format!("收单主机 {id} 可达"),
                    format!("acquirer host {id} reachable"),
                )
            } else {
                Text::new(
                    format!("收单主机 {id} 不可达"),
                    format!("acquirer host {id} not reachable"),
                )
            },
        });
    }
    DiagnosisSummary { findings }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(v: serde_json::Value) -> DiagnosisSummary {
        summarize(&Diagnosis::from_body(&v))
    }

    #[test]
    fn each_flag_names_its_cause() {
        let s = of(
            json!({"POIStatus": {"GlobalStatus": "OK", "PrinterStatus": "PaperEmpty", "CardReaderOKFlag": false,
            "PEDOKFlag": true, "SecurityOKFlag": false, "CommunicationOKFlag": true},
            "HostStatus": [{"AcquirerID": "A", "IsReachableFlag": false}]}),
        );
        assert_eq!(
            s.area(Area::Printer).unwrap().cause.map(CauseId::as_str),
            Some("printer.paper_out")
        );
        assert_eq!(
            s.area(Area::Reader).unwrap().cause.map(CauseId::as_str),
            Some("reader.not_answering")
        );
        assert_eq!(s.area(Area::PinPad).unwrap().level, Level::Ok);
        assert_eq!(
            s.area(Area::Security).unwrap().cause.map(CauseId::as_str),
            Some("keys.missing")
        );
        assert_eq!(
            s.area(Area::Host).unwrap().cause.map(CauseId::as_str),
            Some("host.timeout")
        );
        assert_eq!(s.worst(), Level::Fail);
        assert!(s.causes().contains(&crate::cause!("printer.paper_out")));
    }

    #[test]
    fn paper_low_warns_and_network_down_explains_the_host() {
        let s = of(
            json!({"POIStatus": {"GlobalStatus": "Busy", "PrinterStatus": "PaperLow", "CommunicationOKFlag": false},
            "HostStatus": [{"AcquirerID": "A", "IsReachableFlag": false}]}),
        );
        let p = s.area(Area::Printer).unwrap();
        assert_eq!(
            (p.level, p.cause.map(CauseId::as_str)),
            (Level::Warn, Some("printer.paper_near_end"))
        );
        assert_eq!(
            s.area(Area::Terminal).unwrap().cause.map(CauseId::as_str),
            Some("terminal.busy")
        );
        assert_eq!(
            s.area(Area::Host).unwrap().cause.map(CauseId::as_str),
            Some("network.down")
        );
        assert_eq!(of(json!({})).worst(), Level::Ok);
        assert!(of(json!({})).findings.is_empty());
    }
}
