//! The simulated POS: a ZVT terminal that speaks the protocol byte for byte over a pty pair
//! (serial framing, the real serial code path) and over TCP on loopback, an ESC/POS receipt
//! printer (`printer.rs`), an Ingenico Concert terminal (`concert.rs`, pty and TCP) and a China UnionPay acquirer host (ISO 8583) on loopback TCP, with
//! injectable faults whose ids are the knowledge base's cause ids. Built on `proto/`, `link/`
//! and the drivers' transports; never imports the TUI.

use posdiag_core::{catalogue, drivers, event, profile, session};
use posdiag_link as link;
use posdiag_proto as proto;
use posdiag_proto::{i18n, localtime};

mod acquirer;
mod acquirer_ledger;
mod attach;
mod commands;
mod concert;
mod concert_server;
mod desk;
mod faults;
mod garble;
mod host_tap;
mod journal;
#[cfg(unix)]
mod mismatch;
mod nexo;
mod nexo_server;
mod payment;
mod payment_admin;
mod preauth;
mod printer;
mod read_card;
mod repairs;
mod scenarios;
mod server;
mod slip;
mod terminal;
mod terminal_host;
mod terminal_state;
mod vendor;

pub use crate::catalogue::{FaultInfo, NEXO_ONLY, VOCABULARY};
pub use crate::proto::escpos::render::{render_print_bytes, RenderedReceipt};
pub use acquirer::{AcquirerSim, SIM_MASTER_KEY, SIM_TERMINAL_MAK, SIM_TERMINAL_TID};
pub use attach::{attach, AttachError};
pub use concert::{ConcertRecord, ConcertTerminal};
pub use concert_server::{start as start_concert, ConcertSimConfig, ConcertSimHandle};
pub use faults::{parse_faults, refuse_nexo_only, Fault, FaultError};
pub use nexo::{HttpAnswer, NexoTerminal, SIM_NEXO_ACQUIRER, SIM_NEXO_POIID};
pub use nexo_server::{start as start_nexo, NexoSimConfig, NexoSimHandle};
pub use payment::{PaymentDesk, SIM_HOST_TIMEOUT};
pub use printer::{sim_identity, PrinterFault, PrinterSim};
pub use repairs::Repairs;
pub use scenarios::{scenario, Scenario, SCENARIOS};
pub use server::{start, SimConfig, SimError, SimHandle};
pub use terminal::{TerminalSim, TEST_CARD_PAN};
