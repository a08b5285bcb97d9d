//! Strings in, strings out: every value a host reads from a URL, a header
//! or a document has one `snake_case` spelling, shared by `Display`,
//! `FromStr` and serde, and parsing what was formatted gives the value back.

use clearance::{
    Action, Channel, Channels, Class, Effect, ParseError, Permissions as P, ResourceKind as K,
    Status, UserType, UserTypes,
};
use proptest::prelude::*;
use std::fmt::{Debug, Display};
use std::str::FromStr;

/// `value` is written `spelling`, and `spelling` reads as `value`.
#[track_caller]
fn assert_spelt<T>(value: T, spelling: &str)
where
    T: Display + FromStr<Err = ParseError> + PartialEq + Debug,
{
    assert_eq!(value.to_string(), spelling, "{value:?}");
    assert_eq!(spelling.parse::<T>(), Ok(value), "{spelling:?}");
}

#[test]
fn every_named_action_is_spelt_as_its_name_in_snake_case() {
    let table = [
        (Action::View, "view"),
        (Action::Create, "create"),
        (Action::Edit, "edit"),
        (Action::Delete, "delete"),
        (Action::Execute, "execute"),
        (Action::ExecuteLimited, "execute_limited"),
        (Action::ExecuteAsOthers, "execute_as_others"),
        (Action::ViewExecutions, "view_executions"),
        (Action::Share, "share"),
        (Action::Publish, "publish"),
        (Action::Export, "export"),
        (Action::Import, "import"),
        (Action::ManageMembers, "manage_members"),
        (Action::ManageSettings, "manage_settings"),
        (Action::ManageBilling, "manage_billing"),
        (Action::ManageApiKeys, "manage_api_keys"),
        (Action::ManageIntegrations, "manage_integrations"),
        (Action::ViewAudit, "view_audit"),
        (Action::ViewAnalytics, "view_analytics"),
        (Action::Use, "use"),
    ];
    assert_eq!(table.len(), Action::ALL.len());
    for (action, spelling) in table {
        assert_spelt(action, spelling);
        // The permission the action needs has the action's name.
        assert_spelt(action.permissions(), spelling);
    }
    assert_spelt(Action::Custom(P::VIEW | P::EDIT), "custom(view | edit)");
    assert_spelt(
        Action::Custom(P::from_bits_retain(1 << 40)),
        "custom(0x10000000000)",
    );
    assert_spelt(Action::Custom(P::empty()), "custom(nothing)");
}

#[test]
fn channels_kinds_effects_user_types_statuses_and_classes_have_one_spelling_each() {
    for (channel, spelling) in [
        (Channel::Web, "web"),
        (Channel::App, "app"),
        (Channel::Api, "api"),
        (Channel::Link, "link"),
    ] {
        assert_spelt(channel, spelling);
        assert_spelt(channel.as_set(), spelling);
    }
    let kinds = [
        (K::Organization, "organization"),
        (K::Tenant, "tenant"),
        (K::Workspace, "workspace"),
        (K::Project, "project"),
        (K::Folder, "folder"),
        (K::Flow, "flow"),
        (K::Form, "form"),
        (K::Page, "page"),
        (K::View, "view"),
        (K::Dataset, "dataset"),
        (K::Value, "value"),
        (K::Connection, "connection"),
        (K::Connector, "connector"),
        (K::Template, "template"),
        (K::Asset, "asset"),
        (K::BrandKit, "brand_kit"),
        (K::Audience, "audience"),
        (K::Queue, "queue"),
        (K::KnowledgeBase, "knowledge_base"),
        (K::Environment, "environment"),
        (K::Runtime, "runtime"),
        (K::Player, "player"),
        (K::Macro, "macro"),
        (K::Dashboard, "dashboard"),
        (K::Execution, "execution"),
    ];
    assert_eq!(kinds.len(), K::COUNT);
    for (kind, spelling) in kinds {
        assert_spelt(kind, spelling);
        // The label is the same words, for sentences.
        assert_eq!(kind.label(), spelling.replace('_', " "));
    }
    for (effect, spelling) in [
        (Effect::Allow, "allow"),
        (Effect::Override, "override"),
        (Effect::Deny, "deny"),
    ] {
        assert_spelt(effect, spelling);
    }
    let user_types = [
        (UserType::Native, "native"),
        (UserType::NativeAdmin, "native_admin"),
        (UserType::Connected, "connected"),
        (UserType::System, "system"),
        (UserType::Interface, "interface"),
        (UserType::Public, "public"),
    ];
    assert_eq!(user_types.len(), UserType::ALL.len());
    for (user_type, spelling) in user_types {
        assert_spelt(user_type, spelling);
        assert_spelt(user_type.as_set(), spelling);
    }
    for (status, spelling) in [
        (Status::Active, "active"),
        (Status::Suspended, "suspended"),
        (Status::Deactivated, "deactivated"),
        (Status::Invited { until: 0 }, "invited until 0"),
        (
            Status::Invited { until: u64::MAX },
            "invited until 18446744073709551615",
        ),
    ] {
        assert_spelt(status, spelling);
    }
    for (class, spelling) in [
        (Class::Allowed, "allowed"),
        (Class::Unauthenticated, "unauthenticated"),
        (Class::NotFound, "not_found"),
        (Class::Forbidden, "forbidden"),
        (Class::Invalid, "invalid"),
    ] {
        assert_spelt(class, spelling);
    }
}

#[test]
fn sets_are_names_joined_by_a_bar_and_nothing_when_empty() {
    assert_spelt(P::VIEW | P::EDIT, "view | edit");
    assert_spelt(P::empty(), "nothing");
    assert_spelt(
        P::MANAGE_API_KEYS | P::from_bits_retain(1 << 40 | 1 << 63),
        "manage_api_keys | 0x8000010000000000",
    );
    assert_spelt(Channels::WEB | Channels::API, "web | api");
    assert_spelt(Channels::empty(), "nothing");
    assert_spelt(
        UserTypes::NATIVE | UserTypes::NATIVE_ADMIN,
        "native | native_admin",
    );
    // Spaces around the bar are optional when reading.
    assert_eq!("view|edit".parse(), Ok(P::VIEW | P::EDIT));
    assert_eq!("  view |edit ".parse(), Ok(P::VIEW | P::EDIT));
    assert_eq!("web|link".parse(), Ok(Channels::WEB | Channels::LINK));
}

#[test]
fn other_spellings_are_refused_naming_what_was_parsed_and_what_is_accepted() {
    let cases: [(&str, Result<(), ParseError>, &str, &str); 13] = [
        ("View", "View".parse::<Action>().map(drop), "action", "View"),
        (
            "manage members",
            "manage members".parse::<Action>().map(drop),
            "action",
            "manage members",
        ),
        (
            "custom()",
            "custom()".parse::<Action>().map(drop),
            "permission",
            "",
        ),
        ("VIEW", "VIEW".parse::<P>().map(drop), "permission", "VIEW"),
        ("empty", "".parse::<P>().map(drop), "permission", ""),
        (
            "view||edit",
            "view||edit".parse::<P>().map(drop),
            "permission",
            "",
        ),
        ("0x", "0x".parse::<P>().map(drop), "permission", "0x"),
        ("0x+1", "0x+1".parse::<P>().map(drop), "permission", "0x+1"),
        (
            "hex channel",
            "0x1".parse::<Channels>().map(drop),
            "channel",
            "0x1",
        ),
        (
            "Organization",
            "Organization".parse::<K>().map(drop),
            "resource kind",
            "Organization",
        ),
        (
            "knowledge base",
            "knowledge base".parse::<K>().map(drop),
            "resource kind",
            "knowledge base",
        ),
        (
            "invited",
            "invited".parse::<Status>().map(drop),
            "status",
            "invited",
        ),
        (
            "invited until +5",
            "invited until +5".parse::<Status>().map(drop),
            "status",
            "invited until +5",
        ),
    ];
    for (case, result, what, input) in cases {
        let error = result.expect_err(case);
        assert_eq!(error.what(), what, "{case}");
        assert_eq!(error.input(), input, "{case}");
        assert!(!error.accepted().is_empty(), "{case}");
        let message = error.to_string();
        assert!(
            message.starts_with(&format!(
                "unknown {what} {input:?}; the accepted spellings are "
            )),
            "{case}: {message}"
        );
    }
    let error = "Veiw".parse::<Effect>().unwrap_err();
    assert_eq!(
        error.to_string(),
        r#"unknown effect "Veiw"; the accepted spellings are allow, override, deny"#
    );
}

#[test]
fn a_huge_or_hostile_input_makes_a_short_escaped_error() {
    let huge = "x".repeat(1_000_000);
    let error = huge.parse::<Action>().unwrap_err();
    assert_eq!(error.input().chars().count(), ParseError::MAX_INPUT);
    assert!(error.to_string().len() < 1_000);
    assert!(error.to_string().contains("(cut short)"));

    let hostile = "view\n- forged\u{1b}[2J\u{202e}";
    let error = hostile.parse::<Action>().unwrap_err();
    let message = error.to_string();
    assert!(
        !message.contains('\n') && !message.contains('\u{1b}') && !message.contains('\u{202e}')
    );
}

#[cfg(feature = "serde")]
mod serde_spelling {
    use super::*;
    use serde::{de::DeserializeOwned, Serialize};

    /// serde writes the `Display` spelling as a string, and reads it back.
    #[track_caller]
    fn assert_serde_spelt<T>(value: T)
    where
        T: Display + Serialize + DeserializeOwned + PartialEq + Debug,
    {
        let json = serde_json::to_string(&value).ok();
        assert_eq!(json, serde_json::to_string(&value.to_string()).ok());
        let read = json.and_then(|json| serde_json::from_str::<T>(&json).ok());
        assert_eq!(read, Some(value));
    }

    #[test]
    fn serde_writes_and_reads_the_display_spelling() {
        for action in Action::ALL {
            assert_serde_spelt(action);
            assert_serde_spelt(action.permissions());
        }
        assert_serde_spelt(Action::Custom(P::VIEW | P::from_bits_retain(1 << 50)));
        assert_serde_spelt(P::empty());
        for kind in K::ALL {
            assert_serde_spelt(kind);
        }
        for user_type in UserType::ALL {
            assert_serde_spelt(user_type);
            assert_serde_spelt(user_type.as_set());
        }
        for channel in [Channel::Web, Channel::App, Channel::Api, Channel::Link] {
            assert_serde_spelt(channel);
        }
        for effect in [Effect::Allow, Effect::Override, Effect::Deny] {
            assert_serde_spelt(effect);
        }
        for class in Class::ALL {
            assert_serde_spelt(class);
        }
    }

    #[test]
    fn a_status_keeps_its_tagged_shape_with_the_same_names() {
        for (status, json) in [
            (Status::Active, r#""active""#),
            (Status::Suspended, r#""suspended""#),
            (Status::Deactivated, r#""deactivated""#),
            (Status::Invited { until: 5 }, r#"{"invited":{"until":5}}"#),
        ] {
            assert_eq!(serde_json::to_string(&status).unwrap(), json);
            assert_eq!(serde_json::from_str::<Status>(json).unwrap(), status);
        }
    }

    /// No old spelling is read: a document written before is refused
    /// with the accepted spellings, never read as something else.
    #[test]
    fn old_spellings_are_refused_by_serde() {
        for old in [r#""VIEW | EDIT""#, r#""""#] {
            let error = serde_json::from_str::<P>(old).unwrap_err().to_string();
            assert!(
                error.contains("the accepted spellings are view, create"),
                "{error}"
            );
        }
        for old in [r#""View""#, r#"{"Custom":"VIEW"}"#] {
            assert!(serde_json::from_str::<Action>(old).is_err(), "{old}");
        }
        assert!(serde_json::from_str::<Channels>(r#""WEB""#).is_err());
        assert!(serde_json::from_str::<UserTypes>(r#""NATIVE""#).is_err());
    }
}

proptest! {
    #[test]
    fn every_permission_set_round_trips(bits in any::<u64>()) {
        let set = P::from_bits_retain(bits);
        prop_assert_eq!(set.to_string().parse::<P>(), Ok(set));
        let custom = Action::Custom(set);
        prop_assert_eq!(custom.to_string().parse::<Action>(), Ok(custom));
    }

    #[test]
    fn every_channel_and_user_type_set_round_trips(bits in any::<u8>()) {
        let channels = Channels::from_bits_truncate(bits);
        prop_assert_eq!(channels.to_string().parse::<Channels>(), Ok(channels));
        let user_types = UserTypes::from_bits_truncate(bits);
        prop_assert_eq!(user_types.to_string().parse::<UserTypes>(), Ok(user_types));
    }

    #[test]
    fn every_invitation_round_trips(until in any::<u64>()) {
        let status = Status::Invited { until };
        prop_assert_eq!(status.to_string().parse::<Status>(), Ok(status));
    }

    /// Whatever the text, parsing answers, never panics, and an error
    /// holds at most `MAX_INPUT` characters of it.
    #[test]
    fn hostile_strings_never_panic(text in ".{0,200}|[a-z_ |()0-9x+-]{0,80}") {
        fn check<T: FromStr<Err = ParseError>>(text: &str) -> Result<(), TestCaseError> {
            if let Err(error) = text.parse::<T>() {
                prop_assert!(error.input().chars().count() <= ParseError::MAX_INPUT);
                prop_assert!(!error.to_string().is_empty());
            }
            Ok(())
        }
        check::<Action>(&text)?;
        check::<P>(&text)?;
        check::<Channel>(&text)?;
        check::<Channels>(&text)?;
        check::<K>(&text)?;
        check::<Effect>(&text)?;
        check::<UserType>(&text)?;
        check::<UserTypes>(&text)?;
        check::<Status>(&text)?;
        check::<Class>(&text)?;
    }
}
