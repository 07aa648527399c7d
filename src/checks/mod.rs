//! Checks: one module per area, each producing a [`CheckResult`] with evidence and cause ids.
//!
//! Terminal checks share one read-only Status-Enquiry ([`TerminalProbe`]); network and host
//! checks share one sign-on and echo on the host channel ([`HostProbe`]); the runner runs every
//! check concurrently under its own timeout from the profile.

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
mod plan;
mod power;
mod probe;
mod reader;
mod result;
mod runner;
mod terminal;

pub use host_probe::{EchoOutcome, HostProbe, HostProbeSettings, SignOnOutcome};
pub use plan::{available_specs, host_specs, plan, terminal_specs, CheckContext};
pub use probe::{StatusOutcome, StatusSnapshot, TerminalProbe};
pub use result::{Area, CheckResult, CheckStatus, Evidence};
pub use runner::{run_concurrently, CheckSpec, PlannedCheck};
