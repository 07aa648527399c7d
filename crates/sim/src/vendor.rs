//! Vendor commands a cash register written for Feig cVEND terminals sends (docs/protocols/zvt.md
//! §5.1, §13): `0F A1` cVEND functions and `08 13` Change Configuration. The layouts are Feig's, as
//! the zvt crate (EVerest/qwello, `src/feig/`) implements them.

use super::commands::Reply;
use super::terminal::{nack, TerminalSim};
use crate::proto::zvt::apdu::Apdu;
use crate::proto::zvt::bmp::{find_bmp, parse_bmps};
use crate::proto::zvt::message::{Completion, PtMessage};
use crate::proto::zvt::tlv::parse_tlv_list;

/// `0F A1 02 00 01`: "enhanced system information".
const SYSTEM_INFORMATION: u16 = 0x0001;

/// `0F A1 <function, 2 bytes big-endian>`. System information is answered with Feig's
/// completion: device id (8 characters), software version (17), terminal ID (8) and the
/// device temperature (4), fixed width, no BMPs. Other functions (factory reset 0x0255…) are
/// not possible on this terminal.
pub(super) fn cvend_functions(sim: &TerminalSim, data: &[u8]) -> Reply {
    let function = match data {
        [hi, lo] => u16::from_be_bytes([*hi, *lo]),
        _ => return Reply::Refuse(nack(0x9A)),
    };
    if function != SYSTEM_INFORMATION {
        return Reply::Refuse(nack(0x83));
    }
    let mut tid = sim.tid();
    tid.truncate(8);
    let text = format!(
        "{:<8}{:<17}{:<8}{:<4}",
        "20260001", "posdiag-sim 1.0", tid, "25.0"
    );
    Reply::Run(vec![PtMessage::Other(Apdu::new(
        0x06,
        0x0F,
        text.into_bytes(),
    ))])
}

/// `08 13` Change Configuration: `06 <TLV>` with Feig's host settings (`E4 { FF40 password,
/// FF41 host address and port }`). The simulated terminal takes it and completes; its own
/// host stays where the simulator put it (a simulator never dials an address it was sent).
pub(super) fn change_configuration(data: &[u8]) -> Reply {
    let parsed = parse_bmps(data, 3)
        .ok()
        .and_then(|bmps| find_bmp(&bmps, 0x06).cloned())
        .map(|container| parse_tlv_list(&container.value, 5).is_ok());
    match parsed {
        Some(true) => Reply::Run(vec![PtMessage::Completion(Completion {
            result_code: Some(0),
            ..Completion::default()
        })]),
        _ => Reply::Refuse(nack(0x9A)),
    }
}
