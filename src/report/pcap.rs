//! A pcap of a capture's TCP channels, for Wireshark.
//!
//! The capture keeps application bytes, not packets, so the pcap is rebuilt: each frame
//! becomes one Ethernet/IPv4/TCP segment between the laptop and the device's address as the
//! capture's link records name it, with sequence numbers that follow the byte stream.
//! Wireshark's ZVT dissector decodes TCP port 20007, so ZVT seen on a serial line is written
//! as the APDUs it carried (DLE framing and ACK/NAK removed) on port 20007, and said so in the
//! summary. Bytes are the capture's bytes: already redacted.
//!
//! A capture holds what a pcap cannot: a frame longer than one IPv4 packet is written as
//! several segments in a row, and a time before 1970 or past 2106 (classic pcap stores
//! seconds as 32 bits) is written as the nearest time it can hold. Both are counted in the
//! summary, so the report says so.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::time::{Duration, UNIX_EPOCH};

use etherparse::PacketBuilder;
use pcap_file::pcap::{PcapPacket, PcapWriter};

use crate::capture::CaptureRecord;
use crate::event::{Channel, Direction, LinkState};
use crate::proto::zvt::decode_serial_frame;

/// The laptop's side of every synthesized connection.
const LAPTOP: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 1);
const LAPTOP_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const DEVICE_MAC: [u8; 6] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

/// What went into the pcap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PcapSummary {
    pub packets: usize,
    /// Channels whose serial frames were written as TCP so Wireshark decodes them.
    pub serial_as_tcp: Vec<Channel>,
    /// Units that carry no application data (ACK/NAK, noise, bad frames), left out.
    pub skipped: usize,
    /// Frames too long for one IPv4 packet, written as several TCP segments.
    pub split_frames: usize,
    /// Frames whose time a pcap cannot hold, written at the nearest time it can.
    pub clamped_times: usize,
}

/// The most TCP payload one packet carries here: the pcap's snap length (65,535) less the
/// Ethernet, IPv4 and TCP headers, so no packet is cut short by a reader.
const MAX_SEGMENT: usize = 65_535 - 14 - 20 - 20;
/// The latest time a classic pcap holds: 2^32 - 1 seconds after 1970.
const LATEST_PCAP_SECS: u64 = u32::MAX as u64;

#[derive(Debug, thiserror::Error)]
pub enum PcapError {
    #[error("cannot write the pcap: {0}")]
    Write(String),
}

/// One direction of a synthesized TCP connection.
struct Flow {
    device: SocketAddrV4,
    laptop_port: u16,
    seq_out: u32,
    seq_in: u32,
}

fn default_port(channel: Channel) -> u16 {
    match channel {
        Channel::Terminal => 20007,
        Channel::Printer => 9100,
        Channel::Host => 5000,
    }
}

/// The device address a channel was connected to, when it was TCP.
fn tcp_target(target: &str) -> Option<SocketAddrV4> {
    target.strip_prefix("tcp ")?.trim().parse().ok()
}

/// Writes the pcap of `records` to `out`.
pub fn write_pcap(records: &[CaptureRecord], out: impl Write) -> Result<PcapSummary, PcapError> {
    let err = |e: pcap_file::PcapError| PcapError::Write(e.to_string());
    let mut writer = PcapWriter::new(out).map_err(err)?;
    let mut summary = PcapSummary::default();
    let mut flows: BTreeMap<u8, Flow> = BTreeMap::new();
    for record in records {
        match record {
            CaptureRecord::Link {
                channel,
                state: LinkState::Connected { target },
                ..
            } => {
                let key = *channel as u8;
                let device = tcp_target(target).unwrap_or_else(|| {
                    if !summary.serial_as_tcp.contains(channel) {
                        summary.serial_as_tcp.push(*channel);
                    }
                    SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 2), default_port(*channel))
                });
                flows.entry(key).or_insert(Flow {
                    device,
                    laptop_port: 50000 + u16::from(key),
                    seq_out: 1,
                    seq_in: 1,
                });
            }
            CaptureRecord::Frame(frame) => {
                let payload = if frame.raw.starts_with(&[0x10, 0x02]) {
                    match decode_serial_frame(&frame.raw) {
                        Ok(apdu) => apdu,
                        Err(_) => {
                            summary.skipped += 1;
                            continue;
                        }
                    }
                } else if frame.error || frame.raw.len() < 2 {
                    summary.skipped += 1;
                    continue;
                } else {
                    frame.raw.clone()
                };
                let key = frame.channel as u8;
                let flow = flows.entry(key).or_insert(Flow {
                    device: SocketAddrV4::new(
                        Ipv4Addr::new(127, 0, 0, 2),
                        default_port(frame.channel),
                    ),
                    laptop_port: 50000 + u16::from(key),
                    seq_out: 1,
                    seq_in: 1,
                });
                let (src, dst, sport, dport, ack) = match frame.direction {
                    Direction::Tx => (
                        LAPTOP,
                        *flow.device.ip(),
                        flow.laptop_port,
                        flow.device.port(),
                        flow.seq_in,
                    ),
                    Direction::Rx => (
                        *flow.device.ip(),
                        LAPTOP,
                        flow.device.port(),
                        flow.laptop_port,
                        flow.seq_out,
                    ),
                };
                let (src_mac, dst_mac) = match frame.direction {
                    Direction::Tx => (LAPTOP_MAC, DEVICE_MAC),
                    Direction::Rx => (DEVICE_MAC, LAPTOP_MAC),
                };
                let since_1970 = frame.time.duration_since(UNIX_EPOCH);
                let timestamp = match since_1970 {
                    Ok(d) if d.as_secs() <= LATEST_PCAP_SECS => d,
                    Ok(_) => {
                        summary.clamped_times += 1;
                        Duration::new(LATEST_PCAP_SECS, 999_999_000)
                    }
                    Err(_) => {
                        summary.clamped_times += 1;
                        Duration::ZERO
                    }
                };
                if payload.len() > MAX_SEGMENT {
                    summary.split_frames += 1;
                }
                for segment in payload.chunks(MAX_SEGMENT) {
                    let seq = match frame.direction {
                        Direction::Tx => flow.seq_out,
                        Direction::Rx => flow.seq_in,
                    };
                    let builder = PacketBuilder::ethernet2(src_mac, dst_mac)
                        .ipv4(src.octets(), dst.octets(), 64)
                        .tcp(sport, dport, seq, 65535)
                        .psh()
                        .ack(ack);
                    let mut bytes = Vec::with_capacity(builder.size(segment.len()));
                    builder
                        .write(&mut bytes, segment)
                        .map_err(|e| PcapError::Write(e.to_string()))?;
                    // A chunk is at most MAX_SEGMENT bytes: it fits a u32.
                    let advance = u32::try_from(segment.len()).unwrap_or(u32::MAX);
                    match frame.direction {
                        Direction::Tx => flow.seq_out = flow.seq_out.wrapping_add(advance),
                        Direction::Rx => flow.seq_in = flow.seq_in.wrapping_add(advance),
                    }
                    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                    writer
                        .write_packet(&PcapPacket::new(timestamp, len, &bytes))
                        .map_err(err)?;
                    summary.packets += 1;
                }
            }
            _ => {}
        }
    }
    Ok(summary)
}
