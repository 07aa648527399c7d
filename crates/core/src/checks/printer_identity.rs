//! Area printer: who the printer says it is (GS I, docs/protocols/escpos.md §7) and whether its
//! font can print Chinese sent as GB18030 (§10). Asked only while the printer is online.

use super::printer_probe::{IdentityOutcome, PrinterProbe};
use crate::checks::{Area, CheckResult, CheckSpec, CheckStatus};
use crate::i18n::Text;
use crate::proto::escpos::identity::{masks, ModelId};
use crate::proto::escpos::{FontLanguage, PrinterIdentity};
use crate::tr;

pub const IDENTITY: CheckSpec = CheckSpec {
    id: "printer.identity",
    area: Area::Printer,
    title: Text::fixed("打印机型号与中文字库", "printer identity and Chinese font"),
};

/// The cause named when Chinese text sent as GB18030 will not print right.
pub const CHARSET_CAUSE: crate::catalogue::CauseId = crate::cause!("printer.charset_mismatch");

pub async fn identity(probe: &PrinterProbe) -> CheckResult {
    let id = IDENTITY.id;
    let record = match probe.identity().await {
        IdentityOutcome::NotAsked(reason) => {
            return CheckResult::new(id, Area::Printer, CheckStatus::Skip, reason.clone())
        }
        IdentityOutcome::Read(Err(failure)) => {
            let mut r = CheckResult::new(
                id,
                Area::Printer,
                CheckStatus::Error,
                tr!(
                    "读取打印机型号失败",
                    "reading the printer's identity failed"
                ),
            )
            .with_evidence(Text::fixed("错误", "error"), failure.error.to_string());
            r.frames = failure.frames.clone();
            return r;
        }
        IdentityOutcome::Read(Ok(record)) => record,
    };
    let ident = record.read.identity();
    let mut r = if ident == PrinterIdentity::default() {
        CheckResult::new(
            id,
            Area::Printer,
            CheckStatus::Skip,
            tr!(
                "打印机不应答 GS I（并非所有型号都支持）",
                "the printer does not answer GS I (not every model does)"
            ),
        )
    } else {
        judge(&ident)
    };
    r = add_evidence(r, &ident);
    r.frames = record.frames.clone();
    r
}

fn judge(ident: &PrinterIdentity) -> CheckResult {
    let name = [ident.maker.as_deref(), ident.model_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let name = if name.is_empty() {
        "?".to_owned()
    } else {
        name
    };
    let font = ident.font_language_kind();
    let two_byte = ident.type_id.map(|t| t & masks::TWO_BYTE_CHARACTERS != 0);
    let mismatch = match &font {
        Some(FontLanguage::ChinaGb18030) => None,
        Some(
            kind @ (FontLanguage::ChinaGb2312
            | FontLanguage::TaiwanBig5
            | FontLanguage::KanjiJapanese),
        ) => Some(kind.advice()),
        _ if two_byte == Some(false) => Some(Text::fixed(
            "打印机没有双字节（中日韩）字库：中文会打印成乱码",
            "the printer has no two-byte (CJK) font: Chinese text prints garbled",
        )),
        _ => None,
    };
    match mismatch {
        Some(advice) => CheckResult::new(
            IDENTITY.id,
            Area::Printer,
            CheckStatus::Warn,
            Text::new(
                format!("{name}：{}", advice.zh),
                format!("{name}: {}", advice.en),
            ),
        )
        .with_cause(CHARSET_CAUSE),
        None => CheckResult::new(
            IDENTITY.id,
            Area::Printer,
            CheckStatus::Pass,
            match font {
                Some(f) => {
                    let a = f.advice();
                    Text::new(format!("{name}；{}", a.zh), format!("{name}; {}", a.en))
                }
                None => Text::same(name),
            },
        ),
    }
}

fn add_evidence(mut r: CheckResult, ident: &PrinterIdentity) -> CheckResult {
    let items: [(Text, Option<String>); 6] = [
        (Text::fixed("制造商", "maker"), ident.maker.clone()),
        (Text::fixed("型号", "model"), ident.model_name.clone()),
        (
            Text::fixed("型号 ID", "model ID"),
            ident.model_id.map(
                |m| match ModelId::decode(m).ok().and_then(|v| v.known_model()) {
                    Some(known) => format!("{m:02X} ({known})"),
                    None => format!("{m:02X}"),
                },
            ),
        ),
        (
            Text::fixed("固件", "firmware"),
            ident
                .firmware_version
                .clone()
                .or(ident.firmware_id.map(|f| format!("{f:02X}"))),
        ),
        (
            Text::fixed("序列号", "serial number"),
            ident.serial_number.clone(),
        ),
        (
            Text::fixed("字库/语言 (GS I 69)", "font / language (GS I 69)"),
            ident.font_language.clone(),
        ),
    ];
    for (label, value) in items {
        if let Some(value) = value {
            r = r.with_evidence(label, value);
        }
    }
    if let Some(t) = ident.type_id {
        let yes = |mask: u8| if t & mask != 0 { "yes" } else { "no" };
        r = r.with_evidence(
            Text::fixed("类型 (GS I 2)", "type (GS I 2)"),
            format!(
                "{t:02X}: two-byte characters {}, autocutter {}",
                yes(masks::TWO_BYTE_CHARACTERS),
                yes(masks::AUTOCUTTER)
            ),
        );
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_that_garble_chinese_warn() {
        let gb18030 = PrinterIdentity {
            maker: Some("SNBC".to_owned()),
            font_language: Some("CHINA GB18030".to_owned()),
            ..Default::default()
        };
        assert_eq!(judge(&gb18030).status, CheckStatus::Pass);
        let big5 = PrinterIdentity {
            font_language: Some("TAIWAN BIG-5".to_owned()),
            ..gb18030.clone()
        };
        let r = judge(&big5);
        assert_eq!(r.status, CheckStatus::Warn);
        assert_eq!(r.causes, vec![CHARSET_CAUSE.to_owned()]);
        let ank = PrinterIdentity {
            type_id: Some(0x02),
            font_language: None,
            ..gb18030
        };
        assert_eq!(judge(&ank).status, CheckStatus::Warn);
    }
}
