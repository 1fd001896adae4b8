//! Every adapter to the browser lives here and nowhere else: storage (and
//! telling other tabs it changed), clock,
//! randomness, files (download / open), compression, yielding between slices
//! of long work, web workers, the offline copy (service worker), scrolling a
//! result into view and the crash screen. Pages and state call these functions; the pure
//! crates never see a browser type.

pub mod broadcast;
pub mod camera;
pub mod clock;
pub mod compress;
pub mod crash;
pub mod crypto;
pub mod files;
pub mod http;
pub mod idb;
pub mod offline;
pub mod random;
pub mod storage;
pub mod view;
pub mod worker;
pub mod yielding;
