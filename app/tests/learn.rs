//! Browser tests of the lessons' mining: the sliced miner finds the same
//! nonce as the ledger's one-shot search, reports its slices, can be
//! cancelled, and the yielder hands the browser a turn.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use app::pages::learn::miner::{self, MineProgress, MineResult};
use app::platform::yielding::Yielder;
use app::state::learn::mine_now;
use ledger::{BlockHeader, Hash, BLOCK_VERSION};
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen_test::*;
use yew::Callback;

wasm_bindgen_test_configure!(run_in_browser);

fn header(difficulty: u32) -> BlockHeader {
    BlockHeader {
        version: BLOCK_VERSION,
        height: 1,
        previous: Hash::ZERO,
        merkle_root: Hash::digest(b"lesson"),
        timestamp: 1_700_000_000,
        difficulty,
        nonce: 0,
    }
}

/// Waits (yielding) until `slot` holds a result, at most `limit_ms`.
async fn wait_for(slot: &Rc<RefCell<Option<MineResult>>>, limit_ms: u64) -> MineResult {
    for _ in 0..limit_ms / 10 {
        if let Some(result) = *slot.borrow() {
            return result;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no result within {limit_ms} ms");
}

#[wasm_bindgen_test]
async fn sliced_mining_finds_the_first_valid_nonce() {
    let result = Rc::new(RefCell::new(None));
    let progress = Rc::new(RefCell::new(Vec::<MineProgress>::new()));
    let _job = miner::start(
        header(14),
        {
            let progress = progress.clone();
            Callback::from(move |p| progress.borrow_mut().push(p))
        },
        {
            let result = result.clone();
            Callback::from(move |r| *result.borrow_mut() = Some(r))
        },
    );
    let MineResult::Found {
        header: found,
        progress: last,
    } = wait_for(&result, 30_000).await
    else {
        panic!("not found");
    };
    assert!(found.meets_difficulty());
    // The first nonce that works, exactly as the one-shot search finds it.
    assert_eq!(found.nonce, mine_now(&header(14)).unwrap().nonce);
    assert_eq!(last.tried, found.nonce + 1);
    assert!(last.slices >= 1);
    assert!(last.slow_slices <= last.slices);
}

#[wasm_bindgen_test]
async fn mining_stops_when_cancelled() {
    let result = Rc::new(RefCell::new(None));
    let job = miner::start(header(48), Callback::noop(), {
        let result = result.clone();
        Callback::from(move |r| *result.borrow_mut() = Some(r))
    });
    yew::platform::time::sleep(Duration::from_millis(100)).await;
    assert!(
        result.borrow().is_none(),
        "48 bits cannot be found that fast"
    );
    job.cancel();
    match wait_for(&result, 5_000).await {
        MineResult::Cancelled { progress } => {
            assert!(progress.tried > 0);
            assert!(progress.slices > 1, "the search yielded between slices");
        }
        other => panic!("{other:?}"),
    }
}

#[wasm_bindgen_test]
async fn the_yielder_gives_timers_their_turn() {
    let yielder = Yielder::new();
    let fired = Rc::new(RefCell::new(false));
    {
        let fired = fired.clone();
        yew::platform::spawn_local(async move {
            yew::platform::time::sleep(Duration::ZERO).await;
            *fired.borrow_mut() = true;
        });
    }
    // Keep yielding like a miner would; the timer must get its turn.
    let start = js_sys::Date::now();
    while !*fired.borrow() {
        yielder.yield_now().await;
        assert!(js_sys::Date::now() - start < 1_000.0, "timer starved");
    }
}
