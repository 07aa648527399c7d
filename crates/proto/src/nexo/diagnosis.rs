//! `DiagnosisResponse` → `POIStatus`: the terminal's own view of its devices and hosts.
//! Read-only on the terminal, so always safe to ask.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::i18n::Text;

/// `POIStatus` of a `DiagnosisResponse`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PoiStatus {
    /// OK, Busy, Maintenance, Unreachable.
    #[serde(rename = "GlobalStatus", default)]
    pub global_status: String,
    #[serde(rename = "SecurityOKFlag", skip_serializing_if = "Option::is_none")]
    pub security_ok: Option<bool>,
    #[serde(rename = "PEDOKFlag", skip_serializing_if = "Option::is_none")]
    pub ped_ok: Option<bool>,
    #[serde(rename = "CardReaderOKFlag", skip_serializing_if = "Option::is_none")]
    pub card_reader_ok: Option<bool>,
    /// OK, PaperLow, PaperEmpty, PaperJam, OutOfOrder.
    #[serde(rename = "PrinterStatus", skip_serializing_if = "Option::is_none")]
    pub printer_status: Option<String>,
    #[serde(
        rename = "CommunicationOKFlag",
        skip_serializing_if = "Option::is_none"
    )]
    pub communication_ok: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One `HostStatus` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct HostStatus {
    #[serde(rename = "AcquirerID", default)]
    pub acquirer_id: String,
    #[serde(rename = "IsReachableFlag", skip_serializing_if = "Option::is_none")]
    pub is_reachable: Option<bool>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The parts of a `DiagnosisResponse` a technician reads.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagnosis {
    pub poi_status: Option<PoiStatus>,
    pub hosts: Vec<HostStatus>,
}

impl Diagnosis {
    /// Reads a `DiagnosisResponse` body; malformed parts are left out, never a panic.
    pub fn from_body(body: &Value) -> Diagnosis {
        let poi_status = body
            .get("POIStatus")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let hosts = body
            .get("HostStatus")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|h| serde_json::from_value(h.clone()).ok())
                    .collect()
            })
            .unwrap_or_default();
        Diagnosis { poi_status, hosts }
    }
}

/// What a `PrinterStatus` value means.
pub fn printer_status_meaning(status: &str) -> Text {
    match status {
        "OK" => Text::fixed("打印机正常", "printer OK"),
        "PaperLow" => Text::fixed("纸快用完了", "paper low"),
        "PaperEmpty" => Text::fixed("缺纸", "out of paper"),
        "PaperJam" => Text::fixed("卡纸", "paper jam"),
        "OutOfOrder" => Text::fixed("打印机故障", "printer out of order"),
        other => Text::same(format!("{other}?")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_poi_and_hosts_and_skips_junk() {
        let body = serde_json::json!({"POIStatus": {"GlobalStatus": "OK", "PrinterStatus": "PaperEmpty",
            "CardReaderOKFlag": false, "Other": 1},
            "HostStatus": [{"AcquirerID": "0", "IsReachableFlag": false}, 7]});
        let d = Diagnosis::from_body(&body);
        let poi = d.poi_status.unwrap();
        assert_eq!(poi.printer_status.as_deref(), Some("PaperEmpty"));
        assert_eq!(poi.card_reader_ok, Some(false));
        assert_eq!(d.hosts.len(), 1);
        assert_eq!(d.hosts[0].is_reachable, Some(false));
        assert_eq!(Diagnosis::from_body(&Value::Null), Diagnosis::default());
        assert_eq!(printer_status_meaning("PaperJam").zh, "卡纸");
    }
}
