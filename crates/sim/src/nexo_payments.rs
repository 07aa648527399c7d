//! The simulated nexo terminal's payments: a Payment (approved, declined, held by a silent
//! host, reversed when its receipt cannot print), the journal TransactionStatus reads, and
//! Reversal. The requests are routed here by `nexo.rs`.

use posdiag_core::cause;
use std::time::Instant;

use serde_json::{json, Value};

use super::{now, NexoTerminal, Txn, SIM_NEXO_POIID};
use crate::proto::nexo::{Message, Response};
use crate::proto::redact::mask_pan;
use crate::terminal::TEST_CARD_PAN;

impl NexoTerminal {
    pub(super) fn payment(&self, request: &Message) -> Value {
        let body = &request.body;
        let amounts = &body["PaymentTransaction"]["AmountsReq"];
        let currency = amounts["Currency"].as_str().unwrap_or("EUR").to_owned();
        let amount = amounts["RequestedAmount"].clone();
        let sale_txn = body["SaleData"]["SaleTransactionID"].clone();
        let poi_txn_id = format!("SIM{:06}", self.journal().len() + 1);
        let stamp = now();
        let response = if self.has(cause!("reader.not_answering")) {
            Response::failure("UnavailableDevice", "message=Card+reader+not+available")
        } else if !self.host_reachable() {
            Response::failure("UnreachableHost", "message=Acquirer+host+not+reachable")
        } else if self.has(cause!("keys.missing")) {
            Response::failure("DeviceOut", "message=Security+module+not+ready")
        } else if self.has(cause!("host.timeout")) {
            // Given only after the host wait: the client has long given up by then.
            Response::failure(
                "UnreachableHost",
                "message=Acquirer+host+timeout&refusalReason=Timeout",
            )
        } else if let Some(code) = self.decline_code() {
            Response::failure(
                "Refusal",
                format!("refusalReason={code}&message=Declined+by+host"),
            )
        } else if self.has(cause!("txn.receipt_print_fail")) {
            Response::failure(
                "DeviceOut",
                "message=Receipt+printer+failed;+payment+reversed",
            )
        } else {
            Response::success()
        };
        let approved = response.is_success();
        let mut answer = json!({
            "Response": response,
            "SaleData": {"SaleTransactionID": sale_txn},
            "POIData": {"POITransactionID": {"TransactionID": poi_txn_id, "TimeStamp": stamp}},
        });
        if approved || self.has(cause!("txn.receipt_print_fail")) {
            answer["PaymentResult"] = json!({
                "PaymentType": "Normal",
                "AmountsResp": {"Currency": currency, "AuthorizedAmount": amount},
                "PaymentInstrumentData": {
                    "PaymentInstrumentType": "Card",
                    "CardData": {
                        "MaskedPan": mask_pan(TEST_CARD_PAN),
                        "PaymentBrand": "cup",
                        "EntryMode": ["ICC"],
                    },
                },
                "PaymentAcquirerData": {
                    "AcquirerPOIID": SIM_NEXO_POIID,
                    "MerchantID": "PosdiagSimMerchant",
                    "ApprovalCode": "123456",
                    "AcquirerTransactionID": {"TransactionID": format!("ACQ{poi_txn_id}"), "TimeStamp": stamp},
                },
            });
        }
        let held = self.held_for(request);
        self.journal().push(Txn {
            poi_txn_id,
            sale_txn_id: body["SaleData"]["SaleTransactionID"]["TransactionID"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            service_id: request.header.service_id.clone().unwrap_or_default(),
            header: serde_json::to_value(request.header.reply()).unwrap_or(Value::Null),
            response: answer.clone(),
            reversed: self.has(cause!("txn.receipt_print_fail")),
            open_until: (!held.is_zero()).then(|| Instant::now() + held),
        });
        answer
    }

    pub(super) fn transaction_status(&self, body: &Value) -> Value {
        let wanted = body["MessageReference"]["ServiceID"]
            .as_str()
            .map(str::to_owned);
        let journal = self.journal();
        let found = match &wanted {
            Some(service) => journal.iter().rev().find(|t| &t.service_id == service),
            None => journal.last(),
        };
        let Some(txn) = found else {
            return json!({"Response": Response::failure("NotFound", "message=No+such+transaction")});
        };
        if txn.open_until.is_some_and(|t| Instant::now() < t) {
            return json!({"Response": Response::failure("InProgress", "message=Transaction+in+progress")});
        }
        let mut payment = txn.response.clone();
        if txn.reversed && payment["Response"]["Result"] == "Success" {
            payment["Response"] = json!(Response::failure("Aborted", "message=Reversed"));
        }
        json!({
            "Response": Response::success(),
            "MessageReference": {
                "MessageCategory": "Payment",
                "ServiceID": txn.service_id,
                "SaleID": txn.header["SaleID"],
                "POIID": txn.header["POIID"],
            },
            "RepeatedMessageResponse": {
                "MessageHeader": txn.header,
                "RepeatedResponseMessageBody": {"PaymentResponse": payment},
            },
        })
    }

    pub(super) fn reversal(&self, body: &Value) -> Value {
        let original = &body["OriginalPOITransaction"];
        let poi_id = original["POITransactionID"]["TransactionID"]
            .as_str()
            .unwrap_or_default();
        let sale_id = original["SaleTransactionID"]["TransactionID"]
            .as_str()
            .unwrap_or_default();
        let mut journal = self.journal();
        let found = journal.iter_mut().rev().find(|t| {
            (!poi_id.is_empty() && t.poi_txn_id == poi_id)
                || (!sale_id.is_empty() && t.sale_txn_id == sale_id)
        });
        let Some(txn) = found else {
            return json!({"Response": Response::failure("NotFound", "message=Original+transaction+not+found")});
        };
        if txn.reversed || txn.response["Response"]["Result"] != "Success" {
            return json!({"Response": Response::failure("NotAllowed", "message=Transaction+not+approved+or+already+reversed")});
        }
        txn.reversed = true;
        json!({
            "Response": Response::success(),
            "POIData": {"POITransactionID": {"TransactionID": format!("REV{}", txn.poi_txn_id), "TimeStamp": now()}},
            "ReversedAmount": txn.response["PaymentResult"]["AmountsResp"]["AuthorizedAmount"],
        })
    }
}
