#![doc = include_str!("../README.md")]

mod change_log;
mod checksum;
mod recover;
mod sqlite;

pub use change_log::ChangeLog;
pub use recover::{recover, RecoverError};
pub use sqlite::{Row, SqliteLog, SqliteLogError};
