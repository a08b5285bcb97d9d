//! Read your writes over HTTP: the revision header. The concept is
//! documented on [`REVISION`], where users read it.

use std::cell::RefCell;
use std::time::Duration;

use axum::response::{IntoResponse, IntoResponseParts, Response, ResponseParts};
use axum::Json;
use clearance::{LivePolicy, Revision};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::rejection::Rejection;

/// The revision header, `clearance-revision`: read your writes across
/// requests (and replicas), like Zanzibar's zookies.
///
/// - A write answers with the revision its change produced
///   ([`Written`]).
/// - Every authorized answer carries the revision its decision was made at
///   (unless the handler set the header itself, as a write does).
/// - A request carrying the header is decided only once the live policy has
///   reached that revision: it waits, at most
///   [`Clearance::with_max_wait`](crate::Clearance::with_max_wait) (one
///   second by default), and is answered `503 revision_not_reached` if the
///   policy is still older then. A header that is not a number, or names a
///   revision more than a million ahead of the server's (no server produced
///   it lately: a replica that far behind does not catch up within a wait),
///   is `400 invalid_revision`, at once.
/// - Only a caller the policy knows waits: a request without credentials,
///   or with unknown ones, is answered `401` at once, and no `401` carries
///   the header (nor does a refusal about the caller's own state, such as a
///   revoked key or a suspended account). A user created at a revision this
///   server has not reached yet is `401 unknown_credential` here until it
///   has: retry, or send his first requests where he was created. The wait does not block a tokio worker: it
///   looks at the revision, then sleeps a millisecond (tokio's timer)
///   between looks, so a request sees a revision about a millisecond at
///   most after it is published.
///
/// The value is the revision's number in decimal, `"42"`.
pub const REVISION: HeaderName = HeaderName::from_static("clearance-revision");

/// The answer to a write: the revision the change produced, in the
/// [`REVISION`] header, and as the JSON body `{"revision": N}` when it is
/// the whole response.
///
/// Returned by [`Clearance::apply`](crate::Clearance::apply). As part of a
/// larger response, put it in a tuple: `(written, Json(created))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written(pub Revision);

impl Written {
    /// The revision the change produced.
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.0
    }
}

impl IntoResponseParts for Written {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, mut parts: ResponseParts) -> Result<ResponseParts, Self::Error> {
        parts.headers_mut().insert(REVISION, header_value(self.0));
        Ok(parts)
    }
}

#[derive(serde::Serialize)]
struct WrittenBody {
    revision: u64,
}

impl IntoResponse for Written {
    fn into_response(self) -> Response {
        (
            self,
            Json(WrittenBody {
                revision: self.0.get(),
            }),
        )
            .into_response()
    }
}

/// The header value for a revision.
///
/// Formatting one allocates; answers at the same revision follow each other
/// (it changes once per write), so each thread keeps the last value it
/// made and hands out copies of it (a reference count): no lock, no
/// allocation per answer.
pub(crate) fn header_value(revision: Revision) -> HeaderValue {
    thread_local! {
        static LAST: RefCell<Option<(Revision, HeaderValue)>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let Ok(mut last) = last.try_borrow_mut() else {
            return HeaderValue::from(revision.get());
        };
        match &*last {
            Some((made, value)) if *made == revision => value.clone(),
            _ => {
                let value = HeaderValue::from(revision.get());
                *last = Some((revision, value.clone()));
                value
            }
        }
    })
}

/// The revision a request asks for, if any.
pub(crate) fn asked(headers: &HeaderMap) -> Result<Option<Revision>, Rejection> {
    let Some(value) = headers.get(&REVISION) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|text| text.trim().parse::<u64>().ok())
        .map(|number| Some(Revision::new(number)))
        .ok_or_else(|| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "invalid_revision",
                "the clearance-revision header is not a revision number",
            )
        })
}

/// How long to sleep between looks at the revision while waiting: short
/// enough that a change published by another request is seen within about a
/// millisecond (the timer's resolution), long enough to cost nothing.
const POLL: Duration = Duration::from_millis(1);

/// How far ahead of this server's revision a request may ask: a client
/// only holds revisions some server produced, and a replica more than a
/// million writes behind does not catch up within any wait. A revision
/// further ahead is answered `400 invalid_revision` at once, without
/// waiting.
pub(crate) const MAX_AHEAD: u64 = 1_000_000;

/// Waits until `live` has reached `wanted`, at most `max`.
///
/// It polls: one look at the revision (a load, no lock), then a tokio sleep
/// of [`POLL`] between looks. [`LivePolicy::wait_for_revision`] is the
/// blocking form, which would hold one of tokio's worker threads for the
/// whole wait (and a few waiting requests would stall the server); a
/// waiting request here costs a timer, and sees the revision at most about
/// a millisecond after it is published. Most requests carry a revision the
/// server has reached already, and return at the first look. A revision
/// more than [`MAX_AHEAD`] ahead is refused at once.
///
/// The `503` does not say which revision the server is at (the header
/// carries it on answers to known callers, with their decision).
pub(crate) async fn reach(
    live: &LivePolicy,
    wanted: Revision,
    max: Duration,
) -> Result<(), Rejection> {
    let now = live.revision();
    if now >= wanted {
        return Ok(());
    }
    if wanted.get().saturating_sub(now.get()) > MAX_AHEAD {
        return Err(Rejection::new(
            StatusCode::BAD_REQUEST,
            "invalid_revision",
            "the clearance-revision header names a revision this server is far from reaching",
        )
        .with_detail(format!(
            "revision {} asked for at revision {}: more than {MAX_AHEAD} ahead",
            wanted.get(),
            now.get()
        )));
    }
    // A wait too long for the clock to hold its end has no deadline.
    let deadline = tokio::time::Instant::now().checked_add(max);
    loop {
        tokio::time::sleep(POLL).await;
        let now = live.revision();
        if now >= wanted {
            return Ok(());
        }
        if deadline.is_some_and(|deadline| tokio::time::Instant::now() >= deadline) {
            return Err(Rejection::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "revision_not_reached",
                "this server has not reached the revision asked for yet; retry shortly",
            )
            .with_detail(format!(
                "at revision {}, not yet at {}",
                now.get(),
                wanted.get()
            )));
        }
    }
}
