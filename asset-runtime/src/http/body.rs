//! The response body: embedded bytes, never copied.

use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Frame, SizeHint};

/// A response body holding at most one chunk of bytes.
///
/// Asset bodies are `Bytes::from_static` views of the embedded data: building
/// one neither allocates nor copies. An app can use the same type for its own
/// responses (`Body::from(String)`), so that a hyper service and the assets
/// share one body type.
#[derive(Debug, Default, Clone)]
pub struct Body(Option<Bytes>);

impl Body {
    /// A body with no bytes.
    pub const fn empty() -> Self {
        Body(None)
    }

    /// A body that borrows static bytes.
    pub const fn from_static(bytes: &'static [u8]) -> Self {
        Body(Some(Bytes::from_static(bytes)))
    }

    /// The bytes this body will yield (empty if none).
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_deref().unwrap_or_default()
    }

    /// The bytes this body will yield, without a copy.
    pub fn into_bytes(self) -> Bytes {
        self.0.unwrap_or_default()
    }
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Body(Some(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Body(Some(Bytes::from(text)))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Body(Some(Bytes::from(bytes)))
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(
            self.0
                .take()
                .filter(|b| !b.is_empty())
                .map(|b| Ok(Frame::data(b))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.0.as_ref().is_none_or(|b| b.is_empty())
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.as_ref().map_or(0, |b| b.len() as u64))
    }
}
