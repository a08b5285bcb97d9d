//! Policy documents: the whole model as plain data, by names, to store,
//! ship and edit. The shape is documented on [`PolicyDocument`], where
//! users read it; the conversions are [`Policy::from_document`](crate::Policy::from_document) and
//! [`Policy::to_document`](crate::Policy::to_document). A document written by a policy is a lossless
//! snapshot: it keeps the ids of removed entities ([`RemovedDocument`])
//! and the revision, and `==` between policies compares their documents.
//!
//! The module is one file per part: `shape.rs` (the data types and their
//! serde form), `read.rs` (a document into a policy, through the builder),
//! `write.rs` (a policy into a document, and `==` between policies) and
//! `locate.rs` (the path in the document of each problem of its build).

mod locate;
mod read;
mod shape;
mod write;

pub use shape::{
    GrantDocument, KeyDocument, LinkDocument, PolicyDocument, RemovedDocument,
    RequiredRoleDocument, ResourceDocument, RoleDocument, RuleDocument, TeamDocument, UserDocument,
};
