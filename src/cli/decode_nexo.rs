//! `posdiag decode nexo (JSON | --file F) [--nexo-key-id ID --nexo-key-version N]`: explains a
//! nexo Retailer message (Adyen Terminal API). An encrypted one is opened when the shared key is
//! given (passphrase from POSDIAG_NEXO_PASSPHRASE). Card data is masked; what cannot be read is
//! not echoed. Exit 0: valid; 1: not a nexo message, or it does not decrypt; 2: usage error.

use std::process::ExitCode;

use serde_json::{json, Value};

use super::args::{DecodeArgs, ListFormat};
use super::exit::{self, CliError};
use super::sim_nexo_cmd::security_key;
use crate::i18n::{Lang, Text};
use crate::proto::nexo::{self, Diagnosis, Envelope, Message, Response};
use crate::tr;

pub fn run(args: &DecodeArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let text = match (&args.hex, &args.file) {
        (_, Some(path)) => std::fs::read(path).map_err(|e| {
            CliError::usage(anyhow::anyhow!("cannot read '{}': {e}", path.display()))
        })?,
        (Some(json), None) => json.clone().into_bytes(),
        (None, None) => {
            return Err(CliError::usage(anyhow::anyhow!(
                "give the JSON message or --file F"
            )))
        }
    };
    let key = match (&args.nexo_key_id, args.nexo_key_version) {
        (None, None) => None,
        (id, version) => Some(security_key(id.as_deref(), version)?),
    };
    let envelope = match nexo::parse(&text) {
        Ok(e) => e,
        Err(e) => return fail(lang, tr!("不是 nexo 报文：{e}", "not a nexo message: {e}")),
    };
    let (message, trailer) = match envelope {
        Envelope::Plain(m) => (m, None),
        Envelope::Secured(s) => {
            let Some(key) = key else {
                let lines = vec![
                    tr!("{} {}（已加密）", "{} {} (encrypted)", s.direction.root(), s.header.message_category),
                    tr!(
                        "密钥 {} 版本 {}：用 --nexo-key-id、--nexo-key-version 和环境变量 POSDIAG_NEXO_PASSPHRASE 解密",
                        "key {} version {}: give --nexo-key-id, --nexo-key-version and POSDIAG_NEXO_PASSPHRASE to decrypt",
                        s.trailer.key_identifier, s.trailer.key_version
                    ),
                ];
                let out = json!({"encrypted": true, "decrypted": false, "direction": s.direction.root(),
                    "header": s.header, "key_identifier": s.trailer.key_identifier, "key_version": s.trailer.key_version});
                print(&lines, &out, args.format, lang)?;
                return Ok(exit::OK);
            };
            match s.open(&key) {
                Ok(m) => (m, Some(s.trailer)),
                Err(e) => return fail(lang, tr!("无法解密：{e}", "cannot decrypt: {e}")),
            }
        }
    };
    let (lines, out) = explain(&message, trailer.is_some());
    print(&lines, &out, args.format, lang)?;
    Ok(exit::OK)
}

fn fail(lang: Lang, why: Text) -> Result<ExitCode, CliError> {
    eprintln!("{}", why.get(lang));
    Ok(exit::code(1))
}

fn print(lines: &[Text], out: &Value, format: ListFormat, lang: Lang) -> Result<(), CliError> {
    match format {
        ListFormat::Text => lines.iter().for_each(|l| println!("{}", l.get(lang))),
        ListFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(out).map_err(|e| CliError::failure(anyhow::anyhow!(e)))?
        ),
    }
    Ok(())
}

fn flag(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "OK",
        Some(false) => "NOT OK",
        None => "-",
    }
}

/// Lines for a technician and the JSON form, card data masked.
fn explain(m: &Message, encrypted: bool) -> (Vec<Text>, Value) {
    let h = &m.header;
    let mut lines = vec![
        Text::same(format!(
            "{} {} {}{}",
            m.direction.root(),
            h.message_category,
            h.message_type,
            if encrypted { " (decrypted)" } else { "" }
        )),
        Text::same(format!(
            "ServiceID {}  SaleID {}  POIID {}",
            h.service_id.as_deref().unwrap_or("-"),
            h.sale_id,
            h.poi_id
        )),
    ];
    let response = Response::of_body(&m.body);
    if let Some(r) = &response {
        let meaning = nexo::result_meaning(&r.result);
        lines.push(Text::new(
            format!("结果 {}：{}", r.result, meaning.zh),
            format!("Result {}: {}", r.result, meaning.en),
        ));
        if let Some(c) = &r.error_condition {
            let t = nexo::error_condition_meaning(c);
            lines.push(Text::new(
                format!("错误条件 {c}：{}", t.zh),
                format!("ErrorCondition {c}: {}", t.en),
            ));
        }
        if let Some(a) = &r.additional_response {
            let shown = nexo::mask_str(a);
            lines.push(Text::same(format!("AdditionalResponse {shown}")));
        }
    }
    if h.message_category == "Diagnosis" {
        let d = Diagnosis::from_body(&m.body);
        if let Some(p) = &d.poi_status {
            let printer = p.printer_status.as_deref().unwrap_or("-");
            let pm = nexo::printer_status_meaning(printer);
            lines.push(Text::new(
                format!(
                    "终端状态 {}  读卡器 {}  密码键盘 {}  安全 {}  通信 {}  打印机 {printer}（{}）",
                    p.global_status, flag(p.card_reader_ok), flag(p.ped_ok), flag(p.security_ok),
                    flag(p.communication_ok), pm.zh
                ),
                format!(
                    "GlobalStatus {}  card reader {}  PED {}  security {}  communication {}  printer {printer} ({})",
                    p.global_status, flag(p.card_reader_ok), flag(p.ped_ok), flag(p.security_ok),
                    flag(p.communication_ok), pm.en
                ),
            ));
        }
        for host in &d.hosts {
            lines.push(Text::new(
                format!(
                    "收单主机 {}：{}",
                    host.acquirer_id,
                    if host.is_reachable == Some(true) {
                        "可达"
                    } else {
                        "不可达"
                    }
                ),
                format!(
                    "acquirer {}: {}",
                    host.acquirer_id,
                    if host.is_reachable == Some(true) {
                        "reachable"
                    } else {
                        "NOT reachable"
                    }
                ),
            ));
        }
    }
    let body = nexo::mask_value(&m.body);
    if let Some(key) = &m.body_key {
        lines.push(Text::same(format!(
            "{key} {}",
            serde_json::to_string_pretty(&body).unwrap_or_default()
        )));
    }
    let out = json!({
        "encrypted": encrypted,
        "decrypted": encrypted,
        "direction": m.direction.root(),
        "header": nexo::mask_value(&serde_json::to_value(h).unwrap_or(Value::Null)),
        "body_key": m.body_key,
        "body": body,
        "result": response.as_ref().map(|r| r.result.clone()),
        "error_condition": response.as_ref().and_then(|r| r.error_condition.clone()),
    });
    (lines, out)
}
