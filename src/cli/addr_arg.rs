//! Checks a `HOST[:PORT]` argument before anything connects: a port past 65535 or an empty
//! address is a usage error (exit 2) naming the argument, not a failed connection (exit 3).

use std::net::{IpAddr, SocketAddr};

/// Clap value parser for `--tcp HOST[:PORT]` (the default port is added later, per channel).
pub fn parse_tcp_target(text: &str) -> Result<String, String> {
    let addr = text.trim();
    if addr.is_empty() {
        return Err("the address is empty: give HOST:PORT, e.g. 192.168.1.20:20007".to_owned());
    }
    if addr.parse::<SocketAddr>().is_ok() || addr.parse::<IpAddr>().is_ok() {
        return check_port_not_zero(addr);
    }
    if addr.chars().any(char::is_whitespace) {
        return Err(format!(
            "'{addr}' has a space in it: give HOST:PORT, e.g. 192.168.1.20:20007"
        ));
    }
    let host = match addr.rsplit_once(':') {
        Some((host, port)) => {
            if host.contains(':') || host.starts_with('[') {
                return Err(format!(
                    "'{addr}' is not an address: write an IPv6 address in brackets, e.g. [fe80::1]:20007"
                ));
            }
            parse_port(port)?;
            host
        }
        None => addr,
    };
    if host.is_empty() {
        return Err(format!(
            "'{addr}' has no host: give HOST:PORT, e.g. 192.168.1.20:20007"
        ));
    }
    if let Some(c) = host
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '.' | '_')))
    {
        return Err(format!(
            "'{host}' is not a host name ('{c}' cannot be in one): give HOST:PORT, e.g. 192.168.1.20:20007"
        ));
    }
    Ok(addr.to_owned())
}

/// Clap value parser for `--tcp HOST:PORT` where no default port applies (`identify`).
pub fn parse_host_and_port(text: &str) -> Result<String, String> {
    let addr = parse_tcp_target(text)?;
    let has_port = addr.parse::<SocketAddr>().is_ok()
        || (addr.parse::<IpAddr>().is_err() && addr.contains(':'));
    if has_port {
        Ok(addr)
    } else {
        Err(format!(
            "'{addr}' has no port: give HOST:PORT, e.g. 192.168.1.20:20007"
        ))
    }
}

fn parse_port(port: &str) -> Result<u16, String> {
    match port.parse::<u32>() {
        Ok(p @ 1..=65535) => Ok(p as u16),
        _ => Err(format!(
            "'{port}' is not a TCP port: give a number from 1 to 65535"
        )),
    }
}

fn check_port_not_zero(addr: &str) -> Result<String, String> {
    match addr.parse::<SocketAddr>() {
        Ok(a) if a.port() == 0 => Err(format!(
            "'{addr}': port 0 cannot be connected to; give a number from 1 to 65535"
        )),
        _ => Ok(addr.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_tcp_target;

    #[test]
    fn good_addresses_pass_unchanged() {
        for a in [
            "127.0.0.1:20007",
            "10.0.0.5",
            "pos.local",
            "pos-7.shop.example:9100",
            "[::1]:20007",
            "::1",
            " 10.0.0.5:1 ",
        ] {
            assert_eq!(parse_tcp_target(a), Ok(a.trim().to_owned()), "{a}");
        }
    }

    #[test]
    fn bad_addresses_say_what_is_wrong() {
        for (a, says) in [
            ("127.0.0.1:99999", "'99999' is not a TCP port"),
            ("127.0.0.1:0", "port 0"),
            ("127.0.0.1:", "'' is not a TCP port"),
            ("127.0.0.1:http", "'http' is not a TCP port"),
            ("", "empty"),
            ("   ", "empty"),
            (":20007", "no host"),
            ("fe80::1:99999", "brackets"),
            ("pos local:1", "space"),
            ("pos/1:20007", "not a host name"),
        ] {
            let e = parse_tcp_target(a).expect_err(a);
            assert!(e.contains(says), "{a}: {e}");
        }
    }
}
