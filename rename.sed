# Issue 15: names that collided get distinct ones. Idempotent: run it over
# any tree, as often as needed (a renamed name does not match again):
#
#   git ls-files -z '*.rs' | xargs -0 sed -i -f rename.sed
#
# Only Rust files: CHANGELOG.md speaks of `Reason::NotMember`, which stays.
# The variants' stable codes (`ChangeProblem::code`) do not change.

# The parallel variants of `ChangeProblem` take the names of `Problem`'s
# (one cause, one name): `Duplicate` -> `DuplicateName`, `SeatLimit` ->
# `SeatsExceeded`, `Ineligible` -> `IneligibleRole`. `ChangeProblem::NotMember`
# (a user not in a team) -> `NotInTeam`, apart from `Reason::NotMember` (a
# subject not a member of the tenant). Link texts that name a variant in
# docs, (`[`Duplicate`](crate::ChangeProblem::Duplicate)`), follow it.
s/`Duplicate`\](\([a-z_:]*\)ChangeProblem::Duplicate)/`DuplicateName`](\1ChangeProblem::DuplicateName)/g
s/`SeatLimit`\](\([a-z_:]*\)ChangeProblem::SeatLimit)/`SeatsExceeded`](\1ChangeProblem::SeatsExceeded)/g
s/`Ineligible`\](\([a-z_:]*\)ChangeProblem::Ineligible)/`IneligibleRole`](\1ChangeProblem::IneligibleRole)/g
s/`NotMember`\](\([a-z_:]*\)ChangeProblem::NotMember)/`NotInTeam`](\1ChangeProblem::NotInTeam)/g
s/\bChangeProblem::Duplicate\b/ChangeProblem::DuplicateName/g
s/\bChangeProblem::SeatLimit\b/ChangeProblem::SeatsExceeded/g
s/\bChangeProblem::Ineligible\b/ChangeProblem::IneligibleRole/g
s/\bChangeProblem::NotMember\b/ChangeProblem::NotInTeam/g

# The name table (`names::Names`, crate-internal) is `NameTable`, apart
# from the trait `decision::Names`; its importers drop their `as` alias.
s/\bnames::Names as NameTable\b/names::NameTable/g
s/\bNames as NameTable\b/NameTable/g
s/\bnames::Names\b/names::NameTable/g
