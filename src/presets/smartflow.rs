//! Preset: smartflow (in progress).
