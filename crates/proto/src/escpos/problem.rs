//! Printer failures and their fixes (docs/protocols/escpos.md §11), bilingual, with the cause ids
//! the simulator faults and the knowledge base share.

use serde::{Serialize, Serializer};

use crate::i18n::Text;

/// How bad a problem is for the printer check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Printing continues (paper near end).
    Warning,
    /// The printer cannot print, or cannot be read.
    Failure,
}

/// One failure from the field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Problem {
    PaperOut,
    PaperNearEnd,
    CoverOpen,
    /// Recoverable error other than the cutter (EOT3 bit 2).
    PaperJam,
    CutterError,
    /// Auto-recoverable error with the cover closed: the head is too hot.
    Overheat,
    /// Often low voltage or a bad power supply.
    UnrecoverableError,
    /// Offline with no cover, paper or error cause reported.
    Offline,
    /// No reply within the timeout (set by the client, not derived from status bits).
    NoReply,
    /// Bytes that fail every fixed-bit pattern (set by the client).
    Garbage,
}

impl Problem {
    pub const ALL: [Problem; 10] = [
        Problem::PaperOut,
        Problem::PaperNearEnd,
        Problem::CoverOpen,
        Problem::PaperJam,
        Problem::CutterError,
        Problem::Overheat,
        Problem::UnrecoverableError,
        Problem::Offline,
        Problem::NoReply,
        Problem::Garbage,
    ];

    /// Knowledge-base cause id (the simulator fault of the same name where one exists).
    pub fn cause_id(self) -> &'static str {
        match self {
            Problem::PaperOut => "printer.paper_out",
            Problem::PaperNearEnd => "printer.paper_near_end",
            Problem::CoverOpen => "printer.cover_open",
            Problem::PaperJam => "printer.paper_jam",
            Problem::CutterError => "printer.cutter_error",
            Problem::Overheat => "printer.overheat",
            Problem::UnrecoverableError => "printer.unrecoverable_error",
            Problem::Offline => "printer.offline",
            Problem::NoReply => "printer.no_reply",
            Problem::Garbage => "link.garbled",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Problem::PaperNearEnd => Severity::Warning,
            _ => Severity::Failure,
        }
    }

    pub fn name(self) -> Text {
        match self {
            Problem::PaperOut => Text::fixed("缺纸", "paper out"),
            Problem::PaperNearEnd => Text::fixed("纸将尽", "paper near end"),
            Problem::CoverOpen => Text::fixed("打印机盖打开", "cover open"),
            Problem::PaperJam => Text::fixed("卡纸（可恢复错误）", "paper jam (recoverable error)"),
            Problem::CutterError => Text::fixed("切刀错误", "cutter error"),
            Problem::Overheat => Text::fixed(
                "打印头过热（可自动恢复）",
                "head overheat (auto-recoverable)",
            ),
            Problem::UnrecoverableError => Text::fixed("不可恢复错误", "unrecoverable error"),
            Problem::Offline => Text::fixed("脱机（原因未报告）", "offline (no cause reported)"),
            Problem::NoReply => Text::fixed("打印机无应答", "no reply from the printer"),
            Problem::Garbage => Text::fixed(
                "应答无法识别（固定位不符）",
                "unreadable replies (fixed bits do not match)",
            ),
        }
    }

    /// What to do, from the field table.
    pub fn fix(self) -> Text {
        match self {
            Problem::PaperOut => Text::fixed(
                "装入宽度正确的纸卷，热敏面朝向打印头，合上纸仓盖；打印机会自动恢复联机（较新机型在此期间报告“等待恢复联机”）。",
                "Load a roll of the right width, thermal side toward the head, and close the cover; the printer comes back online by itself (newer models report \"waiting for online recovery\" meanwhile).",
            ),
            Problem::PaperNearEnd => Text::fixed(
                "尽快更换纸卷。纸卷未靠紧传感器一侧时会误报；许多型号的纸将尽传感器为选配或可调。若设置了 ESC c 4，纸将尽也会停止打印。",
                "Replace the roll soon. False alarms happen when the roll is not pushed against the sensor side; the near-end sensor is optional or adjustable on many models. With ESC c 4 set, near end also stops printing.",
            ),
            Problem::CoverOpen => Text::fixed(
                "合上打印机盖。若盖子扣不上，检查切刀刀片。",
                "Close the cover. If it will not latch, check the cutter blade.",
            ),
            Problem::PaperJam => Text::fixed(
                "清除卡纸，合上盖子，然后发送 DLE ENQ 1（从出错行重新打印）或 DLE ENQ 2（清空缓冲区），或重启打印机。",
                "Clear the paper, close the cover, then send DLE ENQ 1 (reprint from the error line) or DLE ENQ 2 (discard the buffers), or power-cycle.",
            ),
            Problem::CutterError => Text::fixed(
                "① 重启打印机让刀片复位；② 打开切刀盖，转动旋钮/齿轮使刀片退回（盖子打不开时用螺丝刀转切刀齿轮）；③ 之后再取出纸张；④ 清洁刀片原位传感器；⑤ 更换切刀组件。卡纸排除后可用 DLE ENQ 1/2 恢复，电路故障（如断线）则不能。",
                "(1) Power-cycle so the blade returns home; (2) open the cutter cover and turn the knob/gear to return the blade (a screwdriver on the cutter gear if the cover will not open); (3) only then pull out the paper; (4) clean the home-position sensor; (5) replace the cutter unit. DLE ENQ 1/2 recovers once a jam is cleared, not after a circuit fault (e.g. broken wire).",
            ),
            Problem::Overheat => Text::fixed(
                "等待打印头冷却，打印会自动继续；DLE ENQ 对此无效。避免大面积黑色图形、超长小票和过热的安装环境。",
                "Wait: printing resumes when the head cools; DLE ENQ does not apply. Avoid heavy black graphics, very long receipts and hot enclosures.",
            ),
            Problem::UnrecoverableError => Text::fixed(
                "关闭打印机电源。检查电源适配器（Epson TM：24 V 直流）——电压低或电源不良是常见原因，切纸或开钱箱时复位说明电源偏弱。重启可清除此状态，反复出现则需维修。",
                "Power the printer off. Check the power supply (Epson TM: 24 V DC): low voltage or a bad PSU is a common cause; resets during a cut or drawer kick suggest a weak PSU. A power cycle clears the state; if it returns, the printer needs repair.",
            ),
            Problem::Offline => Text::fixed(
                "打印机脱机但未报告盖子、纸张或错误原因：查看面板指示灯，重启打印机；打印自检页（开机时按住 FEED）确认状态。",
                "The printer is offline without a cover, paper or error cause: check the panel LEDs and power-cycle; print the self-test (hold FEED at power-on) to confirm.",
            ),
            Problem::NoReply => Text::fixed(
                "检查线缆和端口；串口需核对波特率与握手（Epson 默认 9600 8N1 DTR/DSR）。USB 打印类设备和 Windows 打印队列无法回读状态；未就绪的打印机在 USB/网口上可能不应答。",
                "Check the cable and port; on serial, match baud rate and handshake (Epson default 9600 8N1 DTR/DSR). USB printer-class devices and the Windows spooler cannot read status back; a printer that is not ready may stay silent on USB/Ethernet.",
            ),
            Problem::Garbage => Text::fixed(
                "打印自检页查看接口设置，使波特率、数据位、校验、停止位和握手一致。3.3 V/5 V TTL 串口直连 RS-232 打印机无法工作且可能损坏，请用 MAX3232 或 USB-RS-232 转换器。Star 打印机的 StarPRNT 模式是另一种指令集。",
                "Print the self-test to read the interface settings and match baud, data bits, parity, stop bits and handshake. A 3.3 V/5 V TTL UART wired to an RS-232 printer does not work and can be damaged: use a MAX3232 or a USB-RS-232 adapter. A Star printer in StarPRNT mode speaks another dialect.",
            ),
        }
    }
}

/// Serialised as `{"id": cause id, "severity", "name", "fix"}`.
impl Serialize for Problem {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Problem", 4)?;
        st.serialize_field("id", self.cause_id())?;
        st.serialize_field("severity", &self.severity())?;
        st.serialize_field("name", &self.name())?;
        st.serialize_field("fix", &self.fix())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_is_bilingual() {
        for p in Problem::ALL {
            assert!(!p.name().is_incomplete(), "{p:?}");
            assert!(!p.fix().is_incomplete(), "{p:?}");
        }
    }
}
