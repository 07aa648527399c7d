//! Opening a channel's link, said on its link state as every channel says it: `Connecting`,
//! then `Connected` or `Failed` with the reason. One place, so the status bar reads the same
//! for the terminal, the printer and the host.

use std::future::Future;

use crate::frame::{LinkState, Sink};
use crate::link::LinkError;

/// Runs `open` between the link states. `target_now` names the target once open: a serial
/// endpoint can follow its adapter to a new port name while opening.
pub(crate) async fn open_announced<T>(
    on_state: &Sink<LinkState>,
    target: String,
    open: impl Future<Output = Result<T, LinkError>>,
    target_now: impl FnOnce() -> String,
) -> Result<T, LinkError> {
    on_state(LinkState::Connecting {
        target: target.clone(),
    });
    match open.await {
        Ok(link) => {
            on_state(LinkState::Connected {
                target: target_now(),
            });
            Ok(link)
        }
        Err(e) => {
            on_state(LinkState::Failed {
                target,
                reason: e.to_string(),
            });
            Err(e)
        }
    }
}
