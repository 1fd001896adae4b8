//! `wasm-bindgen` exports for the browser benchmark page
//! (`tests/bench/bench.mjs`): one object holds the prepared inputs, each
//! method is one iteration of a workload and returns something small so the
//! call cannot be optimised away and the boundary costs next to nothing.

use crate::{mining_header, ChainFixture, Fixture, BATCH_ROWS, MINE_CHUNK};
use ledger::BlockHeader;
use wasm_bindgen::prelude::*;

/// The prepared workloads.
#[wasm_bindgen]
pub struct Bench {
    fixture: Fixture,
    header: BlockHeader,
    next_nonce: u64,
    chain: Option<ChainFixture>,
}

fn js_err(e: String) -> JsError {
    JsError::new(&e)
}

#[wasm_bindgen]
impl Bench {
    /// Builds the fixture (keys, the signed credential) outside any timing.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Bench, JsError> {
        Ok(Bench {
            fixture: Fixture::new().map_err(js_err)?,
            header: mining_header(),
            next_nonce: 0,
            chain: None,
        })
    }

    /// The benchmark plan (runs, minimum run time…) as JSON.
    pub fn plan(smoke: bool) -> Result<String, JsError> {
        let plan = if smoke {
            crate::smoke_plan()
        } else {
            crate::PLAN.to_vec()
        };
        serde_json::to_string(&plan).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The values the JavaScript peer must reproduce, as JSON.
    pub fn reference(&self) -> Result<String, JsError> {
        crate::reference_json(&self.fixture, BATCH_ROWS).map_err(js_err)
    }

    /// The signed credential the verify workloads check.
    pub fn signed_text(&self) -> String {
        self.fixture.signed_text.clone()
    }

    /// `sign`: returns the length of the secured document's proofValue.
    pub fn sign(&self) -> Result<usize, JsError> {
        let signed = self.fixture.add_proof().map_err(js_err)?;
        Ok(proof_value_len(&signed))
    }

    /// `hash_inputs`: returns the first byte of the hash data.
    pub fn hash_inputs(&self) -> Result<u8, JsError> {
        let data = self.fixture.hash_inputs().map_err(js_err)?;
        Ok(data.first().copied().unwrap_or_default())
    }

    /// `ed25519_sign`: returns the first byte of the signature.
    pub fn ed25519_sign(&self) -> u8 {
        self.fixture
            .ed25519_sign()
            .first()
            .copied()
            .unwrap_or_default()
    }

    /// `ed25519_verify`: true when the signature verifies.
    pub fn ed25519_verify(&self) -> bool {
        self.fixture.ed25519_verify()
    }

    /// `sign_full`: as `sign`, through `credentials::sign`.
    pub fn sign_full(&self) -> Result<usize, JsError> {
        let signed = self.fixture.sign_full().map_err(js_err)?;
        Ok(proof_value_len(&signed))
    }

    /// `verify`: true when every proof verifies.
    pub fn verify(&self) -> Result<bool, JsError> {
        self.fixture.verify().map_err(js_err)
    }

    /// `verify_full`: true when the report says `valid`.
    pub fn verify_full(&self) -> bool {
        self.fixture.verify_full()
    }

    /// `batch`: issues `rows` credentials and anchors them; returns the root
    /// in hex.
    pub fn batch(&self, rows: usize) -> Result<String, JsError> {
        Ok(self.fixture.batch(rows).map_err(js_err)?.root.to_string())
    }

    /// `rdfc_sign`: returns the length of the eddsa-rdfc-2022 proofValue.
    pub fn rdfc_sign(&self) -> Result<usize, JsError> {
        let signed = self.fixture.rdfc_sign().map_err(js_err)?;
        Ok(proof_value_len(&signed))
    }

    /// `rdfc_verify`: true when the eddsa-rdfc-2022 proof verifies.
    pub fn rdfc_verify(&self) -> Result<bool, JsError> {
        self.fixture.rdfc_verify().map_err(js_err)
    }

    /// `rdfc_batch`: `batch` with eddsa-rdfc-2022 proofs; returns the root.
    pub fn rdfc_batch(&self, rows: usize) -> Result<String, JsError> {
        Ok(self
            .fixture
            .rdfc_batch(rows)
            .map_err(js_err)?
            .root
            .to_string())
    }

    /// `mine`: hashes the next [`MINE_CHUNK`] nonces; returns how many.
    pub fn mine(&mut self) -> Result<u32, JsError> {
        let tried = crate::mine_chunk(&self.header, self.next_nonce, MINE_CHUNK).map_err(js_err)?;
        self.next_nonce = self.next_nonce.wrapping_add(tried);
        u32::try_from(tried).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Loads the validation chain from its JSON (parsing only, no checks);
    /// returns the number of transactions.
    pub fn load_chain(&mut self, json: &str) -> Result<usize, JsError> {
        let chain = ChainFixture::from_json(json).map_err(js_err)?;
        let count = chain.transactions();
        self.chain = Some(chain);
        Ok(count)
    }

    /// Builds a small validation chain in the page (for the smoke test);
    /// returns the number of transactions.
    pub fn build_chain(&mut self, blocks: u32, transfers: u32) -> Result<usize, JsError> {
        let chain = ChainFixture::build(blocks.into(), transfers.into()).map_err(js_err)?;
        let count = chain.transactions();
        self.chain = Some(chain);
        Ok(count)
    }

    /// `validate`: true when the loaded chain is valid.
    pub fn validate(&self) -> Result<bool, JsError> {
        let chain = self
            .chain
            .as_ref()
            .ok_or_else(|| JsError::new("no chain loaded"))?;
        Ok(chain.validate())
    }
}

fn proof_value_len(doc: &serde_json::Value) -> usize {
    doc.pointer("/proof/proofValue")
        .and_then(serde_json::Value::as_str)
        .map_or(0, str::len)
}
