//! What the log's tests share: fresh files, a deterministic stream of
//! valid changes, a comparison of decisions, and a second CRC-32.

#![allow(dead_code, reason = "each test file uses a part")]
// clippy.toml allows these in `#[test]` functions only; these helpers are
// called from tests and fail them the way `assert!` does.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers fail the test by panicking"
)]

use std::path::{Path, PathBuf};

use clearance::{
    Action, Change, Channel, Condition, Effect, Grantee, Permissions, Policy, PolicyBuilder,
    ResourceKind, Role, Subject, User,
};

/// A path for a new log in the target's scratch directory, with nothing at
/// it (nor at its `-wal` and `-shm`).
pub fn fresh_path(name: &str) -> PathBuf {
    let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clearance-log");
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(format!("{name}-{}.db", std::process::id()));
    remove_log(&path);
    path
}

/// Removes a log's file and its companions.
pub fn remove_log(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// The policy every stream starts from (revision 0).
pub fn base_policy() -> Policy {
    PolicyBuilder::new()
        .tenant("acme", ResourceKind::Organization)
        .resource("ws", ResourceKind::Workspace, "acme")
        .role(Role::new("viewer").allow(
            [
                ResourceKind::Workspace,
                ResourceKind::Folder,
                ResourceKind::Flow,
            ],
            Permissions::VIEW,
        ))
        .role(Role::new("editor").allow(
            [ResourceKind::Folder, ResourceKind::Flow],
            Permissions::VIEW | Permissions::EDIT | Permissions::DELETE,
        ))
        .build()
        .unwrap()
}

fn grant(grantee: Grantee, scope: String, role: &str) -> Change {
    Change::Grant {
        grantee,
        scope,
        role: role.into(),
        effect: Effect::Allow,
        when: Condition::Always,
        by: None,
    }
}

/// The `index`-th change of the stream (0-based; it produces revision
/// `index + 1` from [`base_policy`]): teams, folders, users, memberships,
/// grants, revocations and suspensions, every one valid after the ones
/// before it.
pub fn nth_change(index: u64) -> Change {
    let k = index / 6;
    let team = format!("team-{k}");
    let folder = format!("folder-{k}");
    let user = format!("user-{k}");
    match index % 6 {
        0 => Change::AddTeam {
            name: team,
            tenant: "acme".into(),
        },
        1 => Change::AddResource {
            name: folder,
            kind: ResourceKind::Folder,
            // Every other folder nests in the one before, so moves of the
            // tree show in decisions.
            parent: Some(if k % 2 == 1 {
                format!("folder-{}", k - 1)
            } else {
                "ws".into()
            }),
        },
        2 => Change::AddUser(User::new(user, "acme")),
        3 => Change::AddMembership { user, team },
        4 => grant(Grantee::team(team), folder, "editor"),
        _ => match k % 3 {
            0 => Change::Suspend { user, by: None },
            1 => grant(Grantee::user(user), "ws".into(), "viewer"),
            _ => Change::Revoke {
                grantee: Grantee::team(team),
                scope: folder,
                role: "editor".into(),
                effect: Effect::Allow,
                by: None,
            },
        },
    }
}

/// The base policy with the first `count` changes of the stream applied.
pub fn policy_after(count: u64) -> Policy {
    let mut policy = base_policy();
    for index in 0..count {
        policy.apply(nth_change(index)).unwrap();
    }
    policy
}

/// Asserts that two policies hold the same model and decide alike over
/// every user of either × a set of actions × every resource of either.
#[track_caller]
pub fn assert_same_policy(recovered: &Policy, expected: &Policy) {
    assert_eq!(recovered.revision(), expected.revision());
    assert_eq!(recovered.to_document(), expected.to_document());
    let documents = [recovered.to_document(), expected.to_document()];
    let users: Vec<&str> = documents
        .iter()
        .flat_map(|document| document.users.iter().map(|user| user.name.as_str()))
        .collect();
    let resources: Vec<&str> = documents
        .iter()
        .flat_map(|document| {
            document
                .resources
                .iter()
                .map(|resource| resource.name.as_str())
        })
        .collect();
    let actions = [Action::View, Action::Edit, Action::Delete, Action::Execute];
    for user in &users {
        for resource in &resources {
            for action in actions {
                let decide = |policy: &Policy| {
                    let subject = Subject::user(policy.user_id(user).unwrap(), Channel::Web)
                        .at(1_700_000_000);
                    policy.authorize(&subject, action, policy.resource_id(resource).unwrap())
                };
                assert_eq!(
                    decide(recovered),
                    decide(expected),
                    "{user} {action:?} {resource}"
                );
            }
        }
    }
}

/// CRC-32 (IEEE) bit by bit: the log's table-driven checksum, written the
/// naive way, to forge rows as a newer version or a person would.
pub fn row_checksum(revision: u64, text: &[u8]) -> i64 {
    let mut crc = !0u32;
    for byte in revision.to_le_bytes().iter().chain(text) {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    i64::from(!crc)
}

/// Runs raw SQL on a log's file, as an operator's `sqlite3` shell would.
pub fn raw_sql(path: &Path, sql: &str) {
    let connection = rusqlite::Connection::open(path).unwrap();
    connection.execute_batch(sql).unwrap();
}
