//! The shared printer probe: one real-time status read (DLE EOT 1-4) per run, read by every
//! printer check, and the printer's identity (GS I), asked once and only while it is online.
//!
//! The printer is its own channel, so these checks run alongside the terminal's.

use std::sync::Arc;

use tokio::sync::OnceCell;

use crate::drivers::escpos::{
    IdentityRead, PrinterChannel, PrinterFailure, PrinterRecord, StatusRead,
};
use crate::i18n::Text;
use crate::proto::escpos::DrawerOpenLevel;

/// The status read, or what went wrong opening or reading the link.
pub type PrinterStatusOutcome = Result<PrinterRecord<StatusRead>, PrinterFailure>;

/// The identity read, or why it was not asked.
#[derive(Debug)]
pub enum IdentityOutcome {
    NotAsked(Text),
    Read(Result<PrinterRecord<IdentityRead>, PrinterFailure>),
}

/// One probe per check run.
pub struct PrinterProbe {
    channel: Arc<PrinterChannel>,
    drawer_open_level: DrawerOpenLevel,
    identify: bool,
    status: OnceCell<PrinterStatusOutcome>,
    identity: OnceCell<IdentityOutcome>,
}

impl PrinterProbe {
    /// `identify` is the profile's `printer.identify`.
    pub fn new(
        channel: Arc<PrinterChannel>,
        drawer_open_level: DrawerOpenLevel,
        identify: bool,
    ) -> Self {
        PrinterProbe {
            channel,
            drawer_open_level,
            identify,
            status: OnceCell::new(),
            identity: OnceCell::new(),
        }
    }

    pub fn channel(&self) -> &Arc<PrinterChannel> {
        &self.channel
    }

    pub fn drawer_open_level(&self) -> DrawerOpenLevel {
        self.drawer_open_level
    }

    /// The status read, asked once and shared.
    pub async fn status(&self) -> &PrinterStatusOutcome {
        self.status
            .get_or_init(|| async { self.channel.status().await })
            .await
    }

    /// The identity, asked once after the status read says the printer is online.
    pub async fn identity(&self) -> &IdentityOutcome {
        self.identity
            .get_or_init(|| async {
                if !self.identify {
                    return IdentityOutcome::NotAsked(Text::fixed(
                        "配置中已关闭（printer.identify = false）",
                        "turned off in the profile (printer.identify = false)",
                    ));
                }
                match self.status().await {
                    Ok(record) if record.read.condition().offline == Some(false) => {
                        IdentityOutcome::Read(self.channel.identify().await)
                    }
                    Ok(record) if record.read.condition().offline == Some(true) => {
                        IdentityOutcome::NotAsked(Text::fixed(
                            "打印机脱机：GS I 排在接收缓冲区之后，脱机时不会应答",
                            "the printer is offline: GS I waits behind the receive buffer and gets no answer while offline",
                        ))
                    }
                    Ok(_) | Err(_) => IdentityOutcome::NotAsked(Text::fixed(
                        "无法读取打印机状态（见 printer.link）",
                        "the printer's status could not be read (see printer.link)",
                    )),
                }
            })
            .await
    }
}
