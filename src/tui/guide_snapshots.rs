//! Snapshots of a full walkthrough on the Guide tab — symptom choice, question, answer, fix
//! steps, "Fixed?" with its checks running, done — at 80x24 and 120x40 in English and Chinese;
//! the jump from a failed check; the colours of the rank words; tiny terminals.

use std::time::Duration;

use crossterm::event::KeyCode;
use ratatui::style::Color;

use super::app::{AppState, GuidePhase, Tab};
use super::fixtures::*;
use super::input::handle_key;
use super::model::UiRequest;
use super::snapshot_tests::{draw, snap};
use crate::checks::{Area, CheckResult, CheckStatus};
use crate::event::Event;
use crate::i18n::{Lang, Text};

/// The Guide tab with "won't power on" selected in the picker.
fn picking(lang: Lang) -> AppState {
    let mut s = state(lang);
    s.apply(&connected());
    handle_key(&mut s, ch('4'));
    let kb = crate::guide::builtin().expect("knowledge base");
    let index = kb
        .symptoms
        .iter()
        .position(|x| x.id == "no_power")
        .expect("symptom");
    for _ in 0..index {
        handle_key(&mut s, ch('j'));
    }
    assert_eq!(s.guide_phase(), Some(GuidePhase::Pick));
    s
}

fn asking(lang: Lang) -> AppState {
    let mut s = picking(lang);
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(s.guide_phase(), Some(GuidePhase::Ask));
    s
}

/// "Is the adapter's LED on?" — no: the fix steps of power.no_power.
fn fixing(lang: Lang) -> AppState {
    let mut s = asking(lang);
    handle_key(&mut s, ch('n'));
    assert_eq!(s.guide_phase(), Some(GuidePhase::Fix));
    s
}

fn pass(id: &str, area: Area, en: &'static str, zh: &'static str) -> CheckResult {
    let mut r = CheckResult::new(id, area, CheckStatus::Pass, Text::fixed(zh, en));
    r.duration = Duration::from_millis(40);
    r
}

/// `f`: the proving checks asked for, one of them already back.
fn verifying(lang: Lang) -> AppState {
    let mut s = fixing(lang);
    handle_key(&mut s, ch('f'));
    assert_eq!(
        s.take_requests(),
        vec![
            UiRequest::RunCheck("link.terminal".into()),
            UiRequest::RunCheck("power.supply".into()),
        ]
    );
    for (id, area) in [("link.terminal", Area::Link), ("power.supply", Area::Power)] {
        s.apply(&Event::CheckStarted {
            id: id.into(),
            area,
        });
    }
    s.apply(&Event::CheckFinished(pass(
        "link.terminal",
        Area::Link,
        "the terminal answers",
        "终端有应答",
    )));
    s.apply(&Event::RunFinished {
        duration: Duration::from_millis(40),
    });
    assert_eq!(s.guide_phase(), Some(GuidePhase::Verifying));
    s
}

/// Both checks passed: fixed, and the outcome went back to the session as a notice, which the
/// session puts on the bus (the capture records it) and the TUI shows.
fn done(lang: Lang) -> AppState {
    let mut s = verifying(lang);
    s.apply(&Event::CheckFinished(pass(
        "power.supply",
        Area::Power,
        "supply voltage normal",
        "供电电压正常",
    )));
    s.apply(&Event::RunFinished {
        duration: Duration::from_millis(40),
    });
    let requests = s.take_requests();
    let [UiRequest::RecordNotice(notice)] = requests.as_slice() else {
        panic!("the outcome is recorded: {requests:?}");
    };
    s.apply(&Event::Notice(notice.clone()));
    assert_eq!(s.guide_phase(), Some(GuidePhase::End));
    s
}

#[test]
fn full_walkthrough_in_english() {
    snap("guide_1_pick_en", picking(Lang::En));
    snap("guide_2_question_en", asking(Lang::En));
    snap("guide_3_fix_en", fixing(Lang::En));
    snap("guide_4_verifying_en", verifying(Lang::En));
    snap("guide_5_done_en", done(Lang::En));
}

#[test]
fn full_walkthrough_in_chinese() {
    snap("guide_1_pick_zh", picking(Lang::Zh));
    snap("guide_2_question_zh", asking(Lang::Zh));
    snap("guide_3_fix_zh", fixing(Lang::Zh));
    snap("guide_4_verifying_zh", verifying(Lang::Zh));
    snap("guide_5_done_zh", done(Lang::Zh));
}

#[test]
fn from_a_failed_check() {
    let mut s = after_run(Lang::En);
    s.set_tab(Tab::Checks);
    select_check(&mut s, "reader.status");
    handle_key(&mut s, ch('g'));
    assert_eq!(s.tab(), Tab::Guide);
    snap("guide_from_check_en", s);
}

/// The reader check fails again after its fix: not fixed, nothing else to try — escalate.
fn escalating(lang: Lang) -> AppState {
    let mut s = state(lang);
    s.apply(&connected());
    s.apply(&Event::CheckFinished(reader_fail()));
    s.set_tab(Tab::Checks);
    select_check(&mut s, "reader.status");
    handle_key(&mut s, ch('g'));
    handle_key(&mut s, ch('f'));
    let asked = s.take_requests();
    assert_eq!(asked, vec![UiRequest::RunCheck("reader.status".into())]);
    s.apply(&Event::CheckStarted {
        id: "reader.status".into(),
        area: Area::Reader,
    });
    s.apply(&Event::CheckFinished(reader_fail()));
    s.apply(&Event::RunFinished {
        duration: Duration::from_millis(1_203),
    });
    assert!(matches!(
        s.take_requests().as_slice(),
        [UiRequest::RecordNotice(t)] if t.en.contains("not fixed")
    ));
    assert_eq!(s.guide_phase(), Some(GuidePhase::End));
    s
}

#[test]
fn not_fixed_then_escalate() {
    snap("guide_escalate_en", escalating(Lang::En));
    snap("guide_escalate_zh", escalating(Lang::Zh));
}

#[test]
fn the_evidence_alone_with_no_evidence_says_so() {
    let mut s = state(Lang::En);
    s.set_tab(Tab::Guide);
    for _ in 0..20 {
        handle_key(&mut s, ch('j'));
    }
    handle_key(&mut s, press(KeyCode::Enter));
    assert_eq!(s.guide_phase(), Some(GuidePhase::End));
    let t = draw(&mut s, 80, 24);
    let text = screen(t.backend().buffer());
    assert!(text.contains("Nothing points at a cause yet"), "{text}");
    assert!(text.contains("No cause fits the evidence so far"), "{text}");
}

#[test]
fn the_help_lists_the_answer_keys() {
    let mut s = asking(Lang::En);
    handle_key(&mut s, ch('?'));
    snap("guide_help_en", s);
}

#[test]
fn rank_words_carry_their_colour() {
    let mut s = fixing(Lang::En);
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "CONFIRMED").expect("a confirmed cause");
    assert_eq!(buf.cell((x, y)).map(|c| c.fg), Some(Color::Red));
    let mut s = done(Lang::En);
    let t = draw(&mut s, 80, 24);
    let buf = t.backend().buffer();
    let (x, y) = find(buf, "✓ FIXED").expect("fixed");
    assert_eq!(buf.cell((x, y)).map(|c| c.fg), Some(Color::Green));
}

#[test]
fn tiny_terminals_do_not_panic_on_the_guide() {
    for lang in [Lang::En, Lang::Zh] {
        for mut s in [
            picking(lang),
            asking(lang),
            fixing(lang),
            verifying(lang),
            done(lang),
        ] {
            for (w, h) in [
                (0, 0),
                (1, 1),
                (10, 3),
                (20, 5),
                (40, 10),
                (3, 30),
                (200, 2),
            ] {
                s.set_viewport(ratatui::layout::Rect::new(0, 0, w, h));
                for key in [KeyCode::PageDown, KeyCode::Down, KeyCode::PageUp] {
                    handle_key(&mut s, press(key));
                }
                draw(&mut s, w, h);
            }
        }
    }
}

/// Position of the first cell of `needle` on screen.
fn find(buf: &ratatui::buffer::Buffer, needle: &str) -> Option<(u16, u16)> {
    for y in 0..buf.area.height {
        let line: String = (0..buf.area.width)
            .map(|x| buf.cell((x, y)).map_or(" ", |c| c.symbol()).to_string())
            .collect();
        if let Some(i) = line.find(needle) {
            let x = line[..i].chars().count();
            return Some((u16::try_from(x).ok()?, y));
        }
    }
    None
}
