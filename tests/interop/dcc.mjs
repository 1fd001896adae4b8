// Verifies each credential file given with @digitalcredentials/verifier-core
// and prints one JSON object: file -> {valid_signature, errors}. Offline its
// schema and issuer-registry lookups fail (they are not what is measured);
// the signature check needs nothing from the network for did:key issuers
// and the contexts the library bundles.
import { verifyCredential } from "@digitalcredentials/verifier-core";
import { readFileSync } from "node:fs";

// The library logs its offline failures; only the result goes to stdout.
for (const level of ["log", "info", "warn", "error", "debug"]) console[level] = () => {};
// Each check waits on its failing network lookups, so all run at once.
const results = await Promise.all(
  process.argv.slice(2).map(async (file) => {
    const credential = JSON.parse(readFileSync(file, "utf8"));
    const result = await verifyCredential({ credential, knownDIDRegistries: [] });
    const log = result.log ?? [];
    const signature = log.find((l) => l.id === "valid_signature");
    return [file, {
      valid_signature: signature ? signature.valid : false,
      errors: (result.errors ?? []).map((e) => e.name),
    }];
  }),
);
process.stdout.write(JSON.stringify(Object.fromEntries(results)) + "\n");
