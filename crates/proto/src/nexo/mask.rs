//! Card data out of nexo messages before anything shows them: every long digit run (a PAN
//! wherever it hides, e.g. in `AdditionalResponse`) keeps BIN + last four, and the fields that
//! carry track data, PIN blocks, card security codes or protected card data are hidden whole.

use serde_json::Value;

use crate::redact::mask_text_digits_str;

/// Fields hidden whole, whatever they hold.
const SECRET_KEYS: &[&str] = &[
    "TrackData",
    "PINData",
    "EncrPINBlock",
    "CardSecurityCode",
    "SensitiveCardData",
    "ProtectedCardData",
    "SensitiveMobileData",
    "CardData_Encrypted",
    "NexoBlob",
];

pub const HIDDEN: &str = "<hidden>";

/// A copy of `value` safe to display or store.
pub fn mask_value(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(mask_text_digits_str(s)),
        Value::Array(items) => Value::Array(items.iter().map(mask_value).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if SECRET_KEYS.contains(&k.as_str()) {
                        Value::String(HIDDEN.to_owned())
                    } else {
                        mask_value(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_keeps_bin_and_last_four_and_secrets_go_whole() {
        let v = serde_json::json!({"PaymentResponse": {"PaymentResult": {"PaymentInstrumentData": {
            "CardData": {"MaskedPan": "411111 **** 1111", "TrackData": [{"TrackValue": "4111111111111111=2512"}],
            "SensitiveCardData": {"PAN": "4111111111111111"}}}},
            "Response": {"AdditionalResponse": "pan=4111111111111111&x=1"}}});
        let shown = mask_value(&v).to_string();
        assert!(!shown.contains("4111111111111111"), "{shown}");
        assert!(shown.contains("411111******1111"), "{shown}");
        assert!(!shown.contains("2512"), "{shown}");
    }
}
