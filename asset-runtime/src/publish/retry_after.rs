//! `Retry-After`, honoured: object_store retries a `503` or a `429` after
//! its own backoff and does not read the header, so the HTTP client it is
//! given waits first for as long as the server asked (at most
//! [`MAX_RETRY_AFTER`]), then hands the answer on. With no retries there
//! is nothing to wait for, and the client is object_store's own.

use std::time::{Duration, SystemTime};

use object_store::client::{
    ClientOptions, HttpClient, HttpConnector, HttpError, HttpRequest, HttpResponse, HttpService,
    ReqwestConnector,
};

/// The longest `Retry-After` waited for; a longer one is cut to this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(20);

/// Makes object_store's usual (reqwest) client, wrapped when the store
/// retries (`retries` is its `max_retries`).
#[derive(Debug)]
pub(super) struct Connector {
    pub retries: usize,
}

impl HttpConnector for Connector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let inner = ReqwestConnector::default().connect(options)?;
        Ok(match self.retries {
            0 => inner,
            _ => HttpClient::new(Client { inner }),
        })
    }
}

#[derive(Debug)]
struct Client {
    inner: HttpClient,
}

#[async_trait::async_trait]
impl HttpService for Client {
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let response = self.inner.execute(request).await?;
        let status = response.status().as_u16();
        if status == 503 || status == 429 {
            let asked = response
                .headers()
                .get(http::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| retry_after(v, SystemTime::now()));
            if let Some(wait) = asked {
                tokio::time::sleep(wait.min(MAX_RETRY_AFTER)).await;
            }
        }
        Ok(response)
    }
}

/// A `Retry-After` value (RFC 9110, section 10.2.3): seconds, or an HTTP
/// date, as a wait from `now`.
fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(7)));
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(retry_after(&earlier, now), Some(Duration::ZERO));
        for bad in ["", "-1", "1.5", "soon"] {
            assert_eq!(retry_after(bad, now), None, "{bad}");
        }
    }
}
