//! The printer actions the TUI asks for once the user confirmed them in its popup: the test
//! print and the recovery (DLE ENQ). Each ends in one bilingual notice on the bus — shown, kept
//! in the capture, and the end of the action in the TUI. The receipt itself reaches the TUI as
//! the print data frame the printer channel emits.

use std::sync::Arc;

use crate::drivers::escpos::{Confirmation, PrinterChannelError, StatusRead};
use crate::event::Event;
use crate::i18n::Text;
use crate::proto::escpos::commands::Recovery;
use crate::proto::escpos::render::RenderedReceipt;
use crate::proto::escpos::Problem;
use crate::session::{EventBus, Session};
use crate::tr;
use crate::tui::PrinterAction;

/// Runs `action` on the session's printer in the background and announces the outcome.
pub(super) fn run_printer_action(
    session: super::SharedSession,
    bus: EventBus,
    action: PrinterAction,
) {
    tokio::spawn(async move {
        let text = match super::current(&session).await {
            Some(s) => perform(&s, action).await,
            None => Text::fixed(
                "没有打开的会话：先在连接页 (1) 选择设备。没有向打印机发送任何内容。",
                "No session is open: choose a device on the Connect tab (1) first. Nothing was sent to the printer.",
            ),
        };
        bus.emit(Event::Notice(text));
    });
}

/// Carries out `action`; the user confirmed it in the TUI before the request was made.
pub(super) async fn perform(session: &Arc<Session>, action: PrinterAction) -> Text {
    let Some(printer) = session.printer() else {
        return Text::fixed(
            "此配置没有打印机通道，没有发送任何内容。",
            "This profile has no printer channel; nothing was sent.",
        );
    };
    let confirmed = Confirmation::given_by_operator();
    match action {
        PrinterAction::TestPrint => {
            let stamp = stamp(&session.profile().name);
            match printer.test_print(confirmed, &stamp).await {
                Ok(record) => printed(
                    record.read.bytes_sent,
                    &record.read.after,
                    session.simulated_receipt(),
                ),
                Err(failure) => failed(action, &failure.error),
            }
        }
        PrinterAction::Recover(recovery) => match printer.recover(confirmed, recovery).await {
            Ok(record) => recovered(recovery, &record.read),
            Err(failure) => failed(action, &failure.error),
        },
    }
}

/// The line printed on the test receipt under the fixed lines: profile and local time.
fn stamp(profile: &str) -> String {
    let now = time::OffsetDateTime::now_utc().to_offset(crate::localtime::offset());
    let at = now
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .unwrap_or_default();
    format!("{profile} {at}")
}

/// "no fault", or the problems the status read shows.
fn condition(read: &StatusRead) -> Text {
    let problems = read.problems();
    if problems.is_empty() {
        return Text::fixed("无故障", "no fault");
    }
    let names: Vec<Text> = problems.iter().map(|p| p.name()).collect();
    join(&names)
}

fn join(texts: &[Text]) -> Text {
    let zh: Vec<&str> = texts.iter().map(|t| t.zh.as_ref()).collect();
    let en: Vec<&str> = texts.iter().map(|t| t.en.as_ref()).collect();
    Text::new(zh.join("、"), en.join(", "))
}

fn printed(bytes: usize, after: &StatusRead, simulated: Option<RenderedReceipt>) -> Text {
    let state = condition(after);
    let mut text = Text::new(
        format!(
            "测试打印已发送（{bytes} 字节）。打印后状态：{}。小票见打印机窗口 (p)。",
            state.zh
        ),
        format!(
            "Test print sent ({bytes} bytes). Status after printing: {}. The receipt is in the printer window (p).",
            state.en
        ),
    );
    // The simulated printer tells what came out; a real one sends no such confirmation.
    if let Some(receipt) = simulated {
        let lines = receipt.lines.len();
        let sim = if receipt.cut {
            tr!(
                "模拟打印机打出 {lines} 行并切纸。",
                "The simulated printer printed {lines} lines and cut the paper."
            )
        } else {
            tr!(
                "模拟打印机打出 {lines} 行，未切纸。",
                "The simulated printer printed {lines} lines without a cut."
            )
        };
        text = Text::new(
            format!("{}{}", text.zh, sim.zh),
            format!("{} {}", text.en, sim.en),
        );
    }
    text
}

fn recovered(recovery: Recovery, read: &StatusRead) -> Text {
    let name = recovery.name();
    let state = condition(read);
    Text::new(
        format!("已发送 {}。打印机现在：{}。", name.zh, state.zh),
        format!("Sent {}. The printer now reports: {}.", name.en, state.en),
    )
}

fn failed(action: PrinterAction, error: &PrinterChannelError) -> Text {
    let title = action.title();
    let why = match error {
        PrinterChannelError::Link(e) => {
            let (m, h) = (e.message(), e.hint());
            Text::new(
                format!("{}。{}", m.zh, h.zh),
                format!("{} — {}", m.en, h.en),
            )
        }
        PrinterChannelError::Printer(e) => tr!(
            "打印机连接中断（{e}）：检查线缆与电源",
            "the printer link broke off ({e}): check the cable and power"
        ),
        PrinterChannelError::NotReady { problems } => {
            let names: Vec<Text> = problems.iter().map(|p| p.name()).collect();
            let names = join(&names);
            let fix = problems
                .first()
                .map_or_else(Text::default, |p: &Problem| p.fix());
            Text::new(
                format!("打印机未就绪（{}）。{}", names.zh, fix.zh),
                format!("the printer is not ready ({}). {}", names.en, fix.en),
            )
        }
    };
    Text::new(
        format!("{}没有完成：{}", title.zh, why.zh),
        format!("{} did not happen: {}", title.en, why.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Channel, Direction};
    use crate::profile::{load_profile, SimulatedLink};
    use crate::session::{EventReceiver, SessionConfig};
    use crate::sim::Fault;

    async fn demo(faults: &[&str]) -> (Arc<Session>, EventReceiver) {
        let (mut profile, _) = load_profile("demo").expect("demo profile");
        let sim = profile.simulator.as_mut().expect("simulator");
        sim.printer_link = SimulatedLink::Tcp;
        sim.terminal_link = SimulatedLink::Tcp;
        let bus = EventBus::new();
        let events = bus.subscribe();
        let config = SessionConfig {
            profile,
            faults: faults
                .iter()
                .map(|f| Fault::parse(f).expect("fault"))
                .collect(),
            serial: None,
            tcp: None,
        };
        let session = crate::session::open(config, bus).await.expect("session");
        (Arc::new(session), events)
    }

    #[tokio::test]
    async fn the_receipt_shown_is_what_the_simulated_printer_printed() {
        let (session, mut events) = demo(&[]).await;
        let text = perform(&session, PrinterAction::TestPrint).await;
        assert!(!text.is_incomplete());
        assert!(text.en.starts_with("Test print sent"), "{}", text.en);
        assert!(text.en.contains("cut the paper"), "{}", text.en);
        let printed = session.simulated_receipt().expect("the simulator printed");
        let mut sent = None;
        while let Ok(event) = events.try_recv() {
            if let Event::Frame(f) = event {
                if f.channel == Channel::Printer
                    && f.direction == Direction::Tx
                    && f.raw.starts_with(&[0x1B, 0x40])
                {
                    sent = Some(f);
                }
            }
        }
        let sent = sent.expect("the print data went out as a frame");
        assert_eq!(
            crate::proto::escpos::render::render_print_bytes(&sent.raw),
            printed
        );
    }

    #[tokio::test]
    async fn a_printer_that_is_not_ready_prints_nothing_and_says_why() {
        let (session, _events) = demo(&["printer.paper_out"]).await;
        let text = perform(&session, PrinterAction::TestPrint).await;
        assert!(
            text.en.contains("did not happen") && text.en.contains("paper out"),
            "{}",
            text.en
        );
        assert!(text.zh.contains("缺纸"), "{}", text.zh);
        assert!(session.simulated_receipt().is_none());
    }

    #[tokio::test]
    async fn recovery_clears_a_cutter_error() {
        let (session, _events) = demo(&["printer.cutter_error"]).await;
        let text = perform(&session, PrinterAction::Recover(Recovery::ClearBuffers)).await;
        assert!(text.en.starts_with("Sent DLE ENQ 2"), "{}", text.en);
        assert!(text.en.contains("no fault"), "{}", text.en);
    }
}
