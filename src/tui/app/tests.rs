//! How events fold into the state.

use std::time::Duration;

use super::*;
use crate::checks::{Area, CheckStatus};
use crate::event::{Channel, Event, LinkState};
use crate::tui::fixtures::*;

#[test]
fn link_state_is_kept_per_channel() {
    let mut s = state(Lang::En);
    assert_eq!(s.link(Channel::Terminal), &LinkState::Disconnected);
    s.apply(&connected());
    s.apply(&Event::Link {
        channel: Channel::Printer,
        state: LinkState::NoReply {
            target: "tcp 10.0.0.7:9100".into(),
        },
    });
    assert!(matches!(
        s.link(Channel::Terminal),
        LinkState::Connected { .. }
    ));
    assert!(matches!(
        s.link(Channel::Printer),
        LinkState::NoReply { .. }
    ));
    s.apply(&lost());
    assert!(matches!(s.link(Channel::Terminal), LinkState::Lost { .. }));
    assert_eq!(s.link(Channel::Host), &LinkState::Disconnected);
}

#[test]
fn check_progress_from_not_run_to_running_to_done() {
    let mut s = state(Lang::En);
    assert!(s
        .checks()
        .rows()
        .iter()
        .all(|r| r.progress == Progress::NotRun));
    assert!(!s.is_busy());

    s.apply(&Event::CheckStarted {
        id: "reader.status".into(),
        area: Area::Reader,
    });
    assert!(s.is_busy());
    assert!(s.needs_tick());
    let row = &s.checks().rows()[2];
    assert!(row.is_running());

    s.apply(&Event::CheckFinished(reader_fail()));
    assert!(!s.is_busy());
    let result = s.checks().rows()[2].result().expect("finished");
    assert_eq!(result.status, CheckStatus::Fail);
    assert_eq!(s.results().count(), 1);
}

#[test]
fn unknown_checks_are_appended_with_their_id_as_title() {
    let mut s = state(Lang::En);
    let before = s.checks().rows().len();
    let mut r = reader_fail();
    r.id = "host.not_a_check".into();
    r.area = Area::Host;
    s.apply(&Event::CheckFinished(r));
    let mut known = reader_fail();
    known.id = "host.echo".into();
    known.area = Area::Host;
    s.apply(&Event::CheckFinished(known));
    let rows = s.checks().rows();
    assert_eq!(rows.len(), before + 2);
    assert_eq!(rows[before].descriptor.title.en, "host.not_a_check");
    assert_eq!(rows[before].descriptor.area, Area::Host);
    // A check posdiag knows gets its title even when it was not listed up front.
    assert_ne!(rows[before + 1].descriptor.title.en, "host.echo");
}

#[test]
fn run_finished_ends_checks_that_got_no_result() {
    let mut s = after_run(Lang::En);
    // Re-run: the reader starts again but the run ends before it reports.
    s.apply(&Event::CheckStarted {
        id: "reader.status".into(),
        area: Area::Reader,
    });
    s.apply(&Event::CheckStarted {
        id: "power.supply".into(),
        area: Area::Power,
    });
    s.apply(&Event::RunFinished {
        duration: Duration::from_secs(3),
    });
    assert!(!s.is_busy());
    let rows = s.checks().rows();
    assert_eq!(rows[2].result().map(|r| r.status), Some(CheckStatus::Fail));
    assert_eq!(rows[1].progress, Progress::NotRun);
    assert_eq!(s.last_run, Some(Duration::from_secs(3)));
}

#[test]
fn frames_go_to_the_log_and_notices_to_the_notice_line() {
    let mut s = state(Lang::En);
    s.apply(&Event::Frame(status_enquiry(0)));
    s.apply(&Event::Frame(bad_crc(10)));
    assert_eq!(s.log().total(), 2);
    assert!(s.log().visible().last().expect("frame").error);

    assert!(s.current_notice().is_none());
    s.apply(&Event::Notice(Text::fixed(
        "无法打开 /dev/ttyUSB1",
        "cannot open /dev/ttyUSB1",
    )));
    assert_eq!(
        s.current_notice().map(|t| t.en.as_ref()),
        Some("cannot open /dev/ttyUSB1")
    );
}

#[test]
fn starts_on_checks_when_there_is_nothing_to_connect_to() {
    assert_eq!(state(Lang::En).tab(), Tab::Connect);
    let s = AppState::new(config(Lang::En), vec![], descriptors());
    assert_eq!(s.tab(), Tab::Checks);
    assert_eq!(s.selected_entry(), None);
}

#[test]
fn tab_order_wraps() {
    assert_eq!(Tab::Log.next(), Tab::Connect);
    assert_eq!(Tab::Connect.prev(), Tab::Log);
    for (i, t) in Tab::ALL.iter().enumerate() {
        assert_eq!(t.index(), i);
        assert!(!t.title().is_incomplete());
    }
}

#[test]
fn a_success_notice_carries_no_warning_and_goes_at_the_next_key() {
    let mut s = state(Lang::En);
    s.set_tab(Tab::Checks);
    let done = crate::event::done_notice(Text::fixed("支付：交易成功", "Payment: approved"));
    s.apply(&Event::Notice(done));
    let mut shown = s.clone();
    let text = screen(
        crate::tui::snapshot_tests::draw(&mut shown, 80, 24)
            .backend()
            .buffer(),
    );
    assert!(text.contains("✓ Payment: approved"), "{text}");
    assert!(!text.contains('⚠'), "{text}");
    crate::tui::handle_key(&mut s, ch('j'));
    assert!(s.current_notice().is_none(), "read, so gone");

    // A warning stays through keys, but a new check run makes it stale.
    s.apply(&Event::Notice(Text::fixed(
        "终端连接丢失",
        "terminal link lost",
    )));
    crate::tui::handle_key(&mut s, ch('j'));
    assert!(s.current_notice().is_some());
    let mut shown = s.clone();
    let text = screen(
        crate::tui::snapshot_tests::draw(&mut shown, 80, 24)
            .backend()
            .buffer(),
    );
    assert!(text.contains("⚠ terminal link lost"), "{text}");
    s.apply(&Event::CheckStarted {
        id: "reader.status".into(),
        area: Area::Reader,
    });
    assert!(s.current_notice().is_none(), "stale once a new run starts");
    assert_eq!(s.notices().len(), 2, "still listed in full (m)");
}
