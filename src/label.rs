//! Labels and grant conditions: attribute filters.
//! The concept is documented on [`Labels`], where users read it.

use core::fmt;

bitflags::bitflags! {
    /// A set of up to 64 host-defined attributes of a user or a resource:
    /// regions, departments, distribution lists, … A grant made
    /// [`when`](Condition) a condition on labels holds applies only to
    /// subjects and resources whose labels satisfy it (Smartflow's
    /// distribution query: a form is shown to the users of its regions).
    ///
    /// No bit has a name: the host decides what bit `i` means.
    ///
    /// ```
    /// use clearance::Labels;
    ///
    /// const EUROPE: Labels = Labels::bit(0);
    /// const AMERICAS: Labels = Labels::bit(1);
    /// let user = EUROPE;
    /// let form = EUROPE | AMERICAS;
    /// assert!(user.intersects(form));
    /// assert!(!user.contains(form));
    /// ```
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
    #[cfg_attr(feature = "serde", serde(transparent))]
    pub struct Labels: u64 {
        // Every bit is the host's.
        const _ = !0;
    }
}

impl Labels {
    /// The set holding only label number `index` (0 to 63; larger indices
    /// wrap around, so a mistake never panics).
    #[must_use]
    pub const fn bit(index: u32) -> Labels {
        Labels::from_bits_retain(1 << (index % 64))
    }
}

impl fmt::Display for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no labels");
        }
        let mut first = true;
        for index in 0..64u32 {
            if self.contains(Labels::bit(index)) {
                if !first {
                    f.write_str(", ")?;
                }
                first = false;
                write!(f, "label {index}")?;
            }
        }
        Ok(())
    }
}

/// When a grant applies, comparing the subject's [`Labels`] with those of
/// the resource asked about (not the grant's scope: a grant on a folder
/// reaches each form below it as that form's labels allow).
///
/// A link's holder is anonymous and has no labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[repr(u8)]
pub enum Condition {
    /// Always (an ordinary grant).
    #[default]
    Always,
    /// Only when the subject shares at least one label with the resource.
    LabelsIntersect,
    /// Only when the subject has every label of the resource.
    LabelsContain,
}

impl Condition {
    /// Whether a grant with this condition applies to a subject with
    /// `subject` labels asking about a resource with `resource` labels.
    #[must_use]
    #[inline]
    pub const fn holds(self, subject: Labels, resource: Labels) -> bool {
        match self {
            Condition::Always => true,
            Condition::LabelsIntersect => subject.intersects(resource),
            Condition::LabelsContain => subject.contains(resource),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Condition::Always => "always",
            Condition::LabelsIntersect => "when the labels intersect",
            Condition::LabelsContain => "when the subject has every label of the resource",
        })
    }
}
