//! Preset: boomi_flow (in progress).
