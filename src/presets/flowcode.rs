//! Preset: flowcode (in progress).
