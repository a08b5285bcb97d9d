//! Permission matrices: what each subject may do, as a table.
//! The concept is documented on [`Matrix`], where users read it.
//!
//! This file owns the table type: computing it (one
//! [`authorize`](crate::Policy::authorize) per cell, and nothing else) and
//! looking up its rows, columns and cells. Rendering it is `render.rs`,
//! checking it against an expected table is `check.rs`. A matrix must never
//! decide anything itself: every cell is the policy's decision, asked once.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::decision::Decision;
use crate::permission::Action;
use crate::policy::Policy;
use crate::resource::ResourceId;
use crate::subject::Subject;

mod check;
mod render;

pub use check::{CheckError, Mismatch};

/// A permission matrix: named capabilities (rows) × named subjects
/// (columns), each cell the [`Decision`] of
/// [`Policy::authorize`](crate::Policy::authorize).
///
/// This is the table every product's documentation draws ("Admin may
/// manage members, Editor may not"), computed from a policy rather than
/// written by hand. Each row is a capability `(label, action, resource)`:
/// rows may ask about different resources, as products' tables do (Boomi's
/// "Environments" row is about an environment, its "Flows" row about a
/// flow). Each column is a subject `(label, subject)`: a role or a user
/// group is represented by a user who holds it. For the common case of
/// every row at the same resource, use [`Matrix::compute_at`].
///
/// Computing a matrix of R rows × C columns asks R × C decisions, once;
/// rendering and checking it ask none. A matrix renders as a Markdown table
/// ([`to_markdown`](Matrix::to_markdown)) and as aligned plain text for
/// terminals (its [`Display`](fmt::Display)), with `Y` for allowed and `N`
/// for denied. In tests, [`check`](Matrix::check) compares it with an
/// expected matrix written as a Markdown table and reports every cell that
/// differs, with the reason of the policy's decision.
///
/// ```
/// use clearance::{
///     Action, Channel, Effect, Grantee, Matrix, Permissions as P, PolicyBuilder,
///     ResourceKind as K, Role, Subject, User,
/// };
///
/// let policy = PolicyBuilder::new()
///     .tenant("acme", K::Organization)
///     .resource("ops", K::Workspace, "acme")
///     .resource("sync", K::Flow, "ops")
///     .role(Role::new("viewer").allow([K::Workspace, K::Flow], P::VIEW))
///     .role(Role::new("editor").inherits("viewer").allow([K::Flow], P::EDIT))
///     .user(User::new("ann", "acme"))
///     .user(User::new("bo", "acme"))
///     .grant(Grantee::user("ann"), "ops", "editor", Effect::Allow)
///     .grant(Grantee::user("bo"), "ops", "viewer", Effect::Allow)
///     .build()?;
/// let ops = policy.resource_id("ops").unwrap();
/// let sync = policy.resource_id("sync").unwrap();
/// let web = |name| Subject::user(policy.user_id(name).unwrap(), Channel::Web).at(1_700_000_000);
///
/// let matrix = Matrix::compute(
///     &policy,
///     [
///         ("Open the workspace", Action::View, ops),
///         ("Edit flows", Action::Edit, sync),
///     ],
///     [("Editor", web("ann")), ("Viewer", web("bo"))],
/// );
/// assert_eq!(
///     matrix.to_markdown(),
///     "\
/// | Capability         | Editor | Viewer |
/// |--------------------|--------|--------|
/// | Open the workspace | Y      | Y      |
/// | Edit flows         | Y      | N      |
/// ",
/// );
///
/// // In a test: the product's documented matrix, checked cell by cell.
/// matrix.check(
///     "
///     | Capability         | Editor | Viewer    |
///     |--------------------|--------|-----------|
///     | Open the workspace | Y (S)  | Y (S)     |
///     | Edit flows         | Y      | N (I)     |
///     ",
/// )?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Matrix<'p> {
    policy: &'p Policy,
    heading: String,
    rows: Vec<Capability>,
    columns: Vec<Column>,
    /// Row-major: row `r`, column `c` is at `r * columns.len() + c`.
    cells: Vec<Decision>,
}

/// One row: what is asked, and where.
#[derive(Debug, Clone)]
struct Capability {
    label: String,
    action: Action,
    resource: ResourceId,
}

/// One column: who asks.
#[derive(Debug, Clone)]
struct Column {
    label: String,
    subject: Subject,
}

/// The heading of the first column unless [`Matrix::with_heading`] says otherwise.
const DEFAULT_HEADING: &str = "Capability";

impl<'p> Matrix<'p> {
    /// The matrix of `rows` × `columns` under `policy`: one
    /// [`authorize`](Policy::authorize) per cell, and nothing else.
    ///
    /// Each row is `(label, action, resource)`, each column `(label,
    /// subject)`. Labels are how rendering and [`check`](Matrix::check)
    /// name rows and columns; give each a distinct one (lookups by label
    /// find the first).
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new()
    /// #     .tenant("acme", ResourceKind::Organization)
    /// #     .resource("ops", ResourceKind::Workspace, "acme")
    /// #     .resource("sync", ResourceKind::Flow, "ops")
    /// #     .role(Role::new("editor").allow([ResourceKind::Flow], Permissions::VIEW | Permissions::EDIT))
    /// #     .user(User::new("ann", "acme"))
    /// #     .grant(Grantee::user("ann"), "ops", "editor", Effect::Allow)
    /// #     .build()?;
    /// let ops = policy.resource_id("ops").unwrap();
    /// let sync = policy.resource_id("sync").unwrap();
    /// let ann = Subject::user(policy.user_id("ann").unwrap(), Channel::Web).at(1_700_000_000);
    ///
    /// // Rows about different resources: the workspace's members, a flow.
    /// let matrix = Matrix::compute(
    ///     &policy,
    ///     [("Manage members", Action::ManageMembers, ops), ("Edit flows", Action::Edit, sync)],
    ///     [("Editor", ann)],
    /// );
    /// assert!(!matrix.decision("Manage members", "Editor").unwrap().is_allowed());
    /// assert!(matrix.decision("Edit flows", "Editor").unwrap().is_allowed());
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn compute<R, L, C, M>(policy: &'p Policy, rows: R, columns: C) -> Matrix<'p>
    where
        R: IntoIterator<Item = (L, Action, ResourceId)>,
        L: Into<String>,
        C: IntoIterator<Item = (M, Subject)>,
        M: Into<String>,
    {
        let rows: Vec<Capability> = rows
            .into_iter()
            .map(|(label, action, resource)| Capability {
                label: label.into(),
                action,
                resource,
            })
            .collect();
        let columns: Vec<Column> = columns
            .into_iter()
            .map(|(label, subject)| Column {
                label: label.into(),
                subject,
            })
            .collect();
        let mut cells = Vec::with_capacity(rows.len().saturating_mul(columns.len()));
        for row in &rows {
            for column in &columns {
                cells.push(policy.authorize(&column.subject, row.action, row.resource));
            }
        }
        Matrix {
            policy,
            heading: DEFAULT_HEADING.to_string(),
            rows,
            columns,
            cells,
        }
    }

    /// The matrix of `rows` × `columns` with every row at the same
    /// `resource`: each row is `(label, action)`.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new()
    /// #     .tenant("acme", ResourceKind::Organization)
    /// #     .resource("sync", ResourceKind::Flow, "acme")
    /// #     .role(Role::new("viewer").allow([ResourceKind::Flow], Permissions::VIEW))
    /// #     .user(User::new("bo", "acme"))
    /// #     .grant(Grantee::user("bo"), "sync", "viewer", Effect::Allow)
    /// #     .build()?;
    /// let sync = policy.resource_id("sync").unwrap();
    /// let bo = Subject::user(policy.user_id("bo").unwrap(), Channel::Web).at(1_700_000_000);
    ///
    /// let matrix = Matrix::compute_at(
    ///     &policy,
    ///     sync,
    ///     [("View", Action::View), ("Edit", Action::Edit), ("Run", Action::Execute)],
    ///     [("Viewer", bo)],
    /// );
    /// assert_eq!(matrix.to_string(), "\
    /// Capability  Viewer
    /// ----------  ------
    /// View        Y
    /// Edit        N
    /// Run         N
    /// ");
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn compute_at<R, L, C, M>(
        policy: &'p Policy,
        resource: ResourceId,
        rows: R,
        columns: C,
    ) -> Matrix<'p>
    where
        R: IntoIterator<Item = (L, Action)>,
        L: Into<String>,
        C: IntoIterator<Item = (M, Subject)>,
        M: Into<String>,
    {
        let rows = rows
            .into_iter()
            .map(|(label, action)| (label, action, resource));
        Matrix::compute(policy, rows, columns)
    }

    /// Names the first column of the rendered tables (`Capability` by
    /// default), as products do: `Action`, `Privilege`, …
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// let matrix = Matrix::compute_at(&policy, acme, [("Tenant", Action::ManageSettings)], [("Nobody", Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000))])
    ///     .with_heading("Privilege");
    /// assert!(matrix.to_markdown().starts_with("| Privilege | Nobody |"));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn with_heading(mut self, heading: impl Into<String>) -> Matrix<'p> {
        self.heading = heading.into();
        self
    }

    /// The policy the decisions come from (and that explains their reasons).
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// let matrix = Matrix::compute_at(&policy, ResourceId::from_index(0), [("View", Action::View)], [("Nobody", Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000))]);
    /// assert!(std::ptr::eq(matrix.policy(), &policy));
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// The rows, in order: each capability's label, action and resource.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View), ("Billing", Action::ManageBilling)], [("Nobody", nobody)]);
    /// let labels: Vec<&str> = matrix.rows().map(|(label, _, _)| label).collect();
    /// assert_eq!(labels, ["View", "Billing"]);
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn rows(&self) -> impl ExactSizeIterator<Item = (&str, Action, ResourceId)> + '_ {
        self.rows
            .iter()
            .map(|row| (row.label.as_str(), row.action, row.resource))
    }

    /// The columns, in order: each subject's label and the subject.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View)], [("Nobody", nobody)]);
    /// assert_eq!(matrix.columns().map(|(label, _)| label).collect::<Vec<_>>(), ["Nobody"]);
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn columns(&self) -> impl ExactSizeIterator<Item = (&str, Subject)> + '_ {
        self.columns
            .iter()
            .map(|column| (column.label.as_str(), column.subject))
    }

    /// The decision in the row labelled `row` and the column labelled
    /// `column`, or `None` if the matrix has no such row or column.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View)], [("Nobody", nobody)]);
    /// assert_eq!(matrix.decision("View", "Nobody").unwrap().reason(), Reason::UnknownSubject);
    /// assert_eq!(matrix.decision("Edit", "Nobody"), None);
    /// # Ok::<(), BuildError>(())
    /// ```
    #[must_use]
    pub fn decision(&self, row: &str, column: &str) -> Option<Decision> {
        self.cell(self.row_index(row)?, self.column_index(column)?)
    }

    /// Every cell, row by row: `(row label, column label, decision)`.
    ///
    /// ```
    /// # use clearance::*;
    /// # let policy = PolicyBuilder::new().tenant("acme", ResourceKind::Organization).build()?;
    /// # let acme = policy.resource_id("acme").unwrap();
    /// # let nobody = Subject::user(UserId::from_index(9), Channel::Web).at(1_700_000_000);
    /// let matrix = Matrix::compute_at(&policy, acme, [("View", Action::View)], [("Nobody", nobody)]);
    /// for (row, column, decision) in matrix.cells() {
    ///     let why = matrix.policy().explain(decision.reason());
    ///     assert_eq!(format!("{row} / {column}: {why}"), "View / Nobody: the user, API key or link is not known to this policy");
    /// }
    /// # Ok::<(), BuildError>(())
    /// ```
    pub fn cells(&self) -> impl Iterator<Item = (&str, &str, Decision)> + '_ {
        self.rows
            .iter()
            .flat_map(move |row| {
                self.columns
                    .iter()
                    .map(move |column| (row.label.as_str(), column.label.as_str()))
            })
            .zip(self.cells.iter().copied())
            .map(|((row, column), decision)| (row, column, decision))
    }

    fn row_index(&self, label: &str) -> Option<usize> {
        self.rows.iter().position(|row| row.label.trim() == label)
    }

    fn column_index(&self, label: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|column| column.label.trim() == label)
    }

    fn cell(&self, row: usize, column: usize) -> Option<Decision> {
        if column >= self.columns.len() {
            return None;
        }
        let index = row.checked_mul(self.columns.len())?.checked_add(column)?;
        self.cells.get(index).copied()
    }
}

impl fmt::Debug for Matrix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Matrix")
            .field("heading", &self.heading)
            .field("rows", &self.rows)
            .field("columns", &self.columns)
            .field("cells", &self.cells)
            .finish_non_exhaustive()
    }
}
