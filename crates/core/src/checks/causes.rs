//! The causes checks name for what a lower layer reports in its own terms: the receipt
//! printer's problems, which the ESC/POS codec names (it knows no knowledge base). Every other
//! cause a check names is written where it is named, as `cause!("…")`, and checked against
//! `kb/` when the crate is built (`crate::catalogue::causes`); titles come from `kb/`.

use crate::catalogue::CauseId;
use crate::cause;
use crate::proto::escpos::Problem;

/// The cause of a printer problem; the same id the codec shows (`decode escpos`).
pub fn printer_problem(p: Problem) -> CauseId {
    match p {
        Problem::PaperOut => cause!("printer.paper_out"),
        Problem::PaperNearEnd => cause!("printer.paper_near_end"),
        Problem::CoverOpen => cause!("printer.cover_open"),
        Problem::PaperJam => cause!("printer.paper_jam"),
        Problem::CutterError => cause!("printer.cutter_error"),
        Problem::Overheat => cause!("printer.overheat"),
        Problem::UnrecoverableError => cause!("printer.unrecoverable_error"),
        Problem::Offline => cause!("printer.offline"),
        Problem::NoReply => cause!("printer.no_reply"),
        Problem::Garbage => cause!("link.garbled"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codec_and_the_catalogue_name_each_printer_problem_alike() {
        for p in Problem::ALL {
            assert_eq!(printer_problem(p).as_str(), p.cause_id(), "{p:?}");
        }
    }
}
