//! Preset: smart_flows (in progress).
