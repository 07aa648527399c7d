//! The simulated POS: a ZVT terminal (and an ESC/POS receipt printer, `printer.rs`) that speaks the protocol byte for byte over a pty pair
//! (serial framing, the real serial code path) and over TCP on loopback, with injectable
//! faults whose ids are the knowledge base's cause ids. Built on `proto/`, `link/` and the
//! ZVT transport; never imports the TUI.

mod faults;
mod garble;
#[cfg(unix)]
mod mismatch;
mod printer;
mod printer_input;
mod receipt;
mod server;
mod terminal;

pub use faults::{parse_faults, Fault, FaultError, FaultInfo, VOCABULARY};
pub use printer::{sim_identity, PrinterFault, PrinterSim};
pub use receipt::SimReceipt;
pub use server::{start, SimConfig, SimError, SimHandle};
pub use terminal::{TerminalSim, TEST_CARD_PAN};
