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

/// Free text made safe: track-2 equivalents (`PAN=YYMM…` or `PAN D YYMM…`, as a terminal may
/// echo them in `AdditionalResponse` or a receipt line) are hidden whole, then every long
/// digit run keeps BIN + last four.
pub fn mask_str(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars
            .iter()
            .skip(i)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if run == 0 {
            out.extend(chars.get(i));
            i += 1;
            continue;
        }
        let after = i + run;
        // `=` may come URL-encoded (`%3D`) inside AdditionalResponse.
        let encoded: String = chars.iter().skip(after).take(3).collect();
        let separator = if encoded.eq_ignore_ascii_case("%3D") {
            3
        } else if matches!(chars.get(after), Some('=' | 'D' | 'd')) {
            1
        } else {
            0
        };
        let tail = chars
            .iter()
            .skip(after + separator)
            .take_while(|c| c.is_ascii_digit())
            .count();
        if run >= 12 && separator > 0 && tail >= 4 {
            out.push_str(HIDDEN);
            i = after + separator + tail;
        } else {
            out.extend(chars.iter().skip(i).take(run));
            i = after;
        }
    }
    mask_text_digits_str(&out)
}

/// A copy of `value` safe to display or store.
pub fn mask_value(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(mask_str(s)),
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

    #[test]
    fn track_2_in_free_text_is_hidden_whole() {
        let shown = mask_str("a=1&track2=4761739001010119=25122011000012345678&b=4761739001010119D2512201&c=4761739001010119%3D2512201");
        assert!(!shown.contains("2512"), "{shown}");
        assert!(!shown.contains("4761739001010119"), "{shown}");
        assert_eq!(mask_str("amount=1234=5678"), "amount=1234=5678");
    }
}
