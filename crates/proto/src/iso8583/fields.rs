//! The China UnionPay POS field table: number, bilingual name and wire spec of each field
//! (docs/protocols/iso8583-cup.md §3, BCD-packed CUP POS variant).
//!
//! Fields 46, 56, 59, 62 and 63 differ between acquirers; their entries here are the common
//! defaults and a profile replaces them through [`super::dialect::FieldOverride`].

use super::dialect::{Encoding, FieldSpec, LengthKind, Pad};
use crate::i18n::Text;

/// One row of the field table.
#[derive(Debug, Clone)]
pub struct FieldDef {
    pub number: u8,
    pub name: Text,
    pub spec: FieldSpec,
}

const fn spec(encoding: Encoding, length: LengthKind, max: u16, pad: Pad) -> FieldSpec {
    FieldSpec {
        encoding,
        length,
        max,
        pad,
    }
}

const fn def(number: u8, zh: &'static str, en: &'static str, spec: FieldSpec) -> FieldDef {
    FieldDef {
        number,
        name: Text::fixed(zh, en),
        spec,
    }
}

use Encoding::{Ascii, Bcd, Binary, Gbk, Track};
use LengthKind::{Fixed, Lllvar, Llvar};
use Pad::{Left, Right};

/// The CUP POS fields, ascending.
pub static CUP_FIELDS: &[FieldDef] = &CUP_TABLE;

#[rustfmt::skip]
const CUP_TABLE: [FieldDef; 37] = [
    def(2, "主账号", "primary account number", spec(Bcd, Llvar, 19, Right)),
    def(3, "交易处理码", "processing code", spec(Bcd, Fixed, 6, Right)),
    def(4, "交易金额", "amount", spec(Bcd, Fixed, 12, Right)),
    def(11, "受卡方系统跟踪号", "system trace audit number (STAN)", spec(Bcd, Fixed, 6, Right)),
    def(12, "受卡方所在地时间", "local time (hhmmss)", spec(Bcd, Fixed, 6, Right)),
    def(13, "受卡方所在地日期", "local date (MMDD)", spec(Bcd, Fixed, 4, Right)),
    def(14, "卡有效期", "expiry date (YYMM)", spec(Bcd, Fixed, 4, Right)),
    def(15, "清算日期", "settlement date (MMDD)", spec(Bcd, Fixed, 4, Right)),
    def(22, "服务点输入方式码", "POS entry mode", spec(Bcd, Fixed, 3, Right)),
    def(23, "卡序列号", "card sequence number", spec(Bcd, Fixed, 3, Left)),
    def(25, "服务点条件码", "POS condition code", spec(Bcd, Fixed, 2, Right)),
    def(26, "服务点PIN获取码", "PIN capture code", spec(Bcd, Fixed, 2, Right)),
    def(32, "受理方标识码", "acquiring institution ID", spec(Bcd, Llvar, 11, Right)),
    def(35, "二磁道数据", "track 2 data", spec(Track, Llvar, 37, Right)),
    def(36, "三磁道数据", "track 3 data", spec(Track, Lllvar, 104, Right)),
    def(37, "检索参考号", "retrieval reference number (RRN)", spec(Ascii, Fixed, 12, Right)),
    def(38, "授权标识应答码", "authorisation code", spec(Ascii, Fixed, 6, Right)),
    def(39, "应答码", "response code", spec(Ascii, Fixed, 2, Right)),
    def(41, "受卡机终端标识码", "terminal ID (TID)", spec(Ascii, Fixed, 8, Right)),
    def(42, "受卡方标识码", "merchant ID (MID)", spec(Ascii, Fixed, 15, Right)),
    def(43, "商户名称", "merchant name", spec(Gbk, Fixed, 40, Right)),
    def(44, "附加响应数据", "additional response data", spec(Ascii, Llvar, 25, Right)),
    def(45, "一磁道数据", "track 1 data", spec(Ascii, Llvar, 76, Right)),
    def(46, "自定义域 (终端信息)", "private (terminal info)", spec(Ascii, Lllvar, 999, Right)),
    def(48, "附加数据-私有", "additional data, private", spec(Bcd, Lllvar, 322, Right)),
    def(49, "交易货币代码", "currency code", spec(Ascii, Fixed, 3, Right)),
    def(52, "个人标识码数据 (PIN)", "PIN block", spec(Binary, Fixed, 8, Right)),
    def(53, "安全控制信息", "security control information", spec(Bcd, Fixed, 16, Right)),
    def(54, "附加金额", "additional amounts", spec(Ascii, Lllvar, 20, Right)),
    def(55, "IC卡数据域", "ICC data", spec(Binary, Lllvar, 255, Right)),
    def(56, "自定义域 (结果信息)", "private (result text)", spec(Gbk, Lllvar, 999, Right)),
    def(59, "自定义域", "private (acquirer data)", spec(Ascii, Lllvar, 600, Right)),
    def(60, "自定义域", "private (transaction info)", spec(Bcd, Lllvar, 17, Right)),
    def(61, "原始信息域", "original transaction data", spec(Bcd, Lllvar, 29, Right)),
    def(62, "自定义域", "private (terminal info / keys)", spec(Binary, Lllvar, 512, Right)),
    def(63, "自定义域", "private (operator / card org)", spec(Gbk, Lllvar, 163, Right)),
    def(64, "报文鉴别码 (MAC)", "message authentication code (MAC)", spec(Binary, Fixed, 8, Right)),
];

/// Field number → its row in the table (`NONE` for fields the table lacks), made when
/// posdiag is compiled: decode asks for every field of every frame (issue 16's speed target).
static CUP_INDEX: [u8; 256] = cup_index(CUP_FIELDS);
const NONE: u8 = u8::MAX;

const fn cup_index(table: &[FieldDef]) -> [u8; 256] {
    let mut index = [NONE; 256];
    let mut row = 0;
    while row < table.len() {
        // A const fn cannot use iterators; the loop bounds keep both indexes in range
        // (`number` is a u8, the table has fewer than 255 rows).
        #[allow(clippy::indexing_slicing)]
        {
            index[table[row].number as usize] = row as u8;
        }
        row += 1;
    }
    index
}

/// The CUP table entry for `number`.
pub fn cup_field(number: u8) -> Option<&'static FieldDef> {
    match CUP_INDEX.get(usize::from(number)) {
        Some(&NONE) | None => None,
        Some(&row) => CUP_FIELDS.get(usize::from(row)),
    }
}

/// The table name of `number`, or "域 N / field N" for fields outside the table.
pub fn field_name(number: u8) -> Text {
    match cup_field(number) {
        Some(f) => f.name.clone(),
        None => Text::new(format!("域 {number}"), format!("field {number}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_ascending_and_bilingual() {
        for pair in CUP_FIELDS.windows(2) {
            if let [a, b] = pair {
                assert!(a.number < b.number, "{} before {}", a.number, b.number);
            }
        }
        for f in CUP_FIELDS {
            assert!(!f.name.is_incomplete(), "field {}", f.number);
            assert!(f.spec.max > 0);
            assert!(usize::from(f.spec.max) <= f.spec.length.prefix_limit());
        }
    }

    #[test]
    fn every_row_is_found_by_its_number_and_no_other() {
        for f in CUP_FIELDS {
            assert_eq!(cup_field(f.number).map(|d| d.number), Some(f.number));
        }
        for n in 0..=u8::MAX {
            if !CUP_FIELDS.iter().any(|f| f.number == n) {
                assert!(cup_field(n).is_none(), "field {n}");
            }
        }
    }

    #[test]
    fn entry_mode_is_left_aligned_and_card_sequence_right_aligned() {
        assert_eq!(cup_field(22).map(|f| f.spec.pad), Some(Pad::Right));
        assert_eq!(cup_field(23).map(|f| f.spec.pad), Some(Pad::Left));
        assert_eq!(field_name(99).en, "field 99");
    }
}
