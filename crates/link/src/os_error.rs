//! What an OS error means for a serial port or a connection: missing, forbidden, busy, or
//! gone. Raw OS codes first (they are precise), then [`io::ErrorKind`]; pure functions of the
//! error, tested without hardware.

use std::io;

/// Why opening a port failed, as far as the OS error tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenFailure {
    NotFound,
    PermissionDenied,
    Busy,
}

/// Raw OS code first, then the portable kind. On Windows "access denied" on a COM port almost
/// always means another program has it open (COM ports are opened exclusively).
pub(crate) fn classify_open_error(err: &io::Error) -> Option<OpenFailure> {
    if let Some(code) = err.raw_os_error() {
        if let Some(failure) = classify_raw_os_code(code) {
            return Some(failure);
        }
    }
    match err.kind() {
        io::ErrorKind::NotFound => Some(OpenFailure::NotFound),
        io::ErrorKind::PermissionDenied if cfg!(windows) => Some(OpenFailure::Busy),
        io::ErrorKind::PermissionDenied => Some(OpenFailure::PermissionDenied),
        io::ErrorKind::ResourceBusy => Some(OpenFailure::Busy),
        _ => None,
    }
}

#[cfg(unix)]
fn classify_raw_os_code(code: i32) -> Option<OpenFailure> {
    match code {
        // ENXIO/ENODEV: the node exists but no device is behind it (ttyS without a UART,
        // adapter pulled while the node lingers).
        libc::ENOENT | libc::ENXIO | libc::ENODEV => Some(OpenFailure::NotFound),
        libc::EACCES | libc::EPERM => Some(OpenFailure::PermissionDenied),
        libc::EBUSY => Some(OpenFailure::Busy),
        _ => None,
    }
}

#[cfg(windows)]
fn classify_raw_os_code(code: i32) -> Option<OpenFailure> {
    const ERROR_FILE_NOT_FOUND: i32 = 2;
    const ERROR_PATH_NOT_FOUND: i32 = 3;
    const ERROR_ACCESS_DENIED: i32 = 5;
    const ERROR_SHARING_VIOLATION: i32 = 32;
    match code {
        ERROR_FILE_NOT_FOUND | ERROR_PATH_NOT_FOUND => Some(OpenFailure::NotFound),
        ERROR_ACCESS_DENIED | ERROR_SHARING_VIOLATION => Some(OpenFailure::Busy),
        _ => None,
    }
}

#[cfg(not(any(unix, windows)))]
fn classify_raw_os_code(_code: i32) -> Option<OpenFailure> {
    None
}

/// True when `err` means the link itself is gone (adapter unplugged, cable pulled, peer
/// closed or reset), as opposed to a timeout or a bad request. The session switches to
/// "LINK LOST — reconnecting" on these.
pub fn is_link_lost(err: &io::Error) -> bool {
    if let Some(code) = err.raw_os_error() {
        if raw_code_means_lost(code) {
            return true;
        }
    }
    matches!(
        err.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::NotConnected
            | io::ErrorKind::UnexpectedEof
    )
}

#[cfg(unix)]
fn raw_code_means_lost(code: i32) -> bool {
    // EIO: a USB-serial tty whose adapter was pulled; ENXIO/ENODEV: the device is gone.
    matches!(
        code,
        libc::EIO | libc::ENXIO | libc::ENODEV | libc::EPIPE | libc::ECONNRESET | libc::ENOTCONN
    )
}

#[cfg(windows)]
fn raw_code_means_lost(code: i32) -> bool {
    const ERROR_BAD_COMMAND: i32 = 22; // USB-serial driver after the adapter was pulled
    const ERROR_GEN_FAILURE: i32 = 31;
    const ERROR_OPERATION_ABORTED: i32 = 995;
    const ERROR_DEVICE_NOT_CONNECTED: i32 = 1167;
    const ERROR_DEVICE_REMOVED: i32 = 1617;
    matches!(
        code,
        ERROR_BAD_COMMAND
            | ERROR_GEN_FAILURE
            | ERROR_OPERATION_ABORTED
            | ERROR_DEVICE_NOT_CONNECTED
            | ERROR_DEVICE_REMOVED
    )
}

#[cfg(not(any(unix, windows)))]
fn raw_code_means_lost(_code: i32) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn raw_unix_codes_map_to_the_right_failure() {
        let class = |code| classify_open_error(&io::Error::from_raw_os_error(code));
        assert_eq!(class(libc::EACCES), Some(OpenFailure::PermissionDenied));
        assert_eq!(class(libc::EPERM), Some(OpenFailure::PermissionDenied));
        assert_eq!(class(libc::EBUSY), Some(OpenFailure::Busy));
        assert_eq!(class(libc::ENOENT), Some(OpenFailure::NotFound));
        assert_eq!(class(libc::ENXIO), Some(OpenFailure::NotFound));
        assert_eq!(class(libc::EINVAL), None);
    }

    #[test]
    fn kinds_map_when_there_is_no_raw_code() {
        let class = |kind| classify_open_error(&io::Error::new(kind, "x"));
        assert_eq!(class(io::ErrorKind::NotFound), Some(OpenFailure::NotFound));
        assert_eq!(class(io::ErrorKind::ResourceBusy), Some(OpenFailure::Busy));
        let denied = if cfg!(windows) {
            OpenFailure::Busy
        } else {
            OpenFailure::PermissionDenied
        };
        assert_eq!(class(io::ErrorKind::PermissionDenied), Some(denied));
        assert_eq!(class(io::ErrorKind::TimedOut), None);
    }

    #[cfg(windows)]
    #[test]
    fn windows_access_denied_means_busy() {
        assert_eq!(
            classify_open_error(&io::Error::from_raw_os_error(5)),
            Some(OpenFailure::Busy)
        );
        assert_eq!(
            classify_open_error(&io::Error::from_raw_os_error(2)),
            Some(OpenFailure::NotFound)
        );
    }

    #[test]
    fn lost_links_are_recognised() {
        for kind in [
            io::ErrorKind::BrokenPipe,
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::UnexpectedEof,
        ] {
            assert!(is_link_lost(&io::Error::new(kind, "x")), "{kind:?}");
        }
        for kind in [
            io::ErrorKind::TimedOut,
            io::ErrorKind::WouldBlock,
            io::ErrorKind::InvalidData,
            io::ErrorKind::Interrupted,
        ] {
            assert!(!is_link_lost(&io::Error::new(kind, "x")), "{kind:?}");
        }
        #[cfg(unix)]
        {
            assert!(is_link_lost(&io::Error::from_raw_os_error(libc::EIO)));
            assert!(is_link_lost(&io::Error::from_raw_os_error(libc::ENODEV)));
            assert!(!is_link_lost(&io::Error::from_raw_os_error(libc::EAGAIN)));
        }
    }
}
