//! The Connect tab's address prompt: a profile's device is somewhere different in every shop,
//! so choosing a TCP profile (or a serial profile that names no port) asks where it is first.

use super::AppState;
use crate::tui::model::{ConnectAsk, UiRequest};

/// Longest address or port name accepted; longer input is ignored.
const MAX_LEN: usize = 200;

/// The prompt open over the Connect tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressPrompt {
    /// The Connect entry it opens.
    pub index: usize,
    pub ask: ConnectAsk,
    /// What the user typed so far (the profile's address to start with).
    pub text: String,
}

impl AddressPrompt {
    pub fn new(index: usize, ask: ConnectAsk) -> Self {
        let text = ask.default_text().to_owned();
        AddressPrompt { index, ask, text }
    }

    pub fn type_char(&mut self, c: char) {
        // Addresses and port names never hold spaces or control characters.
        if !c.is_whitespace() && !c.is_control() && self.text.chars().count() < MAX_LEN {
            self.text.push(c);
        }
    }

    pub fn backspace(&mut self) {
        self.text.pop();
    }

    /// The request, or `None` while nothing is typed.
    pub fn request(&self) -> Option<UiRequest> {
        let address = self.text.trim();
        (!address.is_empty()).then(|| UiRequest::ConnectTo {
            index: self.index,
            address: address.to_owned(),
        })
    }
}

impl AppState {
    /// The address prompt, while it is open.
    pub fn address_prompt(&self) -> Option<&AddressPrompt> {
        self.address.as_ref()
    }
}
