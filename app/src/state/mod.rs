//! App state, one reducer per domain (`State`, `enum Action`, `impl Reducible`),
//! shared with pages through Yew contexts. Reducers call the pure crates;
//! persistence goes through `crate::platform`.

pub mod answer;
pub mod desk_backup;
pub mod desk_issue;
pub mod desk_merge;
pub mod handout;
pub mod key_lock;
pub mod learn;
pub mod publish;
pub mod settings;
pub mod signing;
pub mod status_seen;
pub mod stored;
pub mod teach;
pub mod verify;
pub mod wallet;
