//! Text, JSON and Markdown renderings of the same data, for the headless modes.
//!
//! JSON shapes are contracts for scripts (docs/cli-contract.md): keep the documented keys stable.

mod bundle;
mod check_run;
mod guide;
mod guide_json;
mod pcap;
mod session_log;
mod title;
mod txn;

pub use bundle::{latest_checks, summary_causes, write_bundle, Bundle, BundleError};
pub use check_run::{CheckRun, OutputFormat};
pub use guide::GuideReport;
pub use pcap::{write_pcap, PcapError, PcapSummary};
pub use txn::TxnReport;
