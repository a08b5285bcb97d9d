//! Permission matrices: computed from a policy, rendered as Markdown and as
//! text, and checked against expected tables written the way products
//! document them (`PRODUCTS.md`): every wrong cell reported with its
//! reason, every malformed table an error that names its line.

use clearance::{
    Action, Channel, CheckError, Effect, Grantee, Matrix, Permissions as P, Policy, PolicyBuilder,
    ResourceKind as K, Role, Subject, TableError, User,
};

/// A small workspace platform: an organization admin, an editor and a
/// viewer of one workspace, and a guest nobody gave anything.
#[expect(clippy::expect_used, reason = "a test fixture that must build")]
fn model() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", K::Organization)
        .resource("ops", K::Workspace, "acme")
        .resource("sync", K::Flow, "ops")
        .resource("crm", K::Connection, "ops")
        .role(
            Role::new("viewer")
                .allow([K::Workspace, K::Flow], P::VIEW)
                .allow([K::Flow], P::EXECUTE_LIMITED),
        )
        .role(
            Role::new("editor")
                .inherits("viewer")
                .allow([K::Flow], P::EDIT | P::EXECUTE)
                .allow([K::Connection], P::VIEW | P::USE | P::EDIT),
        )
        .role(Role::new("admin").inherits("editor").allow(
            [K::Organization, K::Workspace],
            P::VIEW | P::MANAGE_MEMBERS | P::MANAGE_BILLING,
        ))
        .user(User::new("ada", "acme"))
        .user(User::new("ed", "acme"))
        .user(User::new("vi", "acme"))
        .user(User::new("guest", "acme"))
        .grant(Grantee::user("ada"), "acme", "admin", Effect::Allow)
        .grant(Grantee::user("ed"), "ops", "editor", Effect::Allow)
        .grant(Grantee::user("vi"), "ops", "viewer", Effect::Allow)
        .build()
        .expect("the test model builds")
}

/// The user named `name`, signed in to the web portal.
#[expect(clippy::expect_used, reason = "a test fixture names known users")]
fn web(policy: &Policy, name: &str) -> Subject {
    Subject::user(policy.user_id(name).expect("a known user"), Channel::Web)
}

/// The workspace-role matrix of the model: each row at the resource it is
/// about (members and billing at the workspace or organization, flows at a
/// flow, connections at a connection).
#[expect(clippy::expect_used, reason = "a test fixture names known resources")]
fn matrix(policy: &Policy) -> Matrix<'_> {
    let at = |name: &str| policy.resource_id(name).expect("a known resource");
    Matrix::compute(
        policy,
        [
            ("User management", Action::ManageMembers, at("ops")),
            ("View flows", Action::View, at("sync")),
            ("Create and edit flows", Action::Edit, at("sync")),
            ("Manage connections", Action::Edit, at("crm")),
            ("Billing", Action::ManageBilling, at("acme")),
        ],
        [
            ("Admin", web(policy, "ada")),
            ("Editor", web(policy, "ed")),
            ("Viewer", web(policy, "vi")),
        ],
    )
}

/// The model's matrix, as its documentation would give it.
const EXPECTED: &str = "
    | Action                | Admin | Editor | Viewer |
    |-----------------------|-------|--------|--------|
    | User management       | Y     | N      | N      |
    | View flows            | Y     | Y      | Y      |
    | Create and edit flows | Y (I) | Y      | N      |
    | Manage connections    | Y (I) | Y      | N      |
    | Billing               | Y (D) | N      | N (I)  |
";

#[test]
fn a_matrix_renders_as_a_markdown_table() {
    let policy = model();
    assert_eq!(
        matrix(&policy).to_markdown(),
        "\
| Capability            | Admin | Editor | Viewer |
|-----------------------|-------|--------|--------|
| User management       | Y     | N      | N      |
| View flows            | Y     | Y      | Y      |
| Create and edit flows | Y     | Y      | N      |
| Manage connections    | Y     | Y      | N      |
| Billing               | Y     | N      | N      |
"
    );
}

#[test]
fn a_matrix_renders_as_aligned_text() {
    let policy = model();
    assert_eq!(
        matrix(&policy).with_heading("Action").to_string(),
        "\
Action                 Admin  Editor  Viewer
---------------------  -----  ------  ------
User management        Y      N       N
View flows             Y      Y       Y
Create and edit flows  Y      Y       N
Manage connections     Y      Y       N
Billing                Y      N       N
"
    );
}

#[test]
fn each_cell_is_the_decision_of_authorize() {
    let policy = model();
    let matrix = matrix(&policy);
    assert_eq!(matrix.cells().count(), 5 * 3);
    for (row, action, resource) in matrix.rows() {
        for (column, subject) in matrix.columns() {
            assert_eq!(
                matrix.decision(row, column),
                Some(policy.authorize(&subject, action, resource)),
                "{row} / {column}",
            );
        }
    }
    assert_eq!(matrix.decision("Deploy", "Admin"), None);
    assert_eq!(matrix.decision("Billing", "Owner"), None);
}

#[test]
fn compute_at_puts_every_row_at_one_resource() {
    let policy = model();
    let sync = policy.resource_id("sync").unwrap();
    let matrix = Matrix::compute_at(
        &policy,
        sync,
        [
            ("View", Action::View),
            ("Run", Action::Execute),
            ("Run by hand", Action::ExecuteLimited),
        ],
        [
            ("Viewer", web(&policy, "vi")),
            ("Guest", web(&policy, "guest")),
        ],
    );
    assert!(matrix.rows().all(|(_, _, resource)| resource == sync));
    assert_eq!(
        matrix.to_markdown(),
        "\
| Capability  | Viewer | Guest |
|-------------|--------|-------|
| View        | Y      | N     |
| Run         | N      | N     |
| Run by hand | Y      | N     |
"
    );
}

#[test]
fn a_matching_table_passes() {
    let policy = model();
    matrix(&policy).check(EXPECTED).unwrap();
}

#[test]
fn a_table_may_list_some_rows_and_columns_in_any_order() {
    let policy = model();
    matrix(&policy)
        .check(
            "
            | Capability | Viewer | Admin |
            |---|---|---|
            | Billing    | N      | Y     |
            | View flows | Y      | Y     |
            ",
        )
        .unwrap();
}

#[test]
fn every_wrong_cell_is_reported_with_its_reason() {
    let policy = model();
    let error = matrix(&policy)
        .check(
            "
    | Action                | Admin | Editor | Viewer |
    |-----------------------|-------|--------|--------|
    | User management       | Y     | Y (I)  | N      |
    | View flows            | Y     | Y      | Y      |
    | Create and edit flows | Y     | Y      | Y²     |
    | Manage connections    | Y     | Y      | N      |
    | Billing               | N     | N      | N      |
",
        )
        .unwrap_err();

    let cells: Vec<_> = error
        .mismatches()
        .iter()
        .map(|m| (m.line(), m.row(), m.column(), m.written(), m.expected()))
        .collect();
    assert_eq!(
        cells,
        [
            (4, "User management", "Editor", "Y (I)", true),
            (6, "Create and edit flows", "Viewer", "Y²", true),
            (8, "Billing", "Admin", "N", false),
        ]
    );
    assert!(matches!(error, CheckError::Mismatches { checked: 15, .. }));
    assert_eq!(
        error.to_string(),
        r#"3 of 15 cells differ from the expected matrix:
- line 4, row "User management", column "Editor": the table says "Y (I)" (allowed), the policy denies: the roles held here do not include manage_members
- line 6, row "Create and edit flows", column "Viewer": the table says "Y²" (allowed), the policy denies: the roles held here do not include edit
- line 8, row "Billing", column "Admin": the table says "N" (denied), the policy allows: user "ada" holds the role "admin" on organization "acme""#
    );
    // A test that unwraps the check shows the same report.
    assert_eq!(format!("{error:?}"), error.to_string());
}

#[test]
fn a_mismatch_carries_the_decision_and_its_explanation() {
    let policy = model();
    let matrix = Matrix::compute_at(
        &policy,
        policy.resource_id("ops").unwrap(),
        [("View", Action::View)],
        [("Guest", web(&policy, "guest"))],
    );
    let error = matrix
        .check("| | Guest |\n|---|---|\n| View | ✓ |")
        .unwrap_err();
    let [mismatch] = error.mismatches() else {
        panic!("one mismatch expected: {error}");
    };
    let decision = matrix.decision("View", "Guest").unwrap();
    assert_eq!(mismatch.actual(), decision);
    assert_eq!(
        mismatch.reason(),
        policy.explain(decision.reason()).to_string()
    );
}

#[test]
fn notes_and_footnotes_after_the_verdict_are_ignored() {
    let policy = model();
    // Every way PRODUCTS.md and common Markdown write a verdict.
    matrix(&policy)
        .check(
            r"
    | Action                | Admin        | Editor   | Viewer  |
    |:----------------------|:------------:|:--------:|--------:|
    | User management       | Y (S)        | N (I)    | no      |
    | View flows            | yes          | Y¹       | ✓ (S)   |
    | Create and edit flows | Y (D: view)  | Y²       | ✗       |
    | Manage connections    | **Y**        | Y3       | -       |
    | Billing               | y            | n (D)    | ? (I)   |
",
        )
        .unwrap();
}

#[test]
fn a_question_mark_expects_the_conservative_deny() {
    let policy = model();
    let error = matrix(&policy)
        .check(
            "
            | Action     | Viewer |
            |------------|--------|
            | View flows | ?      |
            ",
        )
        .unwrap_err();
    let [mismatch] = error.mismatches() else {
        panic!("one mismatch expected: {error}");
    };
    assert!(!mismatch.expected());
    assert_eq!(mismatch.written(), "?");
}

#[test]
fn the_caller_maps_product_words_to_yes_or_no() {
    let policy = model();
    let table = "
        | Action                | Admin                              | Viewer  |
        |-----------------------|------------------------------------|---------|
        | Create and edit flows | reduced: no changes that break (S) | limited |
    ";
    let read = |cell: &str| match cell {
        "limited" => Some(false),
        cell if cell.starts_with("reduced") => Some(true),
        _ => None,
    };
    matrix(&policy).check_with(table, read).unwrap();
    // The hook is asked first, and may overrule the usual reading.
    let contrary = matrix(&policy).check_with(EXPECTED, |cell| (cell == "Y").then_some(false));
    assert!(!contrary.unwrap_err().mismatches().is_empty());
}

#[test]
fn a_rendered_matrix_checks_against_itself() {
    let policy = model();
    let sync = policy.resource_id("sync").unwrap();
    // A `|` in a label is escaped when rendered, and read back.
    let matrix = Matrix::compute_at(
        &policy,
        sync,
        [("View | open", Action::View), ("Edit", Action::Edit)],
        [("Viewer | read-only", web(&policy, "vi"))],
    );
    let markdown = matrix.to_markdown();
    assert!(markdown.contains(r"| View \| open |"), "{markdown}");
    matrix.check(&markdown).unwrap();
}

#[test]
fn malformed_tables_are_errors_that_name_the_line() {
    let policy = model();
    let matrix = matrix(&policy);
    let rows: Vec<String> = matrix.rows().map(|(label, ..)| label.into()).collect();
    let columns: Vec<String> = matrix.columns().map(|(label, _)| label.into()).collect();
    let text = String::from;
    let cases: Vec<(&str, &str, TableError)> = vec![
        ("empty", "", TableError::Empty),
        ("blank", "\n   \n", TableError::Empty),
        (
            "prose, not a table",
            "\nthe admin may do everything\n",
            TableError::NotARow {
                line: 2,
                text: text("the admin may do everything"),
            },
        ),
        (
            "no delimiter row: no header",
            "| Billing | Y | N | N |\n| View flows | Y | Y | Y |",
            TableError::NoHeader {
                line: 1,
                text: text("| Billing | Y | N | N |"),
            },
        ),
        (
            "a header alone",
            "\n\n| Action | Admin |",
            TableError::NoHeader {
                line: 3,
                text: text("| Action | Admin |"),
            },
        ),
        (
            "a header without columns",
            "| Action |\n|---|",
            TableError::NoColumns {
                line: 1,
                text: text("| Action |"),
            },
        ),
        (
            "a delimiter row too short",
            "| Action | Admin | Editor |\n|---|---|",
            TableError::WrongCellCount {
                line: 2,
                expected: 3,
                found: 2,
                text: text("|---|---|"),
            },
        ),
        (
            "a row with a cell too many",
            "| Action | Admin |\n|---|---|\n| Billing | Y |\n| View flows | Y | Y |",
            TableError::WrongCellCount {
                line: 4,
                expected: 2,
                found: 3,
                text: text("| View flows | Y | Y |"),
            },
        ),
        (
            "a row with a cell too few",
            "| Action | Admin | Editor |\n|---|---|---|\n| Billing | Y |",
            TableError::WrongCellCount {
                line: 3,
                expected: 3,
                found: 2,
                text: text("| Billing | Y |"),
            },
        ),
        (
            "a row that is not a row",
            "| Action | Admin |\n|---|---|\n\nBilling: Y",
            TableError::NotARow {
                line: 4,
                text: text("Billing: Y"),
            },
        ),
        (
            "an unknown column",
            "| Action | Admin | Owner |\n|---|---|---|",
            TableError::UnknownColumn {
                line: 1,
                label: text("Owner"),
                known: columns.clone(),
            },
        ),
        (
            "a column twice",
            "| Action | Admin | Admin |\n|---|---|---|",
            TableError::DuplicateColumn {
                line: 1,
                label: text("Admin"),
            },
        ),
        (
            "an unknown row",
            "| Action | Admin |\n|---|---|\n| Billing | Y |\n| Deploy | Y |",
            TableError::UnknownRow {
                line: 4,
                label: text("Deploy"),
                known: rows.clone(),
            },
        ),
        (
            "a row twice",
            "| Action | Admin |\n|---|---|\n| Billing | Y |\n\n| Billing | Y |",
            TableError::DuplicateRow {
                line: 5,
                label: text("Billing"),
                first: 3,
            },
        ),
        (
            "a word that is neither yes nor no",
            "| Action | Admin | Viewer |\n|---|---|---|\n| Billing | Y | limited |",
            TableError::UnreadableCell {
                line: 3,
                row: text("Billing"),
                column: text("Viewer"),
                text: text("limited"),
            },
        ),
        (
            "an empty cell",
            "| Action | Admin |\n|---|---|\n| Billing |  |",
            TableError::UnreadableCell {
                line: 3,
                row: text("Billing"),
                column: text("Admin"),
                text: text(""),
            },
        ),
    ];
    let mut failures = Vec::new();
    for (case, table, expected) in cases {
        match matrix.check(table) {
            Err(CheckError::Table(error)) if error == expected => {
                // The message names the line it reports.
                if let Some(line) = line_of(&error) {
                    let message = error.to_string();
                    if !message.starts_with(&format!("line {line}")) {
                        failures.push(format!(
                            "{case}: message {message:?} does not start with its line"
                        ));
                    }
                }
            }
            other => failures.push(format!("{case}: expected {expected:?}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_malformed_table_is_reported_before_any_cell_is_compared() {
    let policy = model();
    // Line 3 is wrong, and so is line 4: the table error wins.
    let error = matrix(&policy)
        .check("| Action | Admin |\n|---|---|\n| Billing | N |\n| Deploy | Y |")
        .unwrap_err();
    assert!(error.mismatches().is_empty());
    assert_eq!(
        error.to_string(),
        r#"the expected matrix cannot be read: line 4: the matrix has no row "Deploy"; its rows are ["User management", "View flows", "Create and edit flows", "Manage connections", "Billing"]"#
    );
}

/// The line a table error names, if it names one.
fn line_of(error: &TableError) -> Option<usize> {
    match *error {
        TableError::NotARow { line, .. }
        | TableError::NoHeader { line, .. }
        | TableError::NoColumns { line, .. }
        | TableError::WrongCellCount { line, .. }
        | TableError::DuplicateColumn { line, .. }
        | TableError::DuplicateRow { line, .. }
        | TableError::UnknownColumn { line, .. }
        | TableError::UnknownRow { line, .. }
        | TableError::UnreadableCell { line, .. } => Some(line),
        _ => None,
    }
}
