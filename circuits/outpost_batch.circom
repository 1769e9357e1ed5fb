pragma circom 2.1.0;

include "lib/batch.circom";

// N = 64 readings per proof. Changing N means a new ceremony, keys and verifier (npm run circuits)
// and ZK_BATCH_SIZE in src/core/zk/params.ts.
component main {public [device, window, statement]} = OutpostBatch(64);
