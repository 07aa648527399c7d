//! The arguments of `posdiag decode`: the protocol, the bytes (hex or a file), and what some
//! protocols need to explain them (the ESC/POS request, the ZVT sender, the nexo shared key).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::args::ListFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecodeProtocol {
    Zvt,
    /// ESC/POS printer status bytes (DLE EOT, ASB, GS r, GS I replies).
    Escpos,
    /// ISO 8583 messages (China UnionPay POS dialect, or the profile's with --profile).
    Iso8583,
    /// A nexo Retailer / Adyen Terminal API JSON message (give the JSON text, not hex);
    /// encrypted ones are opened with --nexo-key-id, --nexo-key-version and POSDIAG_NEXO_PASSPHRASE.
    Nexo,
    /// Ingenico Concert E/E+ bytes: ENQ/ACK/NAK/EOT and STX … ETX LRC frames (card data masked).
    Concert,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    #[arg(value_enum)]
    pub protocol: DecodeProtocol,
    /// Hex bytes (spaces, colons and 0x prefixes allowed).
    #[arg(
        value_name = "HEX",
        required_unless_present = "file",
        conflicts_with = "file"
    )]
    pub hex: Option<String>,
    /// Read the bytes from a binary file instead.
    #[arg(long, value_name = "F")]
    pub file: Option<PathBuf>,
    /// escpos: the request the bytes answer (eot1-eot4, eot7-1, eot7-2, eot8-3, asb, gsr1, gsr2,
    /// gsr4, gsi1-gsi3, gsi65-gsi69); without it each byte is read against every plausible one.
    #[arg(long, value_name = "Q")]
    pub query: Option<String>,
    /// Profile whose host dialect to decode with (iso8583; default: the CUP dialect).
    #[arg(long, value_name = "P")]
    pub profile: Option<String>,
    /// zvt: who sent the bytes. Needed where the code does not tell (80 00 / 84 xx are sent by
    /// both sides); without it such input is labelled "sender unknown".
    #[arg(long, value_enum, value_name = "SIDE")]
    pub from: Option<DecodeSender>,
    /// nexo: the shared key's identifier, to open an encrypted message.
    #[arg(long, value_name = "ID")]
    pub nexo_key_id: Option<String>,
    /// nexo: the shared key's version.
    #[arg(long, value_name = "N")]
    pub nexo_key_version: Option<u32>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// The sender of ZVT bytes given to `decode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecodeSender {
    /// The cash register.
    Ecr,
    /// The payment terminal.
    Pt,
}
