//! What a refused request is answered with: a status and a JSON body
//! `{"code", "message"}`. The concept is documented on [`Rejection`].

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

use clearance::{CallerExplanation, Class, Revision};

use crate::revision::{self, REVISION};

/// A refused request, as the caller is told it: an HTTP status, a stable
/// snake_case `code` to branch on, and a sentence to show.
///
/// It answers with the status and the body `{"code": ..., "message": ...}`.
/// Denials come from the policy's caller-facing explanation, so another
/// tenant's resource reads exactly as one that does not exist (404, the same
/// body), and so does one of his own tenant the caller may not even view
/// ([`Clearance::require`](crate::Clearance::require)). The precise reason,
/// for the host's logs, is [`detail`](Rejection::detail); it is never sent,
/// and the response carries the `Rejection` in its extensions so that a
/// logging middleware can read it.
///
/// | status | when | codes |
/// |---|---|---|
/// | 400 | the revision header is not a number, or more than a million ahead | `invalid_revision` |
/// | 401 | no credentials, or none the policy knows, or no longer valid ones | `unauthenticated`, `unknown_credential`, the policy's (`key_revoked`, `key_expired`, ...) |
/// | 403 | the policy denies what the caller may view, or denies the caller himself | the policy's (`role_lacks`, `key_lacks`, `denied`, `mfa_required`, `suspended`, ...) |
/// | 404 | the resource is unknown, another tenant's, or one the caller may not view | `unknown_resource` |
/// | 422 | a change the policy refuses as invalid | the policy's |
/// | 500 | the route names no resource, the change log failed | `route_has_no_resource`, `not_authorized`, `log_failed` |
/// | 503 | the policy did not reach the revision asked for in time | `revision_not_reached` |
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    status: StatusCode,
    code: &'static str,
    message: String,
    detail: Option<String>,
    revision: Option<Revision>,
}

impl Rejection {
    /// A rejection with this status, code and message (for a host's own
    /// refusals, answered in the same shape).
    ///
    /// ```
    /// use clearance_axum::Rejection;
    /// use http::StatusCode;
    ///
    /// let busy = Rejection::new(StatusCode::TOO_MANY_REQUESTS, "slow_down", "try again in a minute");
    /// assert_eq!(busy.code(), "slow_down");
    /// ```
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Rejection {
        Rejection {
            status,
            code,
            message: message.into(),
            detail: None,
            revision: None,
        }
    }

    /// The same, with the precise reason for the host's logs (never sent).
    #[must_use]
    pub fn with_detail(mut self, detail: impl Into<String>) -> Rejection {
        self.detail = Some(detail.into());
        self
    }

    /// The HTTP status.
    #[must_use]
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The stable snake_case code of the body.
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The sentence of the body.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The precise reason, for the host's logs; never sent to the caller.
    #[must_use]
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The same, answered with the revision it was decided at.
    pub(crate) fn at(mut self, revision: Revision) -> Rejection {
        self.revision = Some(revision);
        self
    }

    /// The caller-facing explanation of a denial or a refused change,
    /// answered with its class's status ([`Class::http_status`]).
    pub(crate) fn explained(explanation: &CallerExplanation) -> Rejection {
        Rejection::new(
            status_of(explanation.class()),
            explanation.code(),
            explanation.message(),
        )
    }

    /// No credentials on the request.
    pub(crate) fn unauthenticated() -> Rejection {
        Rejection::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "the request carries no credentials",
        )
    }

    /// Credentials the policy does not know.
    pub(crate) fn unknown_credential() -> Rejection {
        Rejection::new(
            StatusCode::UNAUTHORIZED,
            "unknown_credential",
            "the credentials are not known",
        )
    }

    /// A route whose resource could not be found in the request: the
    /// route's declaration is wrong, not the caller.
    pub(crate) fn route_has_no_resource(what: &str) -> Rejection {
        Rejection::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "route_has_no_resource",
            "the server could not tell which resource this route is about",
        )
        .with_detail(format!(
            "the route's resource ({what}) is not in the request"
        ))
    }
}

/// The status a refusal of `class` is answered with: the class's own
/// ([`Class::http_status`]: 401, 404, 403, 422) for the classes this
/// version knows to be refusals; `403` for anything else, failing closed.
/// An allowed decision is never rejected, and a class added to `clearance`
/// later is not known to be anything but a refusal here.
pub(crate) fn status_of(class: Class) -> StatusCode {
    match class {
        Class::Unauthenticated | Class::NotFound | Class::Forbidden | Class::Invalid => {
            StatusCode::from_u16(class.http_status()).unwrap_or(StatusCode::FORBIDDEN)
        }
        _ => StatusCode::FORBIDDEN,
    }
}

#[derive(serde::Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&Body {
            code: self.code,
            message: &self.message,
        })
        // Two strings always serialize; should they not, the status stays.
        .unwrap_or_default();
        let mut response = (self.status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            // The policy is catching up: a second is longer than any wait.
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let Some(revision) = self.revision {
            response
                .headers_mut()
                .insert(REVISION, revision::header_value(revision));
        }
        response.extensions_mut().insert(self);
        response
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )?;
        if let Some(detail) = &self.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Rejection {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_answer_their_class_status_and_anything_else_fails_closed_with_403() {
        const STATUSES: &[(Class, u16)] = &[
            (Class::Unauthenticated, 401),
            (Class::NotFound, 404),
            (Class::Forbidden, 403),
            (Class::Invalid, 422),
            // Never rejected; should it be, the answer is still a refusal.
            (Class::Allowed, 403),
        ];
        for class in Class::ALL {
            let expected = STATUSES.iter().find(|(c, _)| *c == class).map(|&(_, s)| s);
            assert_eq!(
                Some(status_of(class).as_u16()),
                expected,
                "{class}: every class the core has is in this table"
            );
        }
    }
}
