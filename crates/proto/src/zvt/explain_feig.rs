//! The decode explanation of Feig cVEND messages that have no BMP layout: the `0F A1`
//! cVEND-functions command and its ASCII "enhanced system information" completion; and the
//! notes that say what Feig's file transfer messages are (see [`super::feig`]).

use super::apdu::Apdu;
use super::explain::Explanation;
use super::explain_tree::{decode, Builder};
use super::feig::{cvend_function_name, SystemInformation};
use super::message::Sender;
use crate::i18n::Text;

/// Adds the fields of a Feig message with its own layout and returns true; returns false
/// (adding at most a note) for everything else, which the generic explanation handles.
pub(crate) fn body(
    b: &Builder<'_>,
    red: &Apdu,
    start: usize,
    pt: bool,
    ex: &mut Explanation,
) -> bool {
    match red.code() {
        [0x0F, 0xA1] => cvend_functions(b, &red.data, start, ex),
        // Only when the standard layouts do not fit: a Completion starts with a BMP tag.
        [0x06, 0x0F] if pt && decode(red, start, true).is_err() => {
            let Some(info) = SystemInformation::decode(&red.data) else {
                return false;
            };
            ex.notes.push(Text::fixed(
                "Feig cVEND 扩展系统信息（对 0F A1 功能 0001 的回复）：定长 ASCII 字段，无 BMP",
                "Feig cVEND enhanced system information (answer to 0F A1 function 0001): \
                 fixed-width ASCII fields, no BMPs",
            ));
            for (offset, len, tag, name, value) in info.fields() {
                ex.fields
                    .push(b.node(start + offset, len, tag, name, Text::same(value)));
            }
            true
        }
        [0x80, 0x00] if !red.data.is_empty() && ex.sender != Some(Sender::Pt) => {
            ex.notes.push(Text::fixed(
                "带数据的 80 00：Feig 文件传输中收银机用它发送终端请求的文件片段（回应 04 0C）",
                "80 00 with data: in Feig's file transfer the ECR sends the file part the PT \
                 asked for this way (the answer to 04 0C)",
            ));
            false
        }
        _ => false,
    }
}

/// `0F A1 [password] function`: the function is 2 bytes big-endian.
fn cvend_functions(b: &Builder<'_>, data: &[u8], start: usize, ex: &mut Explanation) -> bool {
    let (pw, function) = match data {
        [hi, lo] => (false, u16::from_be_bytes([*hi, *lo])),
        [_, _, _, hi, lo] => (true, u16::from_be_bytes([*hi, *lo])),
        _ => return false,
    };
    let mut at = start;
    if pw {
        ex.fields.push(b.password(at));
        at += 3;
    }
    let name = cvend_function_name(function);
    ex.fields.push(b.node(
        at,
        2,
        "FUNC",
        Text::fixed("功能", "function"),
        Text::new(
            format!("{function:04X} — {}", name.zh),
            format!("{function:04X} — {}", name.en),
        ),
    ));
    true
}
