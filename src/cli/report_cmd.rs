//! `posdiag report CAPTURE [-o DIR]`: the bug-report bundle.

use std::path::PathBuf;
use std::process::ExitCode;

use super::args::{GlobalArgs, ReportArgs};
use super::exit::{self, CliError};
use crate::capture::read_capture;
use crate::i18n::Lang;
use crate::report::{write_bundle, BundleError};

pub fn run(global: &GlobalArgs, args: &ReportArgs, lang: Lang) -> Result<ExitCode, CliError> {
    let dir = args.out.clone().unwrap_or_else(|| {
        let stem = args
            .capture
            .file_stem()
            .map_or_else(|| "posdiag".into(), |s| s.to_string_lossy().into_owned());
        args.capture.with_file_name(format!("{stem}-report"))
    });
    // The log named on the command line, else the one the capture recorded.
    let log: Option<PathBuf> = global.log_file.clone().or_else(|| {
        read_capture(&args.capture)
            .ok()
            .and_then(|c| c.header.log_file.map(PathBuf::from))
    });
    let bundle = write_bundle(&args.capture, &dir, log.as_deref(), lang).map_err(|e| match e {
        BundleError::Capture(_) => CliError::usage(e),
        other => CliError::failure(other),
    })?;
    let written = match lang {
        Lang::Zh => "报告已写入",
        Lang::En => "report written to",
    };
    let mut text = format!("{written} {}\n", bundle.dir.display());
    for file in &bundle.files {
        text.push_str(&format!("  {}\n", file.display()));
    }
    super::stdout::print(&text)?;
    if !bundle.complete {
        match lang {
            Lang::Zh => eprintln!("警告：抓包不完整（posdiag 未能写完它）；报告只含已写入的部分"),
            Lang::En => eprintln!("warning: the capture is incomplete (posdiag could not finish writing it); the report holds what was written"),
        }
    }
    if let Some((line, reason)) = &bundle.damage {
        match lang {
            Lang::Zh => eprintln!("警告：抓包文件第 {line} 行损坏，之后的内容未包含：{reason}"),
            Lang::En => eprintln!("warning: the capture is damaged at line {line}; nothing after it is in the report: {reason}"),
        }
    }
    Ok(exit::OK)
}
