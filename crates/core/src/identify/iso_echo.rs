//! The ISO 8583 probe, only when asked (`--iso8583`): one network-management echo (0820,
//! 60.3 = 301, as the host check sends it) in CUP framing. Any matching response, whatever
//! its response code, names an ISO 8583 host.

use std::time::Duration;

use tokio::net::TcpStream;

use super::wire::Heard;
use super::{Outcome, Protocol};
use crate::drivers::iso8583::{FrameTransport, HostClient, TerminalIdentity};
use crate::proto::iso8583::dialect::Dialect;

pub(super) async fn probe(stream: TcpStream, timeout: Duration) -> (Outcome, Heard) {
    let identity = TerminalIdentity {
        tid: "00000000".to_owned(),
        mid: "000000000000000".to_owned(),
        batch: "000001".to_owned(),
        operator: "001".to_owned(),
    };
    let transport = FrameTransport::new(stream, Dialect::cup());
    let mut client = HostClient::new(transport, identity, timeout);
    match client.echo().await {
        Ok(exchange) => {
            // The response's type and code, never its fields.
            let message = exchange.response.to_message();
            let summary = format!(
                "{} 39={}",
                message.mti.as_str(),
                message.str(39).unwrap_or("--")
            );
            (
                Outcome::Identified {
                    protocol: Protocol::Iso8583,
                },
                Heard {
                    bytes: summary.into_bytes(),
                    closed: false,
                },
            )
        }
        Err(_) => (Outcome::Silent, Heard::default()),
    }
}
