//! The explanation behind `posdiag decode iso8583 HEX`: a serialisable, fully masked view of
//! one frame (docs/cli-contract.md: `mti`, and `fields` keyed by field number, each with `value`,
//! `name`, `raw` and sub-fields), plus envelope, 处理要求, response-code meaning and class,
//! and where decoding stopped. [`Explanation::to_lines`] renders it as text.

use std::collections::BTreeMap;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::codes::PosClass;
use super::dialect::Dialect;
use super::framing::DecodedEnvelope;
use super::message::{decode_partial, DecodedField, DecodedMessage, PartialDecode};
use super::redact::{is_sound, redact_partial};
use super::subfields::{FieldDetail, SubField, TlvEntry, TlvView};
use super::transaction::TransactionKind;
use crate::i18n::{Lang, Text};
use crate::redact::mask_text_digits_str;

/// A code and what it means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coded {
    pub code: String,
    pub meaning: Text,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedTpdu {
    pub raw: String,
    pub id: String,
    pub destination: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedHeader {
    pub raw: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application_class: Option<Coded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_version: Option<Coded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terminal_status: Option<Coded>,
    /// 处理要求: `3` means the host wants a re-sign-on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_requirement: Option<Coded>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_version: Option<String>,
    /// Header bytes after the six CUP bytes (e.g. an acquirer's location block).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extra: Option<String>,
}

/// Sub-fields serialised as an object keyed by id ("60.1"), in field order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SubFields(pub Vec<SubField>);

impl Serialize for SubFields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Entry<'a> {
            name: &'a Text,
            value: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            meaning: &'a Option<Text>,
        }
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for sub in &self.0 {
            let entry = Entry {
                name: &sub.name,
                value: &sub.value,
                meaning: &sub.meaning,
            };
            map.serialize_entry(&sub.id, &entry)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedField {
    pub name: Text,
    /// Content as carried (digits, text, hex for binary), masked where sensitive.
    pub value: String,
    /// Length prefix + content as hex, masked.
    pub raw: String,
    /// Declared length (digits for BCD fields, bytes otherwise).
    pub length: usize,
    pub offset: usize,
    pub sensitive: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subfields: Option<SubFields>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tlv: Option<TlvView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedResponse {
    pub code: String,
    pub meaning: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pos_meaning: Option<Text>,
    pub class: Option<PosClass>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class_meaning: Option<Text>,
    pub success: bool,
    pub known: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExplainedError {
    pub offset: usize,
    pub field: Option<u8>,
    pub message: Text,
}

/// Everything `decode iso8583` shows about one frame, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub mti: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction: Option<TransactionKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transaction_name: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tpdu: Option<ExplainedTpdu>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor_block: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<ExplainedHeader>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitmap: Option<String>,
    pub fields: BTreeMap<u8, ExplainedField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_code: Option<ExplainedResponse>,
    pub warnings: Vec<Text>,
    pub error: Option<ExplainedError>,
}

/// Explains a frame; never fails (an undecodable frame explains where and why it stopped).
///
/// Fails closed: of a frame that is not sound (it did not decode to the end, its length or
/// TPDU disagree, bytes trail its last field), only what is evidence of where it went wrong is
/// shown — the length prefix, the TPDU when its id is this dialect's, the MTI, the error — and
/// no header, bitmap or field,
/// since a misread "field" may be card data of a frame out of step.
pub fn explain(dialect: &Dialect, input: &[u8]) -> Explanation {
    let partial = decode_partial(dialect, input);
    let mut ex = explain_all(dialect, &partial, input);
    if is_sound(dialect, &partial) {
        return ex;
    }
    let aligned = match &ex.tpdu {
        Some(t) => u8::from_str_radix(&t.id, 16).is_ok_and(|id| id == dialect.tpdu.id),
        None => !dialect.tpdu.present,
    };
    if !aligned {
        ex.tpdu = None;
    }
    // Six or more header bytes are room enough for 10 digits of a card number out of step.
    ex.header = None;
    ex.monitor_block = None;
    ex.bitmap = None;
    ex.fields.clear();
    ex.response_code = None;
    ex
}

fn explain_all(dialect: &Dialect, partial: &PartialDecode, input: &[u8]) -> Explanation {
    let masked = redact_partial(partial, input, true);
    let hex_of = |r: std::ops::Range<usize>| hex::encode_upper(masked.get(r).unwrap_or_default());
    let message = partial.message.as_ref();
    let incomplete = partial.error.is_some();
    Explanation {
        mti: message.map(|m| m.mti.to_string()),
        transaction: message.map(DecodedMessage::transaction),
        transaction_name: message.map(|m| m.transaction().name()),
        length: partial.envelope.length.as_ref().map(|(n, _)| *n),
        tpdu: partial.envelope.tpdu.as_ref().map(|(t, r)| ExplainedTpdu {
            raw: hex_of(r.clone()),
            id: format!("{:02X}", t.id),
            destination: format!("{:04X}", t.destination),
            source: format!("{:04X}", t.source),
        }),
        monitor_block: partial
            .envelope
            .monitor_block
            .as_ref()
            .map(|(_, r)| hex_of(r.clone())),
        header: explain_header(&partial.envelope),
        bitmap: message.map(|m| hex_of(m.bitmap_span.clone())),
        fields: message
            .map(|m| {
                m.fields
                    .iter()
                    .map(|f| (f.number, explain_field(dialect, m, f, &hex_of, incomplete)))
                    .collect()
            })
            .unwrap_or_default(),
        response_code: message
            .and_then(DecodedMessage::response_code)
            .map(|c| ExplainedResponse {
                class_meaning: c.class.map(PosClass::text),
                code: c.code,
                meaning: c.meaning,
                pos_meaning: c.pos_meaning,
                class: c.class,
                success: c.success,
                known: c.known,
            }),
        warnings: partial.warnings.iter().map(|w| w.text()).collect(),
        error: partial.error.as_ref().map(|e| ExplainedError {
            offset: e.offset(),
            field: e.field(),
            message: e.text(),
        }),
    }
}

fn explain_header(envelope: &DecodedEnvelope) -> Option<ExplainedHeader> {
    let (bytes, _) = envelope.header.as_ref()?;
    let raw = hex::encode_upper(bytes);
    let Some(h) = envelope.cup_header() else {
        return Some(ExplainedHeader {
            raw,
            application_class: None,
            software_version: None,
            terminal_status: None,
            processing_requirement: None,
            sub_version: None,
            extra: None,
        });
    };
    let extra = bytes
        .get(6..)
        .filter(|b| !b.is_empty())
        .map(hex::encode_upper);
    let requirement = h.processing_requirement();
    Some(ExplainedHeader {
        raw,
        application_class: Some(Coded {
            code: h.application_class(),
            meaning: h.application_class_text(),
        }),
        software_version: Some(Coded {
            code: h.software_version(),
            meaning: h.software_version_text(),
        }),
        terminal_status: Some(Coded {
            code: format!("{:X}", h.terminal_status()),
            meaning: h.terminal_status_text(),
        }),
        processing_requirement: Some(Coded {
            code: format!("{:X}", requirement.nibble()),
            meaning: requirement.text(),
        }),
        sub_version: Some(h.sub_version()),
        extra,
    })
}

/// One field; of a frame that did not decode to the end (`incomplete`), every value is
/// scanned as free text, because a misread field may hold card data.
fn explain_field(
    dialect: &Dialect,
    m: &DecodedMessage,
    f: &DecodedField,
    hex_of: &dyn Fn(std::ops::Range<usize>) -> String,
    incomplete: bool,
) -> ExplainedField {
    let (subfields, tlv) = match m.detail(f) {
        FieldDetail::None => (None, None),
        FieldDetail::SubFields(v) => (Some(SubFields(v)), None),
        FieldDetail::Tlv(t) => (None, Some(t)),
    };
    ExplainedField {
        name: dialect.field_name(f.number),
        value: if incomplete {
            mask_text_digits_str(&f.display())
        } else {
            f.display()
        },
        raw: hex_of(f.span.clone()),
        length: f.length,
        offset: f.span.start,
        sensitive: f.sensitive.is_some() || tlv.as_ref().is_some_and(|t| any_sensitive(&t.items)),
        subfields,
        tlv,
    }
}

fn any_sensitive(items: &[TlvEntry]) -> bool {
    items
        .iter()
        .any(|i| i.sensitive || any_sensitive(&i.children))
}

impl Explanation {
    /// Text rendering, one line per item, in `lang`.
    pub fn to_lines(&self, lang: Lang) -> Vec<String> {
        let t = |zh: &'static str, en: &'static str| Text::fixed(zh, en).get(lang).to_string();
        let mut lines = Vec::new();
        if let Some(mti) = &self.mti {
            let name = self
                .transaction_name
                .as_ref()
                .map(|n| format!(" — {}", n.get(lang)))
                .unwrap_or_default();
            lines.push(format!("{} {mti}{name}", t("消息类型", "MTI")));
        }
        if let Some(n) = self.length {
            lines.push(format!("{} {n}", t("长度", "length")));
        }
        if let Some(tp) = &self.tpdu {
            lines.push(format!("TPDU {} {} {}", tp.id, tp.destination, tp.source));
        }
        if let Some(m) = &self.monitor_block {
            lines.push(format!("{} {m}", t("拨号监控数据", "monitor block")));
        }
        if let Some(h) = &self.header {
            lines.push(format!("{} {}", t("报文头", "header"), h.raw));
            let parts = [
                (t("应用类别", "application class"), &h.application_class),
                (t("软件总版本号", "software version"), &h.software_version),
                (t("终端状态", "terminal status"), &h.terminal_status),
                (
                    t("处理要求", "processing requirement"),
                    &h.processing_requirement,
                ),
            ];
            for (label, coded) in parts {
                if let Some(c) = coded {
                    lines.push(format!("  {label} {} ({})", c.code, c.meaning.get(lang)));
                }
            }
            if let Some(v) = &h.sub_version {
                lines.push(format!("  {} {v}", t("软件分版本号", "sub-version")));
            }
            if let Some(x) = &h.extra {
                lines.push(format!("  {} {x}", t("附加数据", "extra")));
            }
        }
        if let Some(b) = &self.bitmap {
            lines.push(format!("{} {b}", t("位图", "bitmap")));
        }
        for (n, f) in &self.fields {
            lines.push(format!("{n:>3} {}: {}", f.name.get(lang), f.value));
            lines.push(format!("    raw {}", f.raw));
            for s in f.subfields.iter().flat_map(|s| &s.0) {
                let meaning = s
                    .meaning
                    .as_ref()
                    .map(|m| format!(" ({})", m.get(lang)))
                    .unwrap_or_default();
                lines.push(format!(
                    "    {} {}: {}{meaning}",
                    s.id,
                    s.name.get(lang),
                    s.value
                ));
            }
            if let Some(tlv) = &f.tlv {
                tlv_lines(&tlv.items, lang, 4, &mut lines);
                if let Some(e) = tlv.error {
                    lines.push(format!("    {}", e.text().get(lang)));
                }
            }
        }
        if let Some(r) = &self.response_code {
            let class = match (r.class, &r.class_meaning) {
                (Some(c), Some(m)) => format!(" — {} {}", c.letter(), m.get(lang)),
                _ => String::new(),
            };
            lines.push(format!(
                "{} {}: {}{class}",
                t("应答码", "response code"),
                r.code,
                r.meaning.get(lang)
            ));
        }
        for w in &self.warnings {
            lines.push(format!("{}: {}", t("警告", "warning"), w.get(lang)));
        }
        if let Some(e) = &self.error {
            lines.push(format!("{}: {}", t("错误", "error"), e.message.get(lang)));
        }
        lines
    }
}

fn tlv_lines(items: &[TlvEntry], lang: Lang, indent: usize, lines: &mut Vec<String>) {
    for i in items {
        let name = i.name.as_ref().map(|n| n.get(lang)).unwrap_or("");
        lines.push(format!("{:indent$}{} {name}: {}", "", i.tag, i.value));
        tlv_lines(&i.children, lang, indent.saturating_add(2), lines);
    }
}
