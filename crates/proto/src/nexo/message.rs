//! The nexo Retailer envelope: `{"SaleToPOIRequest": {...}}` or `{"SaleToPOIResponse": {...}}`,
//! a `MessageHeader` and one body (`PaymentRequest`, `DiagnosisResponse`, ...), or, protected,
//! a `NexoBlob` with its `SecurityTrailer`. Unknown fields are kept as they came.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::crypto::{self, CryptoError, SecurityKey, SecurityTrailer, IV_LEN};

/// Request (cash register → terminal) or response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

impl Direction {
    pub fn root(self) -> &'static str {
        match self {
            Direction::Request => "SaleToPOIRequest",
            Direction::Response => "SaleToPOIResponse",
        }
    }
}

/// What a message is about (`MessageCategory`). Unknown categories are kept by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Category {
    Login,
    Logout,
    Diagnosis,
    Payment,
    Reversal,
    TransactionStatus,
    Abort,
    Display,
    Print,
    Event,
    Other(String),
}

impl Category {
    pub fn parse(name: &str) -> Category {
        match name {
            "Login" => Category::Login,
            "Logout" => Category::Logout,
            "Diagnosis" => Category::Diagnosis,
            "Payment" => Category::Payment,
            "Reversal" => Category::Reversal,
            "TransactionStatus" => Category::TransactionStatus,
            "Abort" => Category::Abort,
            "Display" => Category::Display,
            "Print" => Category::Print,
            "Event" => Category::Event,
            other => Category::Other(other.to_owned()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Category::Login => "Login",
            Category::Logout => "Logout",
            Category::Diagnosis => "Diagnosis",
            Category::Payment => "Payment",
            Category::Reversal => "Reversal",
            Category::TransactionStatus => "TransactionStatus",
            Category::Abort => "Abort",
            Category::Display => "Display",
            Category::Print => "Print",
            Category::Event => "Event",
            Category::Other(name) => name,
        }
    }

    /// The body key of this category in `direction`: `PaymentRequest`, `EventNotification`, ...
    pub fn body_key(&self, direction: Direction) -> String {
        match (self, direction) {
            (Category::Event, _) => "EventNotification".to_owned(),
            (Category::Abort, _) => "AbortRequest".to_owned(),
            (c, Direction::Request) => format!("{}Request", c.name()),
            (c, Direction::Response) => format!("{}Response", c.name()),
        }
    }
}

/// `MessageHeader`: who talks to whom about what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct MessageHeader {
    #[serde(rename = "ProtocolVersion", skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    #[serde(rename = "MessageClass", default)]
    pub message_class: String,
    #[serde(rename = "MessageCategory", default)]
    pub message_category: String,
    #[serde(rename = "MessageType", default)]
    pub message_type: String,
    #[serde(rename = "ServiceID", skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    #[serde(rename = "SaleID", default)]
    pub sale_id: String,
    #[serde(rename = "POIID", default)]
    pub poi_id: String,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl MessageHeader {
    pub fn category(&self) -> Category {
        Category::parse(&self.message_category)
    }

    /// The response header to this request header (same ids, `MessageType` Response).
    pub fn reply(&self) -> MessageHeader {
        MessageHeader {
            message_type: "Response".to_owned(),
            ..self.clone()
        }
    }
}

/// A plain (decrypted) nexo message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub direction: Direction,
    pub header: MessageHeader,
    /// The body's key, e.g. `DiagnosisRequest` (None when the message has only a header).
    pub body_key: Option<String>,
    pub body: Value,
    /// Other keys beside the header and body, kept as they came.
    pub extra: Map<String, Value>,
}

/// A protected message: header in clear, body in the blob.
#[derive(Debug, Clone, PartialEq)]
pub struct Secured {
    pub direction: Direction,
    pub header: MessageHeader,
    pub nexo_blob: String,
    pub trailer: SecurityTrailer,
}

/// Either form, as read from the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Envelope {
    Plain(Message),
    Secured(Secured),
}

/// Why some JSON is not a nexo message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NexoError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("not a nexo message: expected one key SaleToPOIRequest or SaleToPOIResponse")]
    NoRoot,
    #[error("the MessageHeader is missing or malformed: {0}")]
    BadHeader(String),
    #[error("the SecurityTrailer is malformed: {0}")]
    BadTrailer(String),
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error("the decrypted NexoBlob is not a nexo message: {0}")]
    BadInner(String),
}

/// Parses a message from JSON bytes; never panics.
pub fn parse(bytes: &[u8]) -> Result<Envelope, NexoError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| NexoError::NotJson(e.to_string()))?;
    from_value(value)
}

pub fn from_value(value: Value) -> Result<Envelope, NexoError> {
    let Value::Object(mut root) = value else {
        return Err(NexoError::NoRoot);
    };
    let (direction, inner) = if let Some(v) = root.remove("SaleToPOIRequest") {
        (Direction::Request, v)
    } else if let Some(v) = root.remove("SaleToPOIResponse") {
        (Direction::Response, v)
    } else {
        return Err(NexoError::NoRoot);
    };
    let Value::Object(mut inner) = inner else {
        return Err(NexoError::NoRoot);
    };
    let header_value = inner
        .remove("MessageHeader")
        .ok_or_else(|| NexoError::BadHeader("missing".to_owned()))?;
    let header: MessageHeader =
        serde_json::from_value(header_value).map_err(|e| NexoError::BadHeader(e.to_string()))?;
    if let Some(blob) = inner.remove("NexoBlob") {
        let nexo_blob = blob.as_str().unwrap_or_default().to_owned();
        let trailer_value = inner
            .remove("SecurityTrailer")
            .ok_or_else(|| NexoError::BadTrailer("missing".to_owned()))?;
        let trailer: SecurityTrailer = serde_json::from_value(trailer_value)
            .map_err(|e| NexoError::BadTrailer(e.to_string()))?;
        return Ok(Envelope::Secured(Secured {
            direction,
            header,
            nexo_blob,
            trailer,
        }));
    }
    let body_key = inner
        .keys()
        .find(|k| k.ends_with("Request") || k.ends_with("Response") || *k == "EventNotification")
        .cloned();
    let body = body_key
        .as_ref()
        .and_then(|k| inner.remove(k))
        .unwrap_or(Value::Null);
    Ok(Envelope::Plain(Message {
        direction,
        header,
        body_key,
        body,
        extra: inner,
    }))
}

impl Message {
    pub fn new(direction: Direction, header: MessageHeader, body_key: &str, body: Value) -> Self {
        Message {
            direction,
            header,
            body_key: Some(body_key.to_owned()),
            body,
            extra: Map::new(),
        }
    }

    pub fn to_value(&self) -> Value {
        let mut inner = self.extra.clone();
        inner.insert(
            "MessageHeader".to_owned(),
            serde_json::to_value(&self.header).unwrap_or(Value::Null),
        );
        if let Some(key) = &self.body_key {
            inner.insert(key.clone(), self.body.clone());
        }
        let mut root = Map::new();
        root.insert(self.direction.root().to_owned(), Value::Object(inner));
        Value::Object(root)
    }

    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }

    /// Protects this message with `key` and the caller's random `nonce`.
    pub fn seal(&self, key: &SecurityKey, nonce: &[u8; IV_LEN]) -> Secured {
        let (nexo_blob, trailer) = crypto::seal(key, self.to_json().as_bytes(), nonce);
        Secured {
            direction: self.direction,
            header: self.header.clone(),
            nexo_blob,
            trailer,
        }
    }
}

impl Secured {
    pub fn to_value(&self) -> Value {
        serde_json::json!({
            self.direction.root(): {
                "MessageHeader": serde_json::to_value(&self.header).unwrap_or(Value::Null),
                "NexoBlob": self.nexo_blob,
                "SecurityTrailer": serde_json::to_value(&self.trailer).unwrap_or(Value::Null),
            }
        })
    }

    /// Decrypts and verifies; the inner message must be a plain nexo message.
    pub fn open(&self, key: &SecurityKey) -> Result<Message, NexoError> {
        let plain = crypto::open(key, &self.nexo_blob, &self.trailer)?;
        match parse(&plain).map_err(|e| NexoError::BadInner(e.to_string()))? {
            Envelope::Plain(m) => Ok(m),
            Envelope::Secured(_) => Err(NexoError::BadInner("nested NexoBlob".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIAG: &str = r#"{"SaleToPOIRequest":{"MessageHeader":{"ProtocolVersion":"3.0","MessageClass":"Service",
        "MessageCategory":"Diagnosis","MessageType":"Request","ServiceID":"0207","SaleID":"ECR1","POIID":"P400Plus-275039202",
        "Vendor":"x"},"DiagnosisRequest":{"HostDiagnosisFlag":true},"Future":1}}"#;

    #[test]
    fn plain_message_keeps_unknown_fields() {
        let Envelope::Plain(m) = parse(DIAG.as_bytes()).unwrap() else {
            panic!("plain")
        };
        assert_eq!(m.header.category(), Category::Diagnosis);
        assert_eq!(m.body_key.as_deref(), Some("DiagnosisRequest"));
        assert_eq!(m.header.extra["Vendor"], "x");
        let again = m.to_value();
        assert_eq!(again["SaleToPOIRequest"]["Future"], 1);
        assert_eq!(again["SaleToPOIRequest"]["MessageHeader"]["Vendor"], "x");
    }

    #[test]
    fn sealed_message_opens_to_the_same_message() {
        let Envelope::Plain(m) = parse(DIAG.as_bytes()).unwrap() else {
            panic!("plain")
        };
        let key = SecurityKey::new("pass", "id", 3);
        let secured = m.seal(&key, &[9; 16]);
        let wire = secured.to_value().to_string();
        let Envelope::Secured(s) = parse(wire.as_bytes()).unwrap() else {
            panic!("secured")
        };
        assert_eq!(s.open(&key).unwrap(), m);
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in [
            "",
            "[]",
            "{}",
            r#"{"SaleToPOIRequest":3}"#,
            r#"{"SaleToPOIRequest":{"NexoBlob":"x"}}"#,
            r#"{"SaleToPOIRequest":{"MessageHeader":{},"NexoBlob":"x"}}"#,
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
    }
}
