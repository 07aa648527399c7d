//! nexo Retailer client for Adyen terminals on the shop's network (local Terminal API):
//! HTTPS POST to `https://HOST:8443/nexo`, each message encrypted with the shared key,
//! the terminal's certificate checked like Adyen's libraries do. Request builders, typed
//! answers, a per-area reading of `DiagnosisResponse`, and errors a technician can act on.
//! See docs/protocols/nexo.md.

pub mod answers;
pub mod client;
pub mod config;
pub mod error;
pub mod facts;
pub mod frames;
pub mod http;
pub mod passphrase;
pub mod requests;
#[cfg(any(test, feature = "test-support"))]
pub mod script_frames;
pub mod summary;
pub mod tls;
pub mod txn_observe;

pub use answers::{
    DiagnosisAnswer, LoginAnswer, Outcome, PaymentAnswer, PaymentState, ReversalAnswer, Settled,
    StatusAnswer,
};
pub use client::{ExchangeRecord, NexoClient};
pub use config::NexoConfig;
pub use error::NexoClientError;
pub use facts::NexoTerminal;
pub use passphrase::{read_passphrase, security_key, PASSPHRASE_ENV};
pub use requests::{Parties, PaymentSpec};
pub use summary::{summarize, Area, AreaFinding, DiagnosisSummary, Level};
