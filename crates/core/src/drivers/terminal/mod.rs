//! The protocol-neutral terminal layer: what checks, transactions and the guide need from a
//! payment terminal, as typed facts a protocol driver produces.

pub mod amount;
pub mod codes;
pub mod observe;
pub mod protocol;
pub mod reader;
#[cfg(any(test, feature = "test-support"))]
pub mod script;
