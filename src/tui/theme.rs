//! Colours and emphasis. Colour only ever doubles a word (CONNECTED, FAIL): with `NO_COLOR`
//! the words, bold and reverse video still carry the meaning.

use ratatui::style::{Color, Modifier, Style};

use crate::checks::CheckStatus;
use crate::event::LinkState;
use crate::guide::{CauseState, Verdict};
use crate::session::SafetyClass;

/// The styles of one session; `color: false` honours `NO_COLOR`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

/// The colour that goes with a link state's word.
pub fn link_color(state: &LinkState) -> Color {
    match state {
        LinkState::Connected { .. } => Color::Green,
        LinkState::NoReply { .. } => Color::Yellow,
        LinkState::Connecting { .. } => Color::Cyan,
        LinkState::Lost { .. } | LinkState::Failed { .. } => Color::Red,
        LinkState::Disconnected => Color::Gray,
    }
}

/// The colour that goes with a check status's word.
pub fn status_color(status: CheckStatus) -> Color {
    match status {
        CheckStatus::Pass => Color::Green,
        CheckStatus::Warn => Color::Yellow,
        CheckStatus::Fail | CheckStatus::Error => Color::Red,
        CheckStatus::Skip => Color::Gray,
    }
}

/// The colour that goes with a cause's rank in the guide: the fault found is red.
pub fn cause_color(state: CauseState) -> Color {
    match state {
        CauseState::Confirmed => Color::Red,
        CauseState::Likely => Color::Yellow,
        CauseState::Unknown => Color::Cyan,
        CauseState::RuledOut => Color::Gray,
    }
}

/// The colour that goes with a transaction verdict's word (`None`: still running).
pub fn verdict_color(verdict: Option<Verdict>) -> Color {
    match verdict {
        Some(Verdict::Approved) => Color::Green,
        Some(Verdict::Declined) | Some(Verdict::Unknown) => Color::Red,
        Some(Verdict::ApprovedThenReversed) => Color::Magenta,
        Some(Verdict::TimeoutReversalPending) => Color::Yellow,
        Some(Verdict::Reversed) | None => Color::Cyan,
    }
}

impl Theme {
    pub fn new(color: bool) -> Self {
        Theme { color }
    }

    fn fg(self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The link word in the status bar: black on the state's colour.
    pub fn link_badge(self, state: &LinkState) -> Style {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        if self.color {
            bold.fg(Color::Black).bg(link_color(state))
        } else {
            bold.add_modifier(Modifier::REVERSED)
        }
    }

    /// A link word in running text (other channels).
    pub fn link_word(self, state: &LinkState) -> Style {
        self.fg(link_color(state)).add_modifier(Modifier::BOLD)
    }

    pub fn status(self, status: CheckStatus) -> Style {
        self.fg(status_color(status)).add_modifier(Modifier::BOLD)
    }

    /// A cause's rank word in the guide.
    pub fn cause(self, state: CauseState) -> Style {
        let style = self.fg(cause_color(state));
        if state == CauseState::RuledOut {
            style
        } else {
            style.add_modifier(Modifier::BOLD)
        }
    }

    /// A transaction verdict's word and banner.
    pub fn verdict(self, verdict: Option<Verdict>) -> Style {
        self.fg(verdict_color(verdict)).add_modifier(Modifier::BOLD)
    }

    pub fn running(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new().add_modifier(Modifier::DIM)
        }
    }

    pub fn error(self) -> Style {
        self.fg(Color::Red)
    }

    pub fn warning(self) -> Style {
        self.fg(Color::Yellow)
    }

    pub fn frozen(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// A key name in hints and the help.
    pub fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn active_tab(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn border(self) -> Style {
        self.dim()
    }

    pub fn popup_border(self) -> Style {
        self.fg(Color::Cyan)
    }

    /// A terminal command's class: green read-only, yellow output or online, bold yellow
    /// state-changing, bold red financial.
    pub fn safety(self, class: SafetyClass) -> Style {
        match class {
            SafetyClass::ReadOnly => self.fg(Color::Green),
            SafetyClass::PhysicalOutput | SafetyClass::GoesOnline => self.fg(Color::Yellow),
            SafetyClass::StateChanging => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
            SafetyClass::Financial => self.fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }
}
