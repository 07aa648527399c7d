//! nexo Retailer ("Sale to POI", ISO 20022) as Adyen's local Terminal API speaks it: the JSON
//! envelope, the result model, the diagnosis status, card-data masking and the Adyen security
//! trailer (NexoBlob). Pure: no I/O and no panic on any JSON. See docs/protocols/nexo.md.

pub mod crypto;
pub mod diagnosis;
pub mod mask;
pub mod message;
pub mod result;

pub use crypto::{CryptoError, SecurityKey, SecurityTrailer};
pub use diagnosis::{printer_status_meaning, Diagnosis, HostStatus, PoiStatus};
pub use mask::{mask_str, mask_value};
pub use message::{
    parse, Category, Direction, Envelope, Message, MessageHeader, NexoError, Secured,
};
pub use result::{error_condition_meaning, result_meaning, Response};
