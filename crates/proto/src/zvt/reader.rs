//! A bounds-checked cursor over a byte slice that reports absolute offsets in its errors.
//!
//! Every decoder in this module reads through a `Reader`, so running off the end of the input is
//! an error naming the field and offset instead of a panic.

use crate::i18n::Text;

use super::error::{DecodeReason, ZvtDecodeError};

#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// Offset of `data[0]` in the enclosing message, for error messages.
    base: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], base: usize) -> Self {
        Reader { data, pos: 0, base }
    }

    /// Absolute offset of the next byte.
    pub(crate) fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    pub(crate) fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or(&[])
    }

    pub(crate) fn take(&mut self, n: usize, what: Text) -> Result<&'a [u8], ZvtDecodeError> {
        let available = self.remaining();
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.data.get(self.pos..end)) {
            Some(slice) => {
                self.pos = self.pos.saturating_add(n);
                Ok(slice)
            }
            None => Err(ZvtDecodeError::new(
                self.offset(),
                DecodeReason::Truncated {
                    what,
                    needed: n,
                    available,
                },
            )),
        }
    }

    pub(crate) fn u8(&mut self, what: Text) -> Result<u8, ZvtDecodeError> {
        let b = self.take(1, what)?;
        Ok(b.first().copied().unwrap_or_default())
    }

    pub(crate) fn take_rest(&mut self) -> &'a [u8] {
        let rest = self.rest();
        self.pos = self.data.len();
        rest
    }

    pub(crate) fn error(&self, reason: DecodeReason) -> ZvtDecodeError {
        ZvtDecodeError::new(self.offset(), reason)
    }
}
