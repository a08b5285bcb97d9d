//! Placeholder until the standard model lands.
fn main() {}
