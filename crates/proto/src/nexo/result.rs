//! The nexo `Response` block every response carries: `Result`, `ErrorCondition`,
//! `AdditionalResponse`, with what each means for a technician (zh + en).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::i18n::Text;

/// The `Response` object of a nexo response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Response {
    #[serde(rename = "Result", default)]
    pub result: String,
    #[serde(rename = "ErrorCondition", skip_serializing_if = "Option::is_none")]
    pub error_condition: Option<String>,
    /// Free text, often `key=value&...` (Adyen puts `message=...` here); may hold card data
    /// in other vendors' terminals, so show it through [`super::mask::mask_value`].
    #[serde(rename = "AdditionalResponse", skip_serializing_if = "Option::is_none")]
    pub additional_response: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Response {
    pub fn success() -> Self {
        Response {
            result: "Success".to_owned(),
            ..Default::default()
        }
    }

    pub fn failure(condition: &str, additional: impl Into<String>) -> Self {
        Response {
            result: "Failure".to_owned(),
            error_condition: Some(condition.to_owned()),
            additional_response: Some(additional.into()),
            extra: Map::new(),
        }
    }

    /// Reads the `Response` of a response body (e.g. a `PaymentResponse`), if it has one.
    pub fn of_body(body: &Value) -> Option<Response> {
        serde_json::from_value(body.get("Response")?.clone()).ok()
    }

    pub fn is_success(&self) -> bool {
        self.result == "Success"
    }
}

/// What a `Result` value means.
pub fn result_meaning(result: &str) -> Text {
    match result {
        "Success" => Text::fixed("成功", "success"),
        "Failure" => Text::fixed("失败", "failure"),
        "Partial" => Text::fixed(
            "部分完成（例如只批准了部分金额）",
            "partial (e.g. only part of the amount approved)",
        ),
        other => Text::same(format!("{other}?")),
    }
}

/// What an `ErrorCondition` means and what to look at.
pub fn error_condition_meaning(condition: &str) -> Text {
    match condition {
        "Aborted" => Text::fixed("被收银机中止", "aborted by the cash register"),
        "Busy" => Text::fixed(
            "终端忙，正在处理另一个请求",
            "the terminal is busy with another request",
        ),
        "Cancel" => Text::fixed(
            "持卡人在终端上取消",
            "cancelled by the cardholder on the terminal",
        ),
        "DeviceOut" => Text::fixed(
            "终端的某个设备故障（读卡器、打印机等）",
            "a device of the terminal is out of order (reader, printer, ...)",
        ),
        "InProgress" => Text::fixed(
            "交易仍在进行中，稍后再查询状态",
            "the transaction is still in progress; ask for its status again later",
        ),
        "InsertedCard" => Text::fixed("卡仍插在终端里", "a card is still inserted"),
        "InvalidCard" => Text::fixed("卡无效或无法读取", "the card is invalid or unreadable"),
        "LoggedOut" => Text::fixed("收银机未登录终端", "the cash register is not logged in"),
        "MessageFormat" => Text::fixed(
            "报文格式错误（字段缺失或取值不对）",
            "malformed message (missing field or wrong value)",
        ),
        "NotAllowed" => Text::fixed(
            "此状态下不允许该请求",
            "the request is not allowed in this state",
        ),
        "NotFound" => Text::fixed(
            "找不到所指的交易",
            "the referenced transaction was not found",
        ),
        "PaymentRestriction" => Text::fixed(
            "此卡或此金额不能支付",
            "payment not allowed for this card or amount",
        ),
        "Refusal" => Text::fixed("被主机或卡拒绝", "refused by the host or the card"),
        "UnavailableDevice" => Text::fixed("所需设备不可用", "the device needed is not available"),
        "UnavailableService" => Text::fixed(
            "终端不提供该服务",
            "the terminal does not offer this service",
        ),
        "UnreachableHost" => Text::fixed(
            "终端连不上收单主机",
            "the terminal cannot reach the acquirer host",
        ),
        "WrongPIN" => Text::fixed("密码错误", "wrong PIN"),
        other => Text::same(format!("{other}?")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_condition_has_both_languages() {
        for c in [
            "Aborted",
            "Busy",
            "Cancel",
            "DeviceOut",
            "InProgress",
            "InsertedCard",
            "InvalidCard",
            "LoggedOut",
            "MessageFormat",
            "NotAllowed",
            "NotFound",
            "PaymentRestriction",
            "Refusal",
            "UnavailableDevice",
            "UnavailableService",
            "UnreachableHost",
            "WrongPIN",
        ] {
            let t = error_condition_meaning(c);
            assert!(!t.is_incomplete() && !t.en.ends_with('?'), "{c}");
        }
        assert!(error_condition_meaning("Nonsense").en.ends_with('?'));
    }

    #[test]
    fn response_reads_from_a_body() {
        let body = serde_json::json!({"Response": {"Result": "Failure", "ErrorCondition": "Refusal",
            "AdditionalResponse": "refusalReason=51"}});
        let r = Response::of_body(&body).unwrap();
        assert!(!r.is_success());
        assert_eq!(r.error_condition.as_deref(), Some("Refusal"));
    }
}
