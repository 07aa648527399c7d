//! Snapshots of the Connect tab with a network profile (what Enter will ask) and of the address
//! prompt over it, in both languages at 80x24 and 120x40.

use crossterm::event::KeyCode;

use super::fixtures::*;
use super::input::handle_key;
use super::model::{ConnectAsk, ConnectEntry, ConnectKind};
use super::snapshot_tests::snap;
use crate::i18n::{Lang, Text};

fn with_profiles(lang: Lang) -> super::app::AppState {
    let mut s = state(lang);
    let mut list = entries();
    list.push(ConnectEntry {
        kind: ConnectKind::Profile,
        title: Text::same("zvt-tcp"),
        detail: Text::fixed(
            "网络 ZVT 终端（TCP 20007）",
            "ZVT terminal over TCP (port 20007)",
        ),
        warnings: Vec::new(),
        ask: Some(ConnectAsk::Tcp {
            default: "127.0.0.1:20007".into(),
        }),
    });
    s.set_connect_entries(list);
    for _ in 0..4 {
        handle_key(&mut s, ch('j'));
    }
    s
}

#[test]
fn a_network_profile_says_enter_asks_for_its_address() {
    snap("connect_tcp_profile_en", with_profiles(Lang::En));
    snap("connect_tcp_profile_zh", with_profiles(Lang::Zh));
}

#[test]
fn the_address_prompt() {
    for (lang, name) in [
        (Lang::En, "address_prompt_en"),
        (Lang::Zh, "address_prompt_zh"),
    ] {
        let mut s = with_profiles(lang);
        handle_key(&mut s, press(KeyCode::Enter));
        for _ in 0.."20007".len() {
            handle_key(&mut s, press(KeyCode::Backspace));
        }
        for c in "9999".chars() {
            handle_key(&mut s, ch(c));
        }
        snap(name, s);
    }
}
