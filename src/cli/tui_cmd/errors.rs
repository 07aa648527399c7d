//! Bilingual notices for what can go wrong opening a session from the TUI (the errors'
//! own messages are English, for logs and headless use).

use crate::i18n::Text;
use crate::link::LinkError;
use crate::profile::ProfileError;
use crate::session::{EndpointError, OpenError, SessionError};
use crate::sim::{AttachError, SimError};
use crate::tr;

/// "Cannot open X: why" for a Connect entry.
pub fn cannot_open(label: &Text, why: Text) -> Text {
    Text::new(
        format!("无法打开 {}：{}", label.zh, why.zh),
        format!("Cannot open {}: {}", label.en, why.en),
    )
}

/// "Cannot connect to X: what is wrong — what to do".
pub fn cannot_connect(label: &Text, e: &LinkError) -> Text {
    let (m, h) = (e.message(), e.hint());
    Text::new(
        format!("无法连接 {}：{}。{}", label.zh, m.zh, h.zh),
        format!("Cannot connect to {}: {} — {}", label.en, m.en, h.en),
    )
}

pub fn profile_error_text(e: &ProfileError) -> Text {
    match e {
        ProfileError::NotFound { name, available } => {
            let list = available.join(", ");
            tr!(
                "没有名为“{name}”的配置（可用：{list}）",
                "no profile named '{name}' (available: {list})"
            )
        }
        other => tr!("配置文件有误：{other}", "the profile is not valid: {other}"),
    }
}

pub fn session_error_text(e: &OpenError) -> Text {
    match e {
        OpenError::Session(SessionError::Endpoint(e))
        | OpenError::Simulator(AttachError::Endpoint(e)) => endpoint_error_text(e),
        OpenError::Simulator(AttachError::Simulator(sim)) => {
            let why = sim_error_text(sim);
            Text::new(
                format!("无法启动模拟器：{}", why.zh),
                format!("cannot start the simulator: {}", why.en),
            )
        }
        // Already one line naming what to fix (passphrase, trust file, key id and version).
        OpenError::Session(SessionError::Nexo(e)) => e.text(),
        OpenError::Simulator(AttachError::FaultsWithoutSimulator) => Text::fixed(
            "--fault 需要内置模拟器：请用 --demo",
            "--fault needs the built-in simulator: use --demo",
        ),
    }
}

fn endpoint_error_text(e: &EndpointError) -> Text {
    match e {
        EndpointError::NoPort => Text::fixed(
            "配置没有指定串口：用 --serial 端口（见 posdiag ports）或 --tcp 主机:端口",
            "the profile gives no serial port: add --serial PORT (see 'posdiag ports') or --tcp HOST:PORT",
        ),
        EndpointError::NoTerminal(name) => tr!(
            "配置“{name}”没有终端通道",
            "the profile '{name}' has no terminal channel"
        ),
        EndpointError::NoSimulatorEndpoint => Text::fixed(
            "模拟器没有为终端启动任何端点",
            "the simulator did not start an endpoint for the terminal",
        ),
        EndpointError::NoHostAddress => Text::fixed(
            "配置没有主机地址：在 [host] 中写 tcp = \"主机:端口\"，或用 --tcp 主机:端口",
            "the profile gives no host address: add tcp = \"HOST:PORT\" under [host] or --tcp HOST:PORT",
        ),
        EndpointError::NoSimulatorHost => Text::fixed(
            "模拟器没有启动收单主机",
            "the simulator did not start the acquirer host",
        ),
        EndpointError::NoSimulatorPrinter => Text::fixed(
            "模拟器没有为打印机启动任何端点",
            "the simulator did not start an endpoint for the printer",
        ),
    }
}

fn sim_error_text(e: &SimError) -> Text {
    match e {
        SimError::NotLoopback { addr } => tr!(
            "模拟器只监听本机回环地址，“{addr}”不是（用 127.0.0.1:端口）",
            "the simulator binds loopback only; '{addr}' is not a loopback address (use 127.0.0.1:PORT)"
        ),
        SimError::BadAddress { addr } => tr!(
            "“{addr}”不是地址：用 127.0.0.1:端口",
            "'{addr}' is not an address: use 127.0.0.1:PORT"
        ),
        SimError::Bind { addr, source } => tr!(
            "无法监听 {addr}：{source}（是否有另一个模拟器在运行？换一个端口）",
            "cannot listen on {addr}: {source} (is another simulator running? pick another port)"
        ),
        SimError::Pty(why) => tr!("无法创建伪终端：{why}", "cannot create a pseudo-terminal: {why}"),
        SimError::PtyUnsupported => Text::fixed(
            "本系统不支持伪终端；请用 TCP",
            "pseudo-terminals are not available on this system; use TCP",
        ),
        SimError::Certificate(why) => tr!(
            "无法为模拟终端生成 TLS 证书：{why}",
            "cannot set up the simulated terminal's TLS certificate: {why}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_errors_are_bilingual() {
        let errors = [
            OpenError::Session(SessionError::Endpoint(EndpointError::NoPort)),
            OpenError::Session(SessionError::Endpoint(EndpointError::NoTerminal(
                "x".into(),
            ))),
            OpenError::Simulator(AttachError::Endpoint(EndpointError::NoSimulatorEndpoint)),
            OpenError::Simulator(AttachError::Simulator(SimError::PtyUnsupported)),
            OpenError::Simulator(AttachError::Simulator(SimError::Pty("no /dev/ptmx".into()))),
            OpenError::Simulator(AttachError::FaultsWithoutSimulator),
        ];
        for e in &errors {
            let t = cannot_open(&Text::same("/dev/ttyUSB0"), session_error_text(e));
            assert!(!t.is_incomplete(), "{e:?}");
            assert!(t.zh.starts_with("无法打开 /dev/ttyUSB0："), "{}", t.zh);
            assert!(t.en.starts_with("Cannot open /dev/ttyUSB0: "), "{}", t.en);
        }
        let missing = ProfileError::NotFound {
            name: "shop".into(),
            available: vec!["demo".into()],
        };
        assert_eq!(
            profile_error_text(&missing).zh,
            "没有名为“shop”的配置（可用：demo）"
        );
        let lost = LinkError::PortNotFound {
            port: "/dev/ttyUSB9".into(),
            available: vec![],
        };
        let t = cannot_connect(&Text::same("/dev/ttyUSB9"), &lost);
        assert!(t.zh.contains("串口 /dev/ttyUSB9 不存在"), "{}", t.zh);
        assert!(
            t.en.contains("serial port /dev/ttyUSB9 does not exist"),
            "{}",
            t.en
        );
    }
}
