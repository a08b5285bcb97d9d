//! Reading what a host's authentication left on a request, for the
//! credentials function of [`Clearance::new`](crate::Clearance::new).

use http::header::{AsHeaderName, AUTHORIZATION};
use http::request::Parts;

/// The value of the header `name`, if present and text. A
/// [`HeaderName`](http::HeaderName) constant is found faster than a `&str`,
/// which is parsed on each call.
///
/// ```
/// use clearance_axum::header;
///
/// let (parts, ()) = http::Request::builder().header("x-user", "ann").body(()).unwrap().into_parts();
/// assert_eq!(header(&parts, "x-user"), Some("ann"));
/// assert_eq!(header(&parts, "x-key"), None);
/// ```
#[must_use]
pub fn header(parts: &Parts, name: impl AsHeaderName) -> Option<&str> {
    parts.headers.get(name)?.to_str().ok()
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in
/// any case, RFC 9110), if present.
///
/// ```
/// use clearance_axum::bearer;
///
/// let (parts, ()) = http::Request::builder().header("authorization", "Bearer ci-deploy").body(()).unwrap().into_parts();
/// assert_eq!(bearer(&parts), Some("ci-deploy"));
/// ```
#[must_use]
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = header(parts, AUTHORIZATION)?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
