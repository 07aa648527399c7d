//! Redaction of ZVT bytes before they are stored or shown raw: same bytes with card data
//! overwritten, so a capture never holds a full PAN, track data, CVV or PIN data and still
//! decodes.
//!
//! PAN (BMP 22, EMV 5A) keeps BIN + last four, the rest become `E` nibbles (the ZVT mask
//! digit). Track 1/2/3 (2D, 23, 24), chip data (2E, A7), PIN data (D1), CVV (3A) and the EMV
//! track tags (56, 57, 9F1F, 9F20, 9F6B) are filled, and so are passwords: the fixed-position
//! password of the commands that start with one, BMP 3D and the Feig TLV `FF40` (a password
//! is a key to the terminal's admin functions). Text (receipt lines, BMP 3C) has digit
//! runs that look like a PAN (13–19 digits, Luhn valid) masked. Anything that does not parse is
//! overwritten from the point where parsing failed: the header stays, nothing leaks.

use std::ops::Range;

use super::apdu::parse_apdu_header;
use super::bmp::{read_bmp, Bmp};
use super::feig::SystemInformation;
use super::message::is_pt_message;
use super::message::{is_known_code, CommandCode};
use super::reader::Reader;
pub use super::redact_serial::redact_serial_frame;
pub use super::redact_text::mask_pan_like_digits;
use super::tags::{tlv_tag_info, tlv_tag_known, TlvFormat};
use super::tlv::{parse_tlv_list, tlv_secret_kind, Tlv};
use crate::redact::{fill_span, mask_bcd_pan, mask_text_digit_runs, SensitiveKind, SensitiveSpan};

/// Fill for track, chip and PIN data: `E` nibbles read as masked digits in ZVT.
const FILL_SECRET: u8 = 0xEE;
/// Fill for bytes that could not be parsed.
pub(super) const FILL_UNPARSED: u8 = 0x00;

/// What to do with one span of the APDU.
enum Action {
    /// BCD PAN with this many digits.
    MaskBcdPan(Range<usize>, usize),
    Fill(Range<usize>, u8, SensitiveKind),
    /// Text that may contain a PAN.
    MaskText(Range<usize>),
}

/// The spans of `apdu` that hold card data (and any unparsable tail), as byte ranges.
pub fn sensitive_spans(apdu: &[u8]) -> Vec<SensitiveSpan> {
    plan(apdu)
        .into_iter()
        .filter_map(|a| match a {
            Action::MaskBcdPan(r, _) => Some(SensitiveSpan {
                range: r,
                kind: SensitiveKind::Pan,
            }),
            Action::Fill(r, _, kind) => Some(SensitiveSpan { range: r, kind }),
            Action::MaskText(_) => None,
        })
        .collect()
}

/// A copy of the APDU bytes (TCP form) with card data overwritten; same length. Bytes of an
/// unknown command, of an unknown TLV tag, or past where parsing stopped are hidden.
pub fn redact_apdu(apdu: &[u8]) -> Vec<u8> {
    apply(apdu, plan(apdu))
}

fn apply(apdu: &[u8], actions: Vec<Action>) -> Vec<u8> {
    let mut out = apdu.to_vec();
    for action in actions {
        match action {
            Action::MaskBcdPan(r, digits) => {
                if let Some(bytes) = out.get_mut(r) {
                    mask_bcd_pan(bytes, digits, false, 0xE);
                }
            }
            Action::Fill(r, fill, _) => fill_span(&mut out, r, fill),
            Action::MaskText(r) => {
                let is_text = out.get(r.clone()).is_some_and(is_cp437_text);
                if !is_text {
                    // Not text after all (control bytes): it may be anything, BCD card data
                    // included, so it is hidden whole.
                    fill_span(&mut out, r, FILL_UNPARSED);
                } else if let Some(bytes) = out.get_mut(r) {
                    mask_text_digit_runs(bytes);
                }
            }
        }
    }
    out
}

/// Printable CP437 text as terminals print it (NUL padding allowed).
fn is_cp437_text(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .all(|&b| b >= 0x20 || b == 0x00 || b == b'\n' || b == b'\r')
}

/// The redaction of one APDU, and whether the decoder understood all of it.
struct Plan {
    actions: Vec<Action>,
    /// A known command whose data parsed to the end. When false, bytes the layout could not
    /// place are already hidden; a stream reader should also stop trusting its position.
    understood: bool,
}

fn plan(apdu: &[u8]) -> Vec<Action> {
    plan_checked(apdu).actions
}

fn plan_checked(apdu: &[u8]) -> Plan {
    let mut actions = Vec::new();
    let Ok(Some(header)) = parse_apdu_header(apdu) else {
        // Not even a header: nothing in it is known to be harmless.
        actions.push(unparsed(0..apdu.len()));
        return Plan {
            actions,
            understood: false,
        };
    };
    let start = header.header_len;
    let end = header.total_len();
    let available = apdu.len();
    let not_understood = |mut actions: Vec<Action>, range: Range<usize>| {
        actions.push(unparsed(range));
        Plan {
            actions,
            understood: false,
        }
    };
    if end > available {
        // Cut short: the layout cannot be trusted.
        return not_understood(actions, start..available);
    }
    if available > end {
        actions.push(unparsed(end..available));
    }
    let trailing = available > end;
    let data = apdu.get(start..end).unwrap_or(&[]);
    let (class, instr) = (header.class, header.instr);
    if !is_known_command(class, instr) {
        // A vendor or unknown command: its layout is unknown, so all of its data is hidden.
        return not_understood(actions, start..end);
    }
    let whole = |actions: Vec<Action>| Plan {
        actions,
        understood: !trailing,
    };
    match [class, instr] {
        [0x06, 0xD1] => {
            actions.push(Action::MaskText(start.saturating_add(1).min(end)..end));
            return whole(actions);
        }
        // `84 1E 03 6F <CC>`: a Registration refused for its currency — result and currency,
        // nothing to hide. Any other data after `84 1E` is unknown and wiped below.
        [0x84, 0x1E] if is_currency_refusal(data) => return whole(actions),
        // Feig enhanced system information: ASCII device ID, SW version, TID, temperature.
        [0x06, 0x0F] if SystemInformation::decode(data).is_some() => return whole(actions),
        // Feig cVEND functions: [password] function (2 bytes).
        [0x0F, 0xA1] => match data.len() {
            2 => return whole(actions),
            5 => {
                actions.push(password(start));
                return whole(actions);
            }
            _ => return not_understood(actions, start..end),
        },
        // An acknowledgement carries no data, except a TLV container (Feig's file transfer
        // sends file parts as `80 00` + BMP 06): anything else after `80`/`84` is unknown.
        [0x80 | 0x84, _] if !data.is_empty() && data.first() != Some(&0x06) => {
            return not_understood(actions, start..end);
        }
        _ => {}
    }
    // Take the candidate layout that parses furthest; redact what it parsed and wipe
    // from where it stopped.
    let mut best: Option<(Vec<Bmp>, Option<usize>, usize)> = None;
    for &prefix in bmp_start_candidates(class, instr) {
        let Some(body) = data.get(prefix..) else {
            continue;
        };
        let (bmps, stop) = parse_bmps_partial(body, start.saturating_add(prefix));
        let reach = stop.unwrap_or(usize::MAX);
        let best_reach = best.as_ref().map(|(_, s, _)| s.unwrap_or(usize::MAX));
        if best_reach.is_none_or(|r| reach > r) {
            best = Some((bmps, stop, prefix));
        }
        if stop.is_none() {
            break;
        }
    }
    let Some((bmps, stop, prefix)) = best else {
        return not_understood(actions, start..end);
    };
    // The optional Status-Enquiry password is there when the BMPs start after it.
    if starts_with_password(class, instr) || ([class, instr] == [0x05, 0x01] && prefix == 3) {
        actions.push(password(start));
    }
    let mut understood = !trailing;
    match stop {
        Some(_) if is_status_enquiry_completion(class, instr, data, start) => {}
        Some(at) => {
            for b in &bmps {
                plan_bmp(b, &mut actions);
            }
            actions.push(unparsed(at.clamp(start, end)..end));
            understood = false;
        }
        None => {
            for b in &bmps {
                understood &= plan_bmp(b, &mut actions);
            }
        }
    }
    Plan {
        actions,
        understood,
    }
}

/// A command of the reference, a PT message or an acknowledgement: its layout is known.
fn is_known_command(class: u8, instr: u8) -> bool {
    is_pt_message(class, instr)
        || is_known_code(class, instr)
        || !matches!(
            CommandCode::from_bytes(class, instr),
            CommandCode::Other { .. }
        )
}

/// A redacted copy of the APDU when posdiag understood all of it (a known command whose data
/// parsed to the end), `None` otherwise. A stream reader (the tap) hides a `None` APDU whole,
/// header included: after a length error its "header" may be card data of the next message.
pub fn redact_apdu_checked(apdu: &[u8]) -> Option<Vec<u8>> {
    let plan = plan_checked(apdu);
    plan.understood.then(|| apply(apdu, plan.actions))
}

/// The BMPs that parse, and the offset where parsing stopped (`None`: all of `body` parsed).
fn parse_bmps_partial(body: &[u8], base: usize) -> (Vec<Bmp>, Option<usize>) {
    let mut r = Reader::new(body, base);
    let mut out = Vec::new();
    while !r.is_empty() {
        let at = r.offset();
        match read_bmp(&mut r) {
            Ok(b) => out.push(b),
            Err(_) => return (out, Some(at)),
        }
    }
    (out, None)
}

/// The 3-byte password at the start of the data block.
fn password(start: usize) -> Action {
    Action::Fill(
        start..start.saturating_add(3),
        FILL_SECRET,
        SensitiveKind::Key,
    )
}

/// Commands whose data block starts with the 3-byte password (PA00P015; Feig `08 14`).
pub(crate) fn starts_with_password(class: u8, instr: u8) -> bool {
    matches!(
        [class, instr],
        [
            0x06,
            0x00 | 0x10 | 0x12 | 0x1B | 0x20 | 0x30 | 0x31 | 0x50 | 0x91 | 0x93 | 0x95
        ] | [0x08, 0x14]
    )
}

fn unparsed(range: Range<usize>) -> Action {
    Action::Fill(range, FILL_UNPARSED, SensitiveKind::Track)
}

/// Where the BMPs may start in a message's data block (after fixed fields), most likely first.
fn bmp_start_candidates(class: u8, instr: u8) -> &'static [usize] {
    match [class, instr] {
        [0x05, 0x01] => &[3, 0],
        [0x06, 0x00] => &[6, 4],
        [0x06, 0x1E] => &[1, 3],
        [0x04, 0xFF] => &[2, 1],
        [0x06, 0xC0] => &[1, 0],
        [0x06, 0x10 | 0x12 | 0x1B | 0x20 | 0x30 | 0x31 | 0x50 | 0x91 | 0x93 | 0x95]
        | [0x08, 0x14] => &[3, 0],
        [0x06, 0x21..=0x25] => &[0, 3],
        _ if is_pt_message(class, instr) => &[0],
        _ => &[0, 3],
    }
}

fn is_currency_refusal(data: &[u8]) -> bool {
    matches!(data, [0x6F, hi, lo] if super::values::decode_currency(&[*hi, *lo]).is_some())
}

fn is_status_enquiry_completion(class: u8, instr: u8, data: &[u8], base: usize) -> bool {
    [class, instr] == [0x06, 0x0F]
        && super::message::StatusEnquiryCompletion::decode_at(data, base).is_ok()
}

fn value_range(b: &Bmp) -> Range<usize> {
    b.value_offset..b.value_offset.saturating_add(b.value.len())
}

/// How a PAN field is redacted: BIN + last 4 kept when it holds what a PAN holds (digits, or
/// the terminal's own `E` masking, then `F` padding to the end); anything else is no PAN
/// layout posdiag knows, so it is hidden whole.
fn pan_action(range: Range<usize>, value: &[u8]) -> Action {
    let nibbles: Vec<u8> = value.iter().flat_map(|b| [b >> 4, b & 0x0F]).collect();
    let digits = bcd_digit_count(value);
    let layout_ok = nibbles.iter().take(digits).all(|&n| n <= 9 || n == 0xE)
        && nibbles.iter().skip(digits).all(|&n| n == 0xF);
    if layout_ok {
        Action::MaskBcdPan(range, digits)
    } else {
        Action::Fill(range, FILL_SECRET, SensitiveKind::Pan)
    }
}

/// Digits of a BCD PAN: nibbles up to the first `F` pad.
fn bcd_digit_count(value: &[u8]) -> usize {
    value
        .iter()
        .flat_map(|b| [b >> 4, b & 0x0F])
        .take_while(|&n| n != 0xF)
        .count()
}

/// Plans one BMP; false when part of it (a TLV container) did not parse.
fn plan_bmp(b: &Bmp, actions: &mut Vec<Action>) -> bool {
    let range = value_range(b);
    match b.tag {
        0x22 => actions.push(pan_action(range, &b.value)),
        0x06 => match parse_tlv_list(&b.value, b.value_offset) {
            Ok(list) => plan_tlv(&list, actions),
            Err(_) => {
                // What parsed before the error may itself be misread data (a vendor tag read
                // as a template): the whole container is hidden.
                actions.push(unparsed(range));
                return false;
            }
        },
        0x3D => actions.push(Action::Fill(range, FILL_SECRET, SensitiveKind::Key)),
        0x3C | 0xE1..=0xE8 | 0xF1..=0xF8 => actions.push(Action::MaskText(range)),
        _ => {
            if let Some(kind) = b.spec().and_then(|s| s.sensitive) {
                actions.push(Action::Fill(range, FILL_SECRET, kind));
            }
        }
    }
    true
}

/// Plans a TLV list: card data masked, free text scanned, and the value of every primitive
/// tag posdiag does not know hidden (a vendor tag may hold anything).
fn plan_tlv(list: &[Tlv], actions: &mut Vec<Action>) {
    for t in list {
        let range = t.value_offset..t.value_offset.saturating_add(t.value.len());
        let (_, format) = tlv_tag_info(t.tag);
        if t.tag == 0x5A {
            actions.push(pan_action(range, &t.value));
        } else if let Some(kind) = tlv_secret_kind(t.tag) {
            actions.push(Action::Fill(range, FILL_SECRET, kind));
        } else if format == TlvFormat::Secret {
            actions.push(Action::Fill(range, FILL_SECRET, SensitiveKind::Track));
        } else if !t.children.is_empty() || format == TlvFormat::Constructed {
            plan_tlv(&t.children, actions);
        } else if format == TlvFormat::Text {
            actions.push(Action::MaskText(range));
        } else if !tlv_tag_known(t.tag) {
            actions.push(unparsed(range));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pan_in_status_information_is_masked() {
        let apdu = hex::decode("040F0B22F0F85598831234568074").unwrap();
        let red = redact_apdu(&apdu);
        assert_eq!(red.len(), apdu.len());
        assert_eq!(hex::encode_upper(&red[6..]), "559883EEEEEE8074");
    }

    #[test]
    fn luhn_digit_runs_in_text() {
        let mut t = b"PAN 5598831234568074 ok 1234567890123 12345678901".to_vec();
        mask_pan_like_digits(&mut t);
        assert_eq!(&t, b"PAN 559883******8074 ok 123456***0123 12345678901");
    }

    #[test]
    fn feig_change_configuration_hides_the_password_keeps_the_host() {
        let apdu = hex::decode("0813140612E410FF4003123456FF4107D5B7136976C101").unwrap();
        let red = hex::encode_upper(redact_apdu(&apdu));
        assert_eq!(red, "0813140612E410FF4003EEEEEEFF4107D5B7136976C101");
    }

    #[test]
    fn fixed_passwords_are_hidden() {
        let red = |s: &str| hex::encode_upper(redact_apdu(&hex::decode(s).unwrap()));
        assert_eq!(red("060006123456DE0978"), "060006EEEEEEDE0978");
        assert_eq!(red("065003123456"), "065003EEEEEE");
        assert_eq!(red("0501051234560304"), "050105EEEEEE0304");
        assert_eq!(red("0501020304"), "0501020304");
        assert_eq!(red("0FA1051234560001"), "0FA105EEEEEE0001");
        assert_eq!(red("0FA1020001"), "0FA1020001");
        // A TLV container that does not parse is hidden whole.
        assert_eq!(red("06D3050603FF4012"), "06D3050603000000");
    }

    #[test]
    fn unparsable_tail_is_overwritten() {
        // 04 0F with an unknown BMP 0x50 after a valid result code.
        let apdu = [0x04, 0x0F, 0x05, 0x27, 0x00, 0x50, 0x55, 0x98];
        assert_eq!(redact_apdu(&apdu), [0x04, 0x0F, 0x05, 0x27, 0x00, 0, 0, 0]);
    }
}
