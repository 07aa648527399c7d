//! `posdiag sim --terminal nexo`: the simulated Adyen terminal (nexo over HTTPS, encrypted with
//! the shared key) on loopback, with its test CA written out for the cash register to trust.

use std::io::Write as _;
use std::process::ExitCode;

use super::args::{ListFormat, SimArgs};
use super::exit::{self, CliError};
use crate::i18n::Lang;
use crate::proto::nexo::SecurityKey;
use crate::sim::{Fault, NexoSimConfig};

/// The environment variable that holds the shared key's passphrase (never a flag: flags end up
/// in shell history and process lists).
pub const PASSPHRASE_ENV: &str = "POSDIAG_NEXO_PASSPHRASE";

/// The shared key from `--nexo-key-id`, `--nexo-key-version` and the passphrase variable.
pub fn security_key(id: Option<&str>, version: Option<u32>) -> Result<SecurityKey, CliError> {
    let (Some(id), Some(version)) = (id, version) else {
        return Err(CliError::usage(anyhow::anyhow!(
            "nexo needs the shared key: --nexo-key-id ID --nexo-key-version N, and the passphrase in {PASSPHRASE_ENV}"
        )));
    };
    let passphrase = std::env::var(PASSPHRASE_ENV).unwrap_or_default();
    if passphrase.is_empty() {
        return Err(CliError::usage(anyhow::anyhow!(
            "set the shared key's passphrase in the environment variable {PASSPHRASE_ENV}"
        )));
    }
    Ok(SecurityKey::new(passphrase, id, version))
}

pub fn run(args: &SimArgs, faults: Vec<Fault>, lang: Lang) -> Result<ExitCode, CliError> {
    if args.terminal_pty
        || args.terminal_host.is_some()
        || args.printer_tcp.is_some()
        || args.printer_pty
        || args.host_tcp.is_some()
    {
        return Err(CliError::usage(anyhow::anyhow!(
            "--terminal nexo serves only the terminal (--terminal-tcp ADDR); start the printer or host in another `posdiag sim`"
        )));
    }
    let key = security_key(args.nexo_key_id.as_deref(), args.nexo_key_version)?;
    let config = NexoSimConfig {
        addr: args
            .terminal_tcp
            .clone()
            .unwrap_or_else(|| "127.0.0.1:8443".to_owned()),
        key,
        faults,
        host_wait: None,
    };
    super::runtime()?.block_on(async {
        let handle = crate::sim::start_nexo(config)
            .await
            .map_err(CliError::usage)?;
        match args.format {
            ListFormat::Text => {
                println!("terminal nexo {}", handle.url);
                println!("terminal ca {}", handle.ca_path.display());
            }
            ListFormat::Json => {
                let json = serde_json::json!({
                    "terminal_tcp": handle.addr.to_string(),
                    "terminal_url": handle.url,
                    "terminal_ca": handle.ca_path.display().to_string(),
                    "terminal_cn": handle.common_name,
                });
                println!("{json}");
            }
        }
        let _ = std::io::stdout().flush();
        super::sim_cmd::wait_for_ctrl_c(lang).await;
        drop(handle);
        Ok(exit::OK)
    })
}
