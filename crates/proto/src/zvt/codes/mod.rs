//! The ZVT code tables: result codes (BMP 27, Abort, `84 xx`), intermediate status codes
//! (`04 FF`) and terminal status codes (Status-Enquiry completion), each in zh and en with the
//! diagnostic area it points to. Unknown codes decode to an "unknown code 0xNN" entry, never
//! an error.

pub mod intermediate;
pub mod result;
pub mod terminal;

pub use intermediate::{intermediate_status, IntermediateStatusInfo};
pub use result::{result_code, ResultCodeInfo};
pub use terminal::TerminalStatus;

use crate::i18n::Text;

/// "unknown code 0xNN" in both languages.
pub(crate) fn unknown_code(code: u8) -> Text {
    Text::new(
        format!("未知代码 0x{code:02X}"),
        format!("unknown code 0x{code:02X}"),
    )
}
