//! The simulated ESC/POS receipt printer: answers DLE EOT, GS r, GS I and GS a with the status
//! bits of its faults (the §2.6 states of docs/protocols/escpos.md, through the codec's own
//! encoders), and prints what it is sent into a receipt that can be read back.
//!
//! While offline it answers real-time status only (GS r and GS I wait behind the receive
//! buffer on a real printer, so they get no reply) and prints nothing: the simulator does not
//! keep print data for later. `printer.no_reply` is a printer that reads and never answers.
//! DLE ENQ 1/2 clears a cutter error or jam, so a recovery can be shown working.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::faults::Fault;
use crate::proto::escpos::commands::Recovery;
use crate::proto::escpos::encode::{encode_asb, encode_reply};
use crate::proto::escpos::input::{Input, InputParser};
use crate::proto::escpos::render::{ReceiptPrinter, RenderedReceipt};
use crate::proto::escpos::{PrinterCondition, PrinterIdentity, Query};
use posdiag_core::catalogue::CauseId;
use posdiag_core::cause;

/// Per-connection state of the printer.
#[derive(Debug, Default)]
struct Connection {
    printer: ReceiptPrinter,
    /// Automatic Status Back enabled by `GS a n` (n ≠ 0); `ESC @` and `GS a 0` turn it off.
    asb: bool,
}

/// A fault of the simulated printer; the id is the cause id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrinterFault {
    PaperOut,
    PaperNearEnd,
    CoverOpen,
    CutterError,
    Overheat,
    Offline,
    PaperJam,
    UnrecoverableError,
    /// Reads everything, answers nothing.
    NoReply,
}

impl PrinterFault {
    pub const ALL: [PrinterFault; 9] = [
        PrinterFault::PaperOut,
        PrinterFault::PaperNearEnd,
        PrinterFault::CoverOpen,
        PrinterFault::CutterError,
        PrinterFault::Overheat,
        PrinterFault::Offline,
        PrinterFault::PaperJam,
        PrinterFault::UnrecoverableError,
        PrinterFault::NoReply,
    ];

    /// The cause this fault demonstrates (checked against `kb/` when the crate is built).
    pub fn cause(self) -> CauseId {
        match self {
            PrinterFault::PaperOut => cause!("printer.paper_out"),
            PrinterFault::PaperNearEnd => cause!("printer.paper_near_end"),
            PrinterFault::CoverOpen => cause!("printer.cover_open"),
            PrinterFault::CutterError => cause!("printer.cutter_error"),
            PrinterFault::Overheat => cause!("printer.overheat"),
            PrinterFault::Offline => cause!("printer.offline"),
            PrinterFault::PaperJam => cause!("printer.paper_jam"),
            PrinterFault::UnrecoverableError => cause!("printer.unrecoverable_error"),
            PrinterFault::NoReply => cause!("printer.no_reply"),
        }
    }

    pub fn id(self) -> &'static str {
        self.cause().as_str()
    }

    pub fn from_id(id: &str) -> Option<PrinterFault> {
        PrinterFault::ALL.into_iter().find(|f| f.id() == id)
    }

    /// Cleared by DLE ENQ 1 or 2 (the cause itself is assumed removed by the operator).
    fn recoverable(self) -> bool {
        matches!(self, PrinterFault::CutterError | PrinterFault::PaperJam)
    }
}

/// What the simulated printer says about itself (GS I).
pub fn sim_identity() -> PrinterIdentity {
    PrinterIdentity {
        model_id: Some(0x20),
        // Two-byte (CJK) characters and an autocutter.
        type_id: Some(0x03),
        firmware_id: Some(0x41),
        firmware_version: Some("1.00 posdiag-sim".to_owned()),
        maker: Some("POSDIAG".to_owned()),
        model_name: Some("SIM-80".to_owned()),
        serial_number: Some("SIM80-0001".to_owned()),
        font_language: Some("CHINA GB18030".to_owned()),
    }
}

#[derive(Debug, Default)]
struct Shared {
    faults: Vec<PrinterFault>,
    last_receipt: Option<RenderedReceipt>,
    receipts: usize,
}

/// A simulated printer; clones share faults and receipts across connections.
#[derive(Debug, Clone, Default)]
pub struct PrinterSim {
    shared: Arc<Mutex<Shared>>,
}

impl PrinterSim {
    /// A printer with the printer faults among `faults` (others are ignored).
    pub fn new(faults: &[Fault]) -> Self {
        let faults = faults
            .iter()
            .filter_map(|f| match f {
                Fault::Printer(p) => Some(*p),
                _ => None,
            })
            .collect();
        PrinterSim {
            shared: Arc::new(Mutex::new(Shared {
                faults,
                ..Default::default()
            })),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Shared) -> T) -> T {
        match self.shared.lock() {
            Ok(mut s) => f(&mut s),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// The printer fault with this id no longer shows (the demo's "simulate the repair").
    pub fn repair(&self, id: &str) {
        self.with(|s| s.faults.retain(|f| f.id() != id));
    }

    pub fn has(&self, fault: PrinterFault) -> bool {
        self.with(|s| s.faults.contains(&fault))
    }

    /// The status bits of the current faults.
    pub fn condition(&self) -> PrinterCondition {
        self.with(|s| {
            s.faults.iter().fold(PrinterCondition::all_clear(), |c, f| {
                c.with_fault(f.id()).unwrap_or(c)
            })
        })
    }

    /// The last receipt printed (cut, or ended by the connection closing).
    pub fn last_receipt(&self) -> Option<RenderedReceipt> {
        self.with(|s| s.last_receipt.clone())
    }

    /// How many receipts were printed since the simulator started.
    pub fn receipts_printed(&self) -> usize {
        self.with(|s| s.receipts)
    }

    fn store(&self, receipt: RenderedReceipt) {
        self.with(|s| {
            s.receipts = s.receipts.saturating_add(1);
            s.last_receipt = Some(receipt);
        });
    }

    fn recover(&self, recovery: Recovery) {
        if matches!(
            recovery,
            Recovery::RestartFromErrorLine | Recovery::ClearBuffers
        ) {
            self.with(|s| s.faults.retain(|f| !f.recoverable()));
        }
    }

    fn online(&self) -> bool {
        self.condition().offline != Some(true)
    }

    /// Serves one connection until the host closes it.
    pub async fn serve<S: AsyncRead + AsyncWrite + Unpin>(&self, mut stream: S) {
        let mut buf = [0u8; 512];
        if self.has(PrinterFault::NoReply) {
            while let Ok(n) = stream.read(&mut buf).await {
                if n == 0 {
                    break;
                }
            }
            return;
        }
        let identity = sim_identity();
        let mut parser = InputParser::default();
        let mut conn = Connection::default();
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
            parser.push(buf.get(..n).unwrap_or_default());
            let mut out = Vec::new();
            while let Some((input, raw)) = parser.next_input() {
                out.extend(self.apply(&identity, &mut conn, input, &raw));
            }
            if !out.is_empty() && stream.write_all(&out).await.is_err() {
                break;
            }
        }
        if conn.printer.has_output() {
            self.store(conn.printer.finish(false));
        }
    }

    /// Carries out one input; returns the bytes to send back.
    fn apply(
        &self,
        identity: &PrinterIdentity,
        conn: &mut Connection,
        input: Input,
        raw: &[u8],
    ) -> Vec<u8> {
        let printer = &mut conn.printer;
        let online = self.online();
        let prints = matches!(
            input,
            Input::Text(_) | Input::LineFeed | Input::Feed(_) | Input::Cut
        );
        if prints && !online {
            return Vec::new();
        }
        if !matches!(
            input,
            Input::Query(_) | Input::AsbOff | Input::Recovery(_) | Input::DrawerPulse
        ) {
            printer.record(raw);
        }
        match input {
            Input::Query(query) => {
                if let Query::AutoStatusBack(triggers) = query {
                    conn.asb = triggers.0 != 0;
                }
                return encode_reply(&self.condition(), identity, query).unwrap_or_default();
            }
            Input::Recovery(recovery) => {
                let before = self.condition();
                self.recover(recovery);
                let after = self.condition();
                // With ASB on, a printer reports every change of its status at once.
                if conn.asb && after != before {
                    return encode_asb(&after).to_vec();
                }
            }
            Input::AsbOff => conn.asb = false,
            Input::Initialise => {
                conn.asb = false;
                printer.initialise();
            }
            Input::ChineseMode(on) => printer.chinese_mode(on),
            Input::CodePage(n) => printer.code_page(n),
            Input::Text(text) => printer.text(&text),
            Input::LineFeed => printer.line_feed(),
            Input::Feed(lines) => printer.feed(lines),
            Input::Cut => {
                if printer.has_output() {
                    self.store(printer.finish(true));
                }
            }
            Input::DrawerPulse | Input::Other(_) => {}
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::escpos::receipt::{test_receipt, TEST_CHINESE_LINE, TEST_FOUR_BYTE_LINE};
    use tokio::io::AsyncReadExt;

    async fn exchange(sim: &PrinterSim, send: &[u8], expect: usize) -> Vec<u8> {
        let (mut ours, theirs) = tokio::io::duplex(4096);
        let server = {
            let sim = sim.clone();
            tokio::spawn(async move { sim.serve(theirs).await })
        };
        ours.write_all(send).await.unwrap();
        let mut got = vec![0u8; expect];
        ours.read_exact(&mut got).await.unwrap();
        drop(ours);
        server.await.unwrap();
        got
    }

    #[tokio::test]
    async fn status_bytes_of_each_state() {
        let eot = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4];
        let cases: [(&[Fault], [u8; 4]); 3] = [
            (&[], [0x12, 0x12, 0x12, 0x12]),
            (
                &[Fault::Printer(PrinterFault::PaperOut)],
                [0x1A, 0x32, 0x12, 0x7E],
            ),
            (
                &[Fault::Printer(PrinterFault::CoverOpen)],
                [0x1A, 0x16, 0x12, 0x12],
            ),
        ];
        for (faults, want) in cases {
            let sim = PrinterSim::new(faults);
            assert_eq!(exchange(&sim, &eot, 4).await, want, "{faults:?}");
        }
    }

    #[tokio::test]
    async fn the_test_receipt_reads_back_as_text() {
        let sim = PrinterSim::new(&[]);
        // GS I 69 after the receipt proves the whole receipt was processed.
        let mut send = test_receipt("2026-01-01 12:00");
        send.extend_from_slice(&[0x1D, b'I', 69]);
        let reply = exchange(&sim, &send, 15).await;
        assert_eq!(reply, b"\x5FCHINA GB18030\x00");
        let receipt = sim.last_receipt().expect("a receipt");
        assert!(receipt.cut);
        assert!(
            receipt.lines.iter().any(|l| l == TEST_CHINESE_LINE),
            "{receipt:#?}"
        );
        assert!(receipt.lines.iter().any(|l| l == TEST_FOUR_BYTE_LINE));
        assert!(receipt.lines.iter().any(|l| l == "2026-01-01 12:00"));
        assert_eq!(sim.receipts_printed(), 1);
    }

    #[tokio::test]
    async fn recovery_clears_a_cutter_error() {
        let sim = PrinterSim::new(&[Fault::Printer(PrinterFault::CutterError)]);
        assert_eq!(exchange(&sim, &[0x10, 0x04, 3], 1).await, [0x1A]);
        assert_eq!(
            exchange(&sim, &[0x10, 0x05, 2, 0x10, 0x04, 3], 1).await,
            [0x12]
        );
    }

    #[tokio::test]
    async fn asb_reports_at_once_and_after_a_recovery() {
        let sim = PrinterSim::new(&[Fault::Printer(PrinterFault::PaperJam)]);
        // GS a 0F: one packet at once (offline, recoverable error); DLE ENQ 1: one more, clear.
        let got = exchange(&sim, &[0x1D, b'a', 0x0F, 0x10, 0x05, 1], 8).await;
        assert_eq!(got, [0x18, 0x04, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00]);
    }

    #[tokio::test]
    async fn offline_printer_holds_gs_r_and_prints_nothing() {
        let sim = PrinterSim::new(&[Fault::Printer(PrinterFault::Offline)]);
        // GS r 1 gets no reply; DLE EOT 1 behind it still does.
        let got = exchange(&sim, b"hello\n\x1dr\x01\x10\x04\x01", 1).await;
        assert_eq!(got, [0x1A]);
        assert!(sim.last_receipt().is_none());
    }
}
