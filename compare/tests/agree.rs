//! clearance, cedar-policy (in its three encodings) and casbin give the same
//! answer on the standard benchmark model: the four fixed requests of the
//! benchmarks, 100,000 random ones, and every request a deny grant decides.
//! Any disagreement fails with the request, every answer, clearance's reason
//! and the Cedar policies that decided.

#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "test setup: a model that cannot be encoded must stop the test loudly"
)]

// The standard model exactly as the library's benchmarks build it. Formatted
// by the root crate's `cargo fmt`, not this package's.
#[rustfmt::skip]
#[path = "../../benches/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::thread;

use clearance::{Action, Channel, Policy, Reason, ResourceId, ResourceKind, Subject};
use clearance_compare::{CasbinEngine, CedarEncoding, CedarEngine, Holder, Model, NamedRequest};

/// The standard model in every engine.
struct Engines {
    policy: Policy,
    /// One per encoding.
    cedar: [(CedarEncoding, CedarEngine); 3],
    casbin: CasbinEngine,
}

/// What every engine answered to one request.
struct Answers {
    clearance: bool,
    /// clearance's reason.
    reason: Reason,
    /// One per encoding, in the order of `Engines::cedar`.
    cedar: [bool; 3],
    casbin: bool,
    /// Cedar's evaluation errors (none in a correct encoding).
    cedar_errors: usize,
}

impl Answers {
    fn agree(&self) -> bool {
        self.cedar.iter().all(|&cedar| cedar == self.clearance) && self.casbin == self.clearance
    }
}

impl Engines {
    fn standard() -> Engines {
        let policy = common::standard_policy();
        let model = Model::read(&policy).expect("the standard model can be encoded");
        let cedar = [
            CedarEncoding::TemplateLinks,
            CedarEncoding::EntityAttributes,
            // Every request here is about a flow.
            CedarEncoding::FixedPaths(ResourceKind::Flow),
        ]
        .map(|encoding| {
            let engine =
                CedarEngine::new(&model, encoding).expect("Cedar takes the standard model");
            (encoding, engine)
        });
        let casbin = CasbinEngine::new(&model).expect("casbin takes the standard model");
        Engines {
            policy,
            cedar,
            casbin,
        }
    }

    fn name(&self, (subject, action, resource): &(Subject, Action, ResourceId)) -> NamedRequest {
        NamedRequest::of(&self.policy, subject, *action, *resource)
            .expect("the standard model's requests can be named")
    }

    fn answer(&self, request: &(Subject, Action, ResourceId)) -> Answers {
        let (subject, action, resource) = request;
        let named = self.name(request);
        let decision = self.policy.authorize(subject, *action, *resource);
        let mut cedar_errors = 0;
        let cedar = self.cedar.each_ref().map(|(_, engine)| {
            let request = engine.request(&named).expect("Cedar takes the request");
            let response = engine.response(&request);
            cedar_errors += response.diagnostics().errors().count();
            response.decision() == cedar_policy::Decision::Allow
        });
        Answers {
            clearance: decision.is_allowed(),
            reason: decision.reason(),
            cedar,
            casbin: self
                .casbin
                .is_allowed(&self.casbin.request(&named))
                .expect("casbin evaluates the request"),
            cedar_errors,
        }
    }

    /// The request, every answer and the explanations.
    fn describe(&self, request: &(Subject, Action, ResourceId), answers: &Answers) -> String {
        let (subject, action, resource) = request;
        let named = self.name(request);
        let decision = self.policy.authorize(subject, *action, *resource);
        let mut line = format!(
            "{named}: clearance {} ({})",
            verdict(answers.clearance),
            self.policy.explain(decision.reason()),
        );
        for ((encoding, engine), allowed) in self.cedar.iter().zip(answers.cedar) {
            let request = engine.request(&named).expect("Cedar takes the request");
            let _ = write!(
                line,
                ", {} {} ({})",
                encoding.engine_name(),
                verdict(allowed),
                engine.explain(&request)
            );
        }
        let _ = write!(line, ", casbin {}", verdict(answers.casbin));
        line
    }
}

fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "allows"
    } else {
        "denies"
    }
}

#[test]
fn the_fixed_cases_of_the_benchmarks_agree_and_are_what_they_are_named() {
    let engines = Engines::standard();
    let cases = common::cases(&engines.policy);
    let fixed = [
        ("allowed_team_folder", cases.allowed_team_folder, true),
        ("denied_no_relation", cases.denied_no_relation, false),
        ("org_admin", cases.org_admin, true),
        ("suspended", cases.suspended, false),
    ];
    for (name, request, expected) in fixed {
        let answers = engines.answer(&request);
        assert!(
            answers.agree() && answers.clearance == expected && answers.cedar_errors == 0,
            "{name}: expected every engine to {}; {}",
            verdict(expected).trim_end_matches('s'),
            engines.describe(&request, &answers)
        );
    }
}

/// What the engines answered to many requests.
#[derive(Default)]
struct Tally {
    requests: usize,
    allowed: usize,
    /// clearance's reasons, by kind.
    reasons: BTreeMap<&'static str, usize>,
    cedar_errors: usize,
    disagreements: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.requests += other.requests;
        self.allowed += other.allowed;
        for (reason, count) in other.reasons {
            *self.reasons.entry(reason).or_default() += count;
        }
        self.cedar_errors += other.cedar_errors;
        self.disagreements.extend(other.disagreements);
    }

    fn denied(&self) -> usize {
        self.requests - self.allowed
    }

    /// Fails with the first disagreements, if any, and on Cedar errors.
    #[track_caller]
    fn assert_agreement(&self) {
        if !self.disagreements.is_empty() {
            let mut report = format!(
                "{} of {} requests get different answers; the first ones:\n",
                self.disagreements.len(),
                self.requests
            );
            for line in self.disagreements.iter().take(20) {
                let _ = writeln!(report, "- {line}");
            }
            panic!("{report}");
        }
        assert_eq!(self.cedar_errors, 0, "Cedar reported evaluation errors");
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} requests: {} allowed, {} denied by every engine; clearance's reasons:",
            self.requests,
            self.allowed,
            self.denied()
        )?;
        for (reason, count) in &self.reasons {
            write!(f, " {reason} {count};")?;
        }
        Ok(())
    }
}

/// The kind of clearance's reason, for the tally.
fn reason_kind(reason: Reason) -> &'static str {
    match reason {
        Reason::Granted { .. } => "granted",
        Reason::NotMember => "no grant relates the user",
        Reason::RoleLacks { .. } => "the role lacks the action",
        Reason::Denied { .. } => "a deny grant wins",
        Reason::Suspended => "suspended",
        _ => "other",
    }
}

/// Asks every engine every request, on every core (casbin evaluates
/// its matcher once per rule per request).
fn ask_all(engines: &Engines, requests: &[(Subject, Action, ResourceId)]) -> Tally {
    let threads = thread::available_parallelism().map_or(1, usize::from);
    let chunk = requests.len().div_ceil(threads).max(1);
    thread::scope(|scope| {
        let workers: Vec<_> = requests
            .chunks(chunk)
            .map(|requests| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for request in requests {
                        let answers = engines.answer(request);
                        tally.requests += 1;
                        tally.allowed += usize::from(answers.clearance);
                        *tally
                            .reasons
                            .entry(reason_kind(answers.reason))
                            .or_default() += 1;
                        tally.cedar_errors += answers.cedar_errors;
                        if !answers.agree() {
                            tally
                                .disagreements
                                .push(engines.describe(request, &answers));
                        }
                    }
                    tally
                })
            })
            .collect();
        let mut tally = Tally::default();
        for worker in workers {
            tally.add(worker.join().expect("a worker thread panicked"));
        }
        tally
    })
}

#[test]
fn every_engine_agrees_on_100_000_random_requests() {
    const REQUESTS: usize = 100_000;
    let engines = Engines::standard();
    let requests = common::random_requests(&engines.policy, REQUESTS);
    let tally = ask_all(&engines, &requests);
    println!("{tally}");
    for (encoding, engine) in &engines.cedar {
        println!(
            "{} evaluates {} policies per request",
            encoding.engine_name(),
            engine.policy_count()
        );
    }
    println!(
        "casbin runs its matcher over {} p rules per request ({} rules in all)",
        engines.casbin.policy_count(),
        engines.casbin.rule_count(),
    );
    tally.assert_agreement();
    // Not vacuous: both answers are common.
    assert!(
        tally.allowed >= REQUESTS / 100 && tally.denied() >= REQUESTS / 100,
        "{tally}: the random requests no longer exercise both answers"
    );
}

/// Random requests almost never meet the model's few item-level denies on
/// a flow the user could otherwise reach, so every member of a team with a
/// deny grant asks every benchmarked action on the denied resource.
#[test]
fn every_engine_agrees_where_deny_grants_apply() {
    let engines = Engines::standard();
    let model = Model::read(&engines.policy).expect("the standard model can be encoded");
    let actions = [Action::View, Action::Edit, Action::Execute, Action::Delete];
    let mut requests = Vec::new();
    for grant in model.grants.iter().filter(|grant| grant.deny) {
        let resource = engines
            .policy
            .resource_id(&grant.scope)
            .expect("a grant's scope exists");
        let holders = model.users.iter().filter(|user| match &grant.to {
            Holder::User(name) => &user.name == name,
            Holder::Team(team) => user.teams.contains(team),
        });
        for user in holders {
            let user = engines.policy.user_id(&user.name).expect("the user exists");
            for action in actions {
                requests.push((Subject::user(user, Channel::Web), action, resource));
            }
        }
    }
    let tally = ask_all(&engines, &requests);
    println!("{tally}");
    tally.assert_agreement();
    assert!(
        tally.reasons.get("a deny grant wins").copied().unwrap_or(0) >= 10,
        "{tally}: too few requests where a deny grant overrules an allow"
    );
}

/// The fixed-paths encoding is the small policy set issue 17 describes: a
/// `forbid` for inactive accounts, a `permit` per role on the grant sets
/// of the flow's folder and workspace (and `admin`'s on the organization
/// as a group), and a `forbid` for the item-level denies.
#[test]
fn the_fixed_paths_encoding_is_six_policies() {
    let engines = Engines::standard();
    let (_, fixed) = engines
        .cedar
        .iter()
        .find(|(encoding, _)| matches!(encoding, CedarEncoding::FixedPaths(_)))
        .expect("the fixed-paths encoding is among the engines");
    let text = fixed.policy_text();
    println!("{text}");
    assert_eq!(fixed.policy_count(), 6, "{text}");
    for path in [
        "principal in resource.folder.allow_editor",
        "principal in resource.folder.workspace.allow_viewer",
        "principal in resource.deny_editor",
        "principal in Holders::\"allow admin\"",
    ] {
        assert!(text.contains(path), "no {path:?} in\n{text}");
    }
}

/// A small model with the grants the standard one lacks: roles other than
/// `admin` on the organization, an `Allow` on a flow, `Deny` grants on the
/// organization, a workspace and a folder; with one tenant (the root's
/// grants become groups) and with two (they stay sets on each root).
fn varied_policy(tenants: usize) -> Policy {
    use clearance::{Effect, Grantee, PolicyBuilder, ResourceKind as K, Status, User};
    let mut b = common::standard_roles(PolicyBuilder::new());
    for t in 0..tenants {
        let org = format!("org-{t}");
        b.tenant(org.clone(), K::Organization);
        for w in 0..2 {
            let ws = format!("ws-{t}-{w}");
            b.resource(ws.clone(), K::Workspace, org.clone());
            for f in 0..2 {
                let folder = format!("folder-{t}-{w}-{f}");
                b.resource(folder.clone(), K::Folder, ws.clone());
                for i in 0..3 {
                    b.resource(format!("flow-{t}-{w}-{f}-{i}"), K::Flow, folder.clone());
                }
            }
        }
        let team = |i: usize| format!("team-{t}-{i}");
        let user = |i: usize| format!("user-{t}-{i}");
        for i in 0..3 {
            b.team(team(i), org.clone());
        }
        for i in 0..10 {
            let mut account = User::new(user(i), org.clone()).member_of(team(i % 3));
            if i == 5 {
                account = account.status(Status::Suspended);
            }
            b.user(account);
        }
        let mut grant = |to: Grantee, scope: &str, role: &str, effect| {
            b.grant(to, scope.to_owned(), role, effect);
        };
        grant(Grantee::user(user(0)), &org, "admin", Effect::Allow);
        grant(Grantee::team(team(1)), &org, "viewer", Effect::Allow);
        grant(Grantee::user(user(1)), &org, "editor", Effect::Allow);
        grant(Grantee::user(user(2)), &org, "editor", Effect::Deny);
        grant(
            Grantee::user(user(2)),
            &format!("folder-{t}-0-1"),
            "editor",
            Effect::Allow,
        );
        grant(
            Grantee::user(user(3)),
            &format!("flow-{t}-1-0-2"),
            "editor",
            Effect::Allow,
        );
        grant(
            Grantee::team(team(2)),
            &format!("ws-{t}-1"),
            "viewer",
            Effect::Deny,
        );
        grant(
            Grantee::user(user(4)),
            &format!("ws-{t}-0"),
            "viewer",
            Effect::Allow,
        );
        grant(
            Grantee::user(user(5)),
            &format!("ws-{t}-0"),
            "admin",
            Effect::Allow,
        );
        grant(
            Grantee::user(user(0)),
            &format!("folder-{t}-1-1"),
            "admin",
            Effect::Deny,
        );
        grant(
            Grantee::team(team(0)),
            &format!("ws-{t}-1"),
            "editor",
            Effect::Allow,
        );
    }
    b.build().expect("the varied model is valid")
}

#[test]
fn the_fixed_paths_encoding_agrees_on_grants_the_standard_model_lacks() {
    for tenants in [1, 2] {
        let policy = varied_policy(tenants);
        let model = Model::read(&policy).expect("the varied model can be encoded");
        let fixed = CedarEngine::new(&model, CedarEncoding::FixedPaths(ResourceKind::Flow))
            .expect("Cedar takes the varied model");
        let actions = [Action::View, Action::Edit, Action::Execute, Action::Delete];
        let (mut asked, mut allowed, mut disagreements) = (0, 0, Vec::new());
        for user in &model.users {
            let id = policy.user_id(&user.name).expect("the user exists");
            let subject = Subject::user(id, Channel::Web);
            for flow in model
                .resources
                .iter()
                .filter(|r| r.kind == ResourceKind::Flow)
            {
                let resource = policy.resource_id(&flow.name).expect("the flow exists");
                for action in actions {
                    let decision = policy.authorize(&subject, action, resource);
                    let named = NamedRequest::of(&policy, &subject, action, resource)
                        .expect("the request can be named");
                    let request = fixed.request(&named).expect("Cedar takes the request");
                    let response = fixed.response(&request);
                    assert_eq!(
                        response.diagnostics().errors().count(),
                        0,
                        "{named}: {}",
                        fixed.explain(&request)
                    );
                    let cedar = response.decision() == cedar_policy::Decision::Allow;
                    asked += 1;
                    allowed += usize::from(decision.is_allowed());
                    if cedar != decision.is_allowed() {
                        disagreements.push(format!(
                            "{named}: clearance {} ({}), cedar_fixed_paths {} ({})",
                            verdict(decision.is_allowed()),
                            policy.explain(decision.reason()),
                            verdict(cedar),
                            fixed.explain(&request)
                        ));
                    }
                }
            }
        }
        assert!(
            disagreements.is_empty(),
            "{tenants} tenant(s): {} of {asked} requests disagree:\n{}\n{}",
            disagreements.len(),
            disagreements.join("\n"),
            fixed.policy_text()
        );
        assert!(
            allowed > asked / 10 && allowed < asked * 9 / 10,
            "{tenants} tenant(s): {allowed} of {asked} allowed: the model no longer exercises both answers"
        );
        println!(
            "{tenants} tenant(s): {asked} requests, {allowed} allowed, all agreeing\n{}",
            fixed.policy_text()
        );
    }
}
