//! Profiles are data: which channels a site has, their link settings, timeouts, thresholds.
//!
//! Built-in profiles live in `profiles/*.toml` (compiled in); a file of the same name in the
//! user's config directory (`<config>/posdiag/profiles/NAME.toml`) overrides one, and
//! `--profile path/to/file.toml` loads any file. Unknown keys are errors with line and column.

mod load;
mod nexo;
mod printer;
mod schema;

pub use load::{
    all_names, builtin_names, load_profile, parse_profile, user_profile_dir, InvalidSetting,
    ProfileError, ProfileSource,
};
pub use nexo::NexoSettings;
pub use printer::{PrinterProtocol, PrinterSettings, PrinterTimeouts};
pub use schema::{
    CheckSettings, HiddenKey, HostSettings, Profile, SimulatedLink, SimulatorSettings,
    TerminalProtocol, TerminalSettings, ZvtTimers,
};
