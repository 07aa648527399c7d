//! Request bodies the cash register sends (Adyen Terminal API field names), and the header
//! that goes with each. Pure: the caller gives ids and times.

use serde_json::{json, Value};

use crate::proto::nexo::{Category, MessageHeader};

/// Who is talking to whom: the register's `SaleID`, the terminal's `POIID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties {
    pub sale_id: String,
    pub poi_id: String,
}

/// The header of a request of `category` with `service_id` (unique per SaleID, ≤ 10 chars).
pub fn header(parties: &Parties, category: &Category, service_id: &str) -> MessageHeader {
    MessageHeader {
        protocol_version: Some("3.0".to_owned()),
        message_class: "Service".to_owned(),
        message_category: category.name().to_owned(),
        message_type: "Request".to_owned(),
        service_id: Some(service_id.to_owned()),
        sale_id: parties.sale_id.clone(),
        poi_id: parties.poi_id.clone(),
        extra: Default::default(),
    }
}

/// `DiagnosisRequest`; with `host` the terminal also reports each acquirer host.
pub fn diagnosis(host: bool) -> Value {
    json!({"HostDiagnosisFlag": host})
}

/// `LoginRequest`: the register introduces itself; `now` is RFC 3339.
pub fn login(now: &str, language: &str) -> Value {
    json!({
        "DateTime": now,
        "SaleSoftware": {
            "ManufacturerID": "posdiag",
            "ApplicationName": "posdiag",
            "SoftwareVersion": env!("CARGO_PKG_VERSION"),
            "CertificationCode": "posdiag-diagnostics",
        },
        "OperatorLanguage": language,
    })
}

/// `LogoutRequest`.
pub fn logout() -> Value {
    json!({})
}

/// What a payment asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct PaymentSpec {
    /// The register's own transaction id (kept by the terminal, shown in its journal).
    pub sale_transaction_id: String,
    /// ISO 4217 alpha code, e.g. "EUR".
    pub currency: String,
    /// In major units (12.34), as the Terminal API wants it.
    pub amount: f64,
}

/// `PaymentRequest`.
pub fn payment(spec: &PaymentSpec, now: &str) -> Value {
    json!({
        "SaleData": {"SaleTransactionID": {"TransactionID": spec.sale_transaction_id, "TimeStamp": now}},
        "PaymentTransaction": {"AmountsReq": {"Currency": spec.currency, "RequestedAmount": spec.amount}},
    })
}

/// `TransactionStatusRequest` for the payment sent with `service_id` (the question after an
/// unclear outcome).
pub fn transaction_status(parties: &Parties, service_id: &str) -> Value {
    json!({
        "ReceiptReprintFlag": false,
        "MessageReference": {
            "MessageCategory": "Payment",
            "SaleID": parties.sale_id,
            "POIID": parties.poi_id,
            "ServiceID": service_id,
        },
    })
}

/// `ReversalRequest` of the payment the terminal numbered `poi_transaction_id`.
pub fn reversal(poi_transaction_id: &str, poi_timestamp: &str, reason: &str) -> Value {
    json!({
        "OriginalPOITransaction": {
            "POITransactionID": {"TransactionID": poi_transaction_id, "TimeStamp": poi_timestamp},
        },
        "ReversalReason": reason,
    })
}

/// `AbortRequest` for what `service_id` (of `category`) started.
pub fn abort(parties: &Parties, category: &Category, service_id: &str) -> Value {
    json!({
        "MessageReference": {
            "MessageCategory": category.name(),
            "SaleID": parties.sale_id,
            "POIID": parties.poi_id,
            "ServiceID": service_id,
        },
        "AbortReason": "MerchantAbort",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payment_and_status_carry_the_ids_the_terminal_needs() {
        let p = Parties {
            sale_id: "ECR1".into(),
            poi_id: "P400Plus-1".into(),
        };
        let h = header(&p, &Category::Payment, "42");
        assert_eq!(
            (h.message_category.as_str(), h.service_id.as_deref()),
            ("Payment", Some("42"))
        );
        let spec = PaymentSpec {
            sale_transaction_id: "T1".into(),
            currency: "EUR".into(),
            amount: 12.34,
        };
        let b = payment(&spec, "2026-01-01T00:00:00Z");
        assert_eq!(
            b["PaymentTransaction"]["AmountsReq"]["RequestedAmount"],
            12.34
        );
        assert_eq!(
            transaction_status(&p, "42")["MessageReference"]["ServiceID"],
            "42"
        );
        assert_eq!(
            abort(&p, &Category::Payment, "42")["MessageReference"]["MessageCategory"],
            "Payment"
        );
        assert_eq!(
            reversal("X", "t", "MerchantCancel")["OriginalPOITransaction"]["POITransactionID"]
                ["TransactionID"],
            "X"
        );
    }
}
