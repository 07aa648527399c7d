//! Checks: one module per area, each producing a [`CheckResult`] with evidence and cause ids.
//!
//! Terminal checks share one read-only status query of the terminal's protocol driver
//! ([`crate::drivers::terminal::TerminalProbe`]) and see only its protocol-neutral facts;
//! printer checks share one DLE EOT read ([`PrinterProbe`]), network and host checks one
//! sign-on and echo on the host channel ([`HostProbe`]). Each channel runs alongside the
//! others, and the runner runs every check concurrently under its own timeout from the profile.

pub mod causes;
mod clock;
mod common;
mod host;
mod host_common;
mod host_diagnosis;
mod host_probe;
mod keys;
mod link;
mod network;
mod network_tls;
#[cfg(test)]
mod neutral_tests;
mod plan;
mod power;
mod printer;
mod printer_identity;
mod printer_link;
mod printer_probe;
mod printer_terminal;
mod reader;
mod result;
mod runner;
mod terminal;

pub use host_probe::{EchoOutcome, HostProbe, HostProbeSettings, SignOnOutcome};
pub use plan::{
    all_specs, available_specs, host_specs, plan, printer_specs, terminal_specs, CheckContext,
};
pub use printer_probe::{IdentityOutcome, PrinterProbe, PrinterStatusOutcome};
pub use printer_terminal::TERMINAL_PRINTER;
pub use result::{Area, CheckResult, CheckStatus, Evidence, UnknownArea};
pub use runner::{run_concurrently, CheckProgress, CheckSpec, PlannedCheck};
