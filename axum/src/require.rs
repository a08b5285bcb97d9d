//! A route's declaration of what it needs: an action on a resource found
//! in the request. The concept is documented on [`Require`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::response::{IntoResponse, Response};
use clearance::Action;
use http::request::Parts;
use tower_layer::Layer;
use tower_service::Service;

use crate::handle::Clearance;
use crate::rejection::Rejection;
use crate::revision::{header_value, REVISION};

/// How a route finds the resource it is about, by its name in the policy.
///
/// ```
/// use clearance_axum::Resource;
///
/// // `/flows/{flow}`: the path parameter `flow` names the resource.
/// let flow = Resource::param("flow");
/// // Always the same resource: the tenant's root, say.
/// let acme = Resource::named("acme");
/// // Anything else in the request: a header, a query parameter, ...
/// let by_header = Resource::from_parts(|parts| {
///     parts.headers.get("x-workspace")?.to_str().ok().map(str::to_owned)
/// });
/// # let _ = (flow, acme, by_header);
/// ```
#[derive(Clone)]
pub struct Resource(Find);

/// A host's function from a request to a resource's name.
type FindFn = dyn Fn(&Parts) -> Option<String> + Send + Sync;

#[derive(Clone)]
enum Find {
    Param(&'static str),
    Named(Arc<str>),
    FromParts(Arc<FindFn>),
}

impl Resource {
    /// The resource named by the route's path parameter `name` (`flow` in
    /// `/flows/{flow}`). A route without that parameter is a mistake of the
    /// route, answered `500 route_has_no_resource`.
    #[must_use]
    pub const fn param(name: &'static str) -> Resource {
        Resource(Find::Param(name))
    }

    /// Always the resource named `name`.
    #[must_use]
    pub fn named(name: impl Into<Arc<str>>) -> Resource {
        Resource(Find::Named(name.into()))
    }

    /// The resource `find` names from the request's parts; `None` is
    /// answered `500 route_has_no_resource`.
    #[must_use]
    pub fn from_parts(find: impl Fn(&Parts) -> Option<String> + Send + Sync + 'static) -> Resource {
        Resource(Find::FromParts(Arc::new(find)))
    }

    /// Calls `decide` with the resource's name in this request.
    async fn with_name<T>(
        &self,
        parts: &mut Parts,
        decide: impl FnOnce(&Parts, &str) -> Result<T, Rejection>,
    ) -> Result<T, Rejection> {
        let missing = || Rejection::route_has_no_resource(&self.to_string());
        match &self.0 {
            Find::Param(name) => {
                let params = RawPathParams::from_request_parts(parts, &())
                    .await
                    .map_err(|_| missing())?;
                let (_, value) = params
                    .iter()
                    .find(|(key, _)| key == name)
                    .ok_or_else(missing)?;
                decide(parts, value)
            }
            Find::Named(name) => decide(parts, name),
            Find::FromParts(find) => {
                let name = find(parts).ok_or_else(missing)?;
                decide(parts, &name)
            }
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Find::Param(name) => write!(f, "path parameter {name:?}"),
            Find::Named(name) => write!(f, "resource {name:?}"),
            Find::FromParts(_) => f.write_str("a function of the request"),
        }
    }
}

impl fmt::Debug for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Resource({self})")
    }
}

/// The layer [`Clearance::require`] makes: a route answers a request only
/// if its caller may do the route's action on the route's resource, and its
/// handler receives the decision as [`Authorized`](crate::Authorized).
///
/// Every answer that went through the layer carries the revision it was
/// decided at in the [`REVISION`] header, unless the handler set it (a
/// write sets the revision it produced).
#[derive(Clone, Debug)]
pub struct Require {
    clearance: Clearance,
    action: Action,
    resource: Resource,
}

impl Require {
    pub(crate) fn new(clearance: Clearance, action: Action, resource: Resource) -> Require {
        Require {
            clearance,
            action,
            resource,
        }
    }

    /// The whole check for one request: the revision asked for, then the
    /// caller and the decision.
    async fn check(&self, parts: &mut Parts) -> Result<crate::Authorized, Rejection> {
        self.clearance.reach_asked(parts).await?;
        self.resource
            .with_name(parts, |parts, name| {
                self.clearance.authorize(parts, self.action, name)
            })
            .await
    }
}

impl<S> Layer<S> for Require {
    type Service = RequireService<S>;

    fn layer(&self, inner: S) -> RequireService<S> {
        RequireService {
            require: self.clone(),
            inner,
        }
    }
}

/// The service [`Require`] wraps a route in.
#[derive(Clone, Debug)]
pub struct RequireService<S> {
    require: Require,
    inner: S,
}

impl<S> Service<Request> for RequireService<S>
where
    S: Service<Request, Response = Response> + Clone + Send + 'static,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        // The service that was polled ready answers; its clone waits for
        // the next request (tower's usual swap).
        let ready = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, ready);
        let require = self.require.clone();
        Box::pin(async move {
            let (mut parts, body) = request.into_parts();
            match require.check(&mut parts).await {
                Ok(authorized) => {
                    parts.extensions.insert(authorized);
                    let mut response = inner.call(Request::from_parts(parts, body)).await?;
                    response
                        .headers_mut()
                        .entry(REVISION)
                        .or_insert_with(|| header_value(authorized.revision()));
                    Ok(response)
                }
                Err(rejection) => Ok(rejection.into_response()),
            }
        })
    }
}
