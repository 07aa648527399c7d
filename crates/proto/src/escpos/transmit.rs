//! GS r n replies (transmit status, docs/protocols/escpos.md §6): one byte, pattern `0xx0xxxx`.
//!
//! GS r waits behind queued print data and is not answered once paper end has taken the printer
//! offline, so it cannot diagnose an out-of-paper printer; DLE EOT can.

use super::bits::{field, status_byte, BitField, BitState, ReplyLayout, GS_R_REPLY};
use super::query::{GsRQuery, Query};

/// Bit masks of the GS r replies.
pub mod masks {
    /// GS r 1.
    pub const NEAR_END: u8 = 0x03;
    pub const PAPER_END: u8 = 0x0C;
    /// GS r 2.
    pub const DRAWER_PIN3_HIGH: u8 = 0x01;
}

#[rustfmt::skip]
static PAPER_FIELDS: [BitField; 2] = [
    field!("near_end", masks::NEAR_END, ("纸将尽", "paper near end"), set("纸将尽", "near end"), clear("纸量充足", "adequate")),
    field!("paper_end", masks::PAPER_END, ("纸尽", "paper end"), set("缺纸", "no paper"), clear("有纸", "paper present")),
];

#[rustfmt::skip]
static DRAWER_FIELDS: [BitField; 1] = [field!("drawer_pin3", masks::DRAWER_PIN3_HIGH, ("钱箱接口第 3 脚", "drawer connector pin 3"), set("高电平", "HIGH"), clear("低电平", "LOW"))];

pub static PAPER_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_R_REPLY,
    fields: &PAPER_FIELDS,
};
pub static DRAWER_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_R_REPLY,
    fields: &DRAWER_FIELDS,
};
/// TM-J ink status: only the fixed bits are documented in the reference.
pub static INK_LAYOUT: ReplyLayout = ReplyLayout {
    fixed: GS_R_REPLY,
    fields: &[],
};

status_byte!(
    /// GS r 1: paper sensor. Some clones answer `00` (paper OK) / `0F` (out).
    PaperStatus, PAPER_LAYOUT, Query::TransmitStatus(GsRQuery::Paper)
);

impl PaperStatus {
    pub fn near_end(self) -> BitState {
        self.state(masks::NEAR_END)
    }
    pub fn paper_end(self) -> BitState {
        self.state(masks::PAPER_END)
    }
}

status_byte!(
    /// GS r 2: drawer kick-out connector.
    DrawerStatus, DRAWER_LAYOUT, Query::TransmitStatus(GsRQuery::Drawer)
);

impl DrawerStatus {
    pub fn drawer_pin3_high(self) -> bool {
        self.bit(masks::DRAWER_PIN3_HIGH)
    }
}

status_byte!(
    /// GS r 4: ink status of TM-J models; the bits are model-specific, the raw byte is kept.
    InkStatus, INK_LAYOUT, Query::TransmitStatus(GsRQuery::Ink)
);

/// The reply layout of a GS r query.
pub fn gs_r_layout(query: GsRQuery) -> &'static ReplyLayout {
    match query {
        GsRQuery::Paper => &PAPER_LAYOUT,
        GsRQuery::Drawer => &DRAWER_LAYOUT,
        GsRQuery::Ink => &INK_LAYOUT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_near_end_and_clone_out() {
        assert_eq!(PaperStatus::decode(0x03).unwrap().near_end(), BitState::Set);
        let out = PaperStatus::decode(0x0F).unwrap();
        assert_eq!(out.paper_end(), BitState::Set);
        assert!(PaperStatus::decode(0x12).is_err());
    }
}
