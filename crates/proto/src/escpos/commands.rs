//! Byte builders for what posdiag sends to a printer (docs/protocols/escpos.md §2–§9), and
//! recognising those requests again in captured bytes.
//!
//! Read-only probes: DLE EOT, GS r, GS I, GS a. Operator actions (confirmation first): DLE ENQ
//! recovery and the DLE DC4 drawer pulse, which physically opens the cash drawer.

use serde::Serialize;

use super::error::CommandError;
use super::query::{AsbTriggers, EotQuery, GsRQuery, IdQuery, Query};
use crate::i18n::Text;
use crate::tr;

pub const DLE: u8 = 0x10;
pub const EOT: u8 = 0x04;
pub const ENQ: u8 = 0x05;
pub const DC4: u8 = 0x14;
pub const ESC: u8 = 0x1B;
pub const FS: u8 = 0x1C;
pub const GS: u8 = 0x1D;

/// `ESC @`: initialise the printer (also turns ASB off).
pub const INITIALISE: [u8; 2] = [ESC, b'@'];
/// `FS &`: select Chinese (Kanji) character mode: bytes ≥ 0x80 are double-byte codes.
pub const SELECT_CHINESE_MODE: [u8; 2] = [FS, b'&'];
/// `FS .`: cancel Chinese mode, so a single-byte code page (`ESC t n`) applies.
pub const CANCEL_CHINESE_MODE: [u8; 2] = [FS, b'.'];
/// `GS a 0`: Automatic Status Back off.
pub const ASB_OFF: [u8; 3] = [GS, b'a', 0];
/// The diagnostic drawer kick `10 14 01 00 01`: 100 ms on pin 2.
pub const DIAGNOSTIC_DRAWER_KICK: [u8; 5] = [DLE, DC4, 1, 0, 1];

/// `DLE EOT n [a]`. n = 1–4 are exactly three bytes (no stray NUL, §9 step 8); n = 7/8 carry `a`.
pub fn dle_eot(query: EotQuery) -> Vec<u8> {
    let mut v = vec![DLE, EOT, query.n()];
    v.extend(query.sub());
    v
}

/// `GS a n`: enable ASB for the given triggers (`n` = 0 disables it).
pub fn gs_a(triggers: AsbTriggers) -> [u8; 3] {
    [GS, b'a', triggers.0]
}

/// `GS r n`.
pub fn gs_r(query: GsRQuery) -> [u8; 3] {
    [GS, b'r', query.n()]
}

/// `GS I n`.
pub fn gs_i(query: IdQuery) -> [u8; 3] {
    [GS, b'I', query.n()]
}

/// The request bytes of any query.
pub fn request(query: Query) -> Vec<u8> {
    match query {
        Query::RealTime(q) => dle_eot(q),
        Query::AutoStatusBack(t) => gs_a(t).to_vec(),
        Query::TransmitStatus(q) => gs_r(q).to_vec(),
        Query::PrinterId(q) => gs_i(q).to_vec(),
    }
}

/// DLE ENQ n: real-time recovery request (§3). No reply. Operator action only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// n = 0 (some models): only while waiting for online recovery after paper end.
    ResumeAfterPaperEnd,
    /// n = 1: recover and restart printing from the line where the error occurred.
    RestartFromErrorLine,
    /// n = 2: recover after clearing the receive and print buffers (settings kept).
    ClearBuffers,
}

impl Recovery {
    pub fn n(self) -> u8 {
        match self {
            Recovery::ResumeAfterPaperEnd => 0,
            Recovery::RestartFromErrorLine => 1,
            Recovery::ClearBuffers => 2,
        }
    }

    pub fn name(self) -> Text {
        match self {
            Recovery::ResumeAfterPaperEnd => Text::fixed(
                "DLE ENQ 0 纸尽后恢复联机（部分型号）",
                "DLE ENQ 0 resume after paper end (some models)",
            ),
            Recovery::RestartFromErrorLine => Text::fixed(
                "DLE ENQ 1 从出错行重新打印",
                "DLE ENQ 1 recover, reprint from the error line",
            ),
            Recovery::ClearBuffers => Text::fixed(
                "DLE ENQ 2 清空缓冲区后恢复",
                "DLE ENQ 2 recover, clear the buffers",
            ),
        }
    }
}

/// `DLE ENQ n`. Applies only to recoverable errors (cutter, jam), never to head temperature.
pub fn dle_enq(recovery: Recovery) -> [u8; 3] {
    [DLE, ENQ, recovery.n()]
}

/// Drawer kick-out connector pin driven by DLE DC4 fn 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrawerPin {
    /// m = 0.
    Pin2,
    /// m = 1.
    Pin5,
}

/// `DLE DC4 1 m t`: pulse a drawer pin for t × 100 ms on and off, 1 ≤ t ≤ 8. Opens the cash
/// drawer: warn the user first. Ignored by the printer while in an error state.
pub fn dle_dc4_pulse(pin: DrawerPin, units: u8) -> Result<[u8; 5], CommandError> {
    if !(1..=8).contains(&units) {
        return Err(CommandError::PulseOutOfRange { units });
    }
    let m = match pin {
        DrawerPin::Pin2 => 0,
        DrawerPin::Pin5 => 1,
    };
    Ok([DLE, DC4, 1, m, units])
}

/// A request recognised in captured bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "request", rename_all = "snake_case")]
pub enum Request {
    Query { query: Query },
    AsbOff,
    Recovery { recovery: Recovery },
    DrawerPulse { pin: DrawerPin, units: u8 },
    Initialise,
    SelectChineseMode,
    CancelChineseMode,
}

impl Request {
    pub fn name(&self) -> Text {
        match self {
            Request::Query { query } => query.name(),
            Request::AsbOff => Text::fixed("GS a 0 关闭自动状态返回", "GS a 0 ASB off"),
            Request::Recovery { recovery } => recovery.name(),
            Request::DrawerPulse { pin, units } => {
                let p = match pin {
                    DrawerPin::Pin2 => 2,
                    DrawerPin::Pin5 => 5,
                };
                let ms = u16::from(*units) * 100;
                tr!(
                    "DLE DC4 1 钱箱脉冲：第 {p} 脚，{ms} ms",
                    "DLE DC4 1 drawer pulse: pin {p}, {ms} ms"
                )
            }
            Request::Initialise => Text::fixed("ESC @ 初始化", "ESC @ initialise"),
            Request::SelectChineseMode => {
                Text::fixed("FS & 进入汉字模式", "FS & select Chinese mode")
            }
            Request::CancelChineseMode => {
                Text::fixed("FS . 退出汉字模式", "FS . cancel Chinese mode")
            }
        }
    }
}

/// Reads one known request at the start of `bytes`; returns it and its length.
pub fn parse_request(bytes: &[u8]) -> Option<(Request, usize)> {
    let query = |q| Some((Request::Query { query: q }, 3));
    match bytes {
        [DLE, EOT, 7, a, ..] | [DLE, EOT, 8, a, ..] => {
            let q = EotQuery::ALL
                .into_iter()
                .find(|q| Some(q.n()) == bytes.get(2).copied() && q.sub() == Some(*a))?;
            Some((
                Request::Query {
                    query: Query::RealTime(q),
                },
                4,
            ))
        }
        [DLE, EOT, n, ..] => query(Query::RealTime(
            EotQuery::ALL
                .into_iter()
                .find(|q| q.n() == *n && q.sub().is_none())?,
        )),
        [DLE, ENQ, n, ..] => {
            let recovery = [
                Recovery::ResumeAfterPaperEnd,
                Recovery::RestartFromErrorLine,
                Recovery::ClearBuffers,
            ]
            .into_iter()
            .find(|r| r.n() == *n)?;
            Some((Request::Recovery { recovery }, 3))
        }
        [DLE, DC4, 1, m @ (0 | 1), t @ 1..=8, ..] => {
            let pin = if *m == 0 {
                DrawerPin::Pin2
            } else {
                DrawerPin::Pin5
            };
            Some((Request::DrawerPulse { pin, units: *t }, 5))
        }
        [GS, b'a', 0, ..] => Some((Request::AsbOff, 3)),
        [GS, b'a', n, ..] => query(Query::AutoStatusBack(AsbTriggers(*n))),
        [GS, b'r', n, ..] => {
            // n = 49, 50, 52 are the ASCII forms of 1, 2, 4.
            let n = if *n >= b'0' { n - b'0' } else { *n };
            query(Query::TransmitStatus(
                GsRQuery::ALL.into_iter().find(|q| q.n() == n)?,
            ))
        }
        [GS, b'I', n, ..] => {
            let n = if (b'1'..=b'3').contains(n) {
                n - b'0'
            } else {
                *n
            };
            query(Query::PrinterId(
                IdQuery::ALL.into_iter().find(|q| q.n() == n)?,
            ))
        }
        [ESC, b'@', ..] => Some((Request::Initialise, 2)),
        [FS, b'&', ..] => Some((Request::SelectChineseMode, 2)),
        [FS, b'.', ..] => Some((Request::CancelChineseMode, 2)),
        _ => None,
    }
}

/// Reads `bytes` as a sequence of known requests; `None` unless all of it is requests.
pub fn parse_requests(bytes: &[u8]) -> Option<Vec<Request>> {
    let mut rest = bytes;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (request, len) = parse_request(rest)?;
        out.push(request);
        rest = rest.get(len..)?;
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_request_bytes() {
        assert_eq!(dle_eot(EotQuery::PrinterStatus), vec![0x10, 0x04, 0x01]);
        assert_eq!(dle_eot(EotQuery::InkB), vec![0x10, 0x04, 0x07, 0x02]);
        assert_eq!(dle_eot(EotQuery::Peeler), vec![0x10, 0x04, 0x08, 0x03]);
        assert_eq!(gs_a(AsbTriggers::STANDARD), [0x1D, 0x61, 0x0F]);
        assert_eq!(
            dle_dc4_pulse(DrawerPin::Pin2, 1).unwrap(),
            DIAGNOSTIC_DRAWER_KICK
        );
        assert!(dle_dc4_pulse(DrawerPin::Pin5, 9).is_err());
        assert!(dle_dc4_pulse(DrawerPin::Pin5, 0).is_err());
    }

    #[test]
    fn every_query_request_parses_back() {
        for q in Query::all() {
            let bytes = request(q);
            assert_eq!(
                parse_request(&bytes),
                Some((Request::Query { query: q }, bytes.len())),
                "{}",
                q.code()
            );
        }
        assert_eq!(parse_request(&[0x1D, b'r', b'1']).map(|r| r.1), Some(3));
        assert_eq!(parse_request(&[0x10, 0x04]), None);
        assert_eq!(
            parse_requests(&[0x10, 0x04, 0x01, 0x1B, 0x40]).map(|v| v.len()),
            Some(2)
        );
    }
}
