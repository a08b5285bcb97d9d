//! What handlers receive: the authorized decision of their route, or the
//! caller alone. The concepts are documented on [`Authorized`] and
//! [`Caller`].

use axum::extract::{FromRef, FromRequestParts};
use clearance::{ResourceId, Revision, Subject};
use http::request::Parts;
use http::StatusCode;

use crate::handle::Clearance;
use crate::rejection::Rejection;

/// The route's request was allowed: who asked, about which resource, and
/// the revision of the policy that allowed it.
///
/// Only the [`Require`](crate::Require) layer makes one
/// ([`Clearance::require`]); a handler taking it on a route without that
/// layer answers `500 not_authorized`, never runs unchecked.
///
/// ```
/// use axum::Json;
/// use clearance_axum::Authorized;
///
/// async fn show(who: Authorized) -> Json<u64> {
///     // who.subject(): the caller; who.resource(): the resource's id.
///     Json(who.revision().get())
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authorized {
    subject: Subject,
    resource: ResourceId,
    revision: Revision,
}

impl Authorized {
    pub(crate) fn new(subject: Subject, resource: ResourceId, revision: Revision) -> Authorized {
        Authorized {
            subject,
            resource,
            revision,
        }
    }

    /// Who asked (with the request's channel, MFA and time).
    #[must_use]
    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    /// The resource the route is about.
    #[must_use]
    pub fn resource(&self) -> ResourceId {
        self.resource
    }

    /// The revision of the live policy that allowed the request.
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.revision
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Authorized {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Authorized, Rejection> {
        parts
            .extensions
            .get::<Authorized>()
            .copied()
            .ok_or_else(|| {
                Rejection::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "not_authorized",
                    "the server did not authorize this route",
                )
                .with_detail("a handler takes `Authorized` on a route without `Clearance::require`")
            })
    }
}

/// Who asks, for a handler that decides itself, for example a list that
/// shows only what the caller may view: resolved through the
/// [`Clearance`] in the router's state (`Clearance: FromRef<S>`), after
/// waiting for the [`REVISION`](crate::REVISION) the request asks for.
///
/// A request without credentials, or with ones the policy does not know,
/// is answered `401` and never reaches the handler.
///
/// ```
/// use axum::{extract::State, Json};
/// use clearance::{Action, ResourceKind};
/// use clearance_axum::{Caller, Clearance};
///
/// async fn flows(State(clearance): State<Clearance>, caller: Caller) -> Json<Vec<String>> {
///     let policy = clearance.policy();
///     let visible = policy
///         .resources()
///         .filter(|&r| policy.resource_kind(r) == Some(ResourceKind::Flow))
///         .filter(|&r| policy.authorize(caller.subject(), Action::View, r).is_allowed())
///         .filter_map(|r| policy.resource_name(r).map(str::to_owned));
///     Json(visible.collect())
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    subject: Subject,
    revision: Revision,
}

impl Caller {
    /// Who asks (with the request's channel, MFA and time).
    #[must_use]
    pub fn subject(&self) -> &Subject {
        &self.subject
    }

    /// The revision of the live policy that resolved the caller.
    #[must_use]
    pub fn revision(&self) -> Revision {
        self.revision
    }
}

impl<S> FromRequestParts<S> for Caller
where
    Clearance: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, Rejection> {
        let clearance = Clearance::from_ref(state);
        clearance.reach_asked(parts).await?;
        let (subject, revision) = clearance.caller(parts)?;
        Ok(Caller { subject, revision })
    }
}
