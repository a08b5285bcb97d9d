//! Preset: workspace_platform (in progress).
