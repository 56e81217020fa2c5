//! The `Date` header, formatted at most once per second per thread.

use std::cell::RefCell;
use std::time::{SystemTime, UNIX_EPOCH};

use http::HeaderValue;

thread_local! {
    static CACHED: RefCell<(u64, Option<HeaderValue>)> = const { RefCell::new((0, None)) };
}

/// The current time as an IMF-fixdate header value (RFC 9110 §5.6.7).
pub(crate) fn now() -> HeaderValue {
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    CACHED.with(|cell| {
        let mut cached = cell.borrow_mut();
        match &cached.1 {
            Some(value) if cached.0 == secs => value.clone(),
            _ => {
                let value = HeaderValue::try_from(httpdate::fmt_http_date(now))
                    .expect("an HTTP date is a valid header value");
                *cached = (secs, Some(value.clone()));
                value
            }
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_an_imf_fixdate() {
        let value = super::now();
        let text = value.to_str().unwrap();
        assert!(text.ends_with(" GMT"), "{text}");
        assert!(httpdate::parse_http_date(text).is_ok(), "{text}");
    }
}
