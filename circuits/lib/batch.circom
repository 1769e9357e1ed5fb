pragma circom 2.1.0;

include "circomlib/circuits/poseidon.circom";
include "circomlib/circuits/comparators.circom";
include "circomlib/circuits/bitify.circom";

// Outpost batch statement (see circuits/README.md for the full text and the bit layouts).
//
// Public signals, in snarkjs order (outputs first, then public inputs as declared):
//   [0] commitment  Poseidon commitment to the readings and their count (output)
//   [1] device      device address as uint160 (bound to the proof, not used in a relation)
//   [2] window      windowStart + windowEnd * 2^64 (unix seconds)
//   [3] statement   minBound | maxBound << 16 | count << 32 | sum << 48 | changes << 80
//
// N readings (N a multiple of 32, at most 480); the first `count` slots are readings, the rest
// padding. Every reading is packed as timestamp | temperature << 32 | aux << 48 (104 bits; aux is
// humidity | flags << 16 | seq << 24, committed but not otherwise constrained), two readings per
// field element, hashed 16 elements per Poseidon(16), and the chunk hashes plus count by one
// final Poseidon.
template OutpostBatch(N) {
    assert(N % 32 == 0);
    assert(N <= 480);
    var CHUNKS = N \ 32;

    signal output commitment;
    signal input device;
    signal input window;
    signal input statement;

    signal input timestamp[N];   // unix seconds, uint32
    signal input temperature[N]; // centi-degrees + 32768, uint16
    signal input aux[N];         // humidity | flags << 16 | seq << 24, uint56
    signal input active[N];      // 1 for a reading, 0 for padding; a prefix of ones
    signal input minBound;       // offset temperature, uint16
    signal input maxBound;       // offset temperature, uint16
    signal input windowStart;    // uint64
    signal input windowEnd;      // uint64

    // Bind the device address to the proof: a public input must appear in a constraint.
    signal deviceSquare <== device * device;

    // ---- active slots: booleans, a prefix, count = their sum ----
    var count = 0;
    for (var i = 0; i < N; i++) {
        active[i] * (active[i] - 1) === 0;
        if (i > 0) {
            active[i] * (1 - active[i - 1]) === 0;
        }
        count += active[i];
    }

    // ---- public parameters: ranges and packing ----
    component minBits = Num2Bits(16);
    minBits.in <== minBound;
    component maxBits = Num2Bits(16);
    maxBits.in <== maxBound;
    component startBits = Num2Bits(64);
    startBits.in <== windowStart;
    component endBits = Num2Bits(64);
    endBits.in <== windowEnd;
    window === windowStart + windowEnd * (1 << 64);

    // ---- per reading: ranges, packing, bounds ----
    component timeBits[N];
    component auxBits[N];
    component aboveMin[N];
    component belowMax[N];
    signal packed[N];
    signal sumTerm[N];
    var sum = 0;
    for (var i = 0; i < N; i++) {
        // Ranges make the packing injective; the temperature's range follows from the bounds
        // checks below for readings, and padding must pack to exactly 0.
        timeBits[i] = Num2Bits(32);
        timeBits[i].in <== timestamp[i];
        auxBits[i] = Num2Bits(56);
        auxBits[i].in <== aux[i];
        packed[i] <== timestamp[i] + temperature[i] * (1 << 32) + aux[i] * (1 << 48);
        packed[i] * (1 - active[i]) === 0;

        aboveMin[i] = GreaterEqThan(16);
        aboveMin[i].in[0] <== temperature[i];
        aboveMin[i].in[1] <== minBound;
        active[i] * (1 - aboveMin[i].out) === 0;
        belowMax[i] = LessEqThan(16);
        belowMax[i].in[0] <== temperature[i];
        belowMax[i].in[1] <== maxBound;
        active[i] * (1 - belowMax[i].out) === 0;

        sumTerm[i] <== active[i] * temperature[i];
        sum += sumTerm[i];
    }

    // ---- timestamps: strictly rising over the readings, first and last inside the window ----
    component rising[N];
    for (var i = 1; i < N; i++) {
        rising[i] = LessThan(32);
        rising[i].in[0] <== timestamp[i - 1];
        rising[i].in[1] <== timestamp[i];
        active[i] * (1 - rising[i].out) === 0;
    }
    component afterStart = GreaterEqThan(64);
    afterStart.in[0] <== timestamp[0];
    afterStart.in[1] <== windowStart;
    afterStart.out === 1;
    // The last reading is the slot where active falls from 1 to 0; rising timestamps make it the latest.
    signal lastTerm[N];
    var last = 0;
    for (var i = 0; i < N; i++) {
        lastTerm[i] <== (active[i] - (i + 1 < N ? active[i + 1] : 0)) * timestamp[i];
        last += lastTerm[i];
    }
    component beforeEnd = LessEqThan(64);
    beforeEnd.in[0] <== last;
    beforeEnd.in[1] <== windowEnd;
    beforeEnd.out === 1;

    // ---- quality: changes = neighbouring readings with different temperatures; must be >= 1 ----
    component same[N];
    signal changeTerm[N];
    var changes = 0;
    for (var i = 1; i < N; i++) {
        same[i] = IsEqual();
        same[i].in[0] <== temperature[i - 1];
        same[i].in[1] <== temperature[i];
        changeTerm[i] <== active[i] * (1 - same[i].out);
        changes += changeTerm[i];
    }
    component stuck = IsZero();
    stuck.in <== changes;
    stuck.out === 0;

    statement === minBound + maxBound * (1 << 16) + count * (1 << 32) + sum * (1 << 48) + changes * (1 << 80);

    // ---- commitment ----
    signal element[N \ 2];
    for (var j = 0; j < N \ 2; j++) {
        element[j] <== packed[2 * j] + packed[2 * j + 1] * (1 << 104);
    }
    component chunk[CHUNKS];
    for (var k = 0; k < CHUNKS; k++) {
        chunk[k] = Poseidon(16);
        for (var e = 0; e < 16; e++) {
            chunk[k].inputs[e] <== element[16 * k + e];
        }
    }
    component root = Poseidon(CHUNKS + 1);
    for (var k = 0; k < CHUNKS; k++) {
        root.inputs[k] <== chunk[k].out;
    }
    root.inputs[CHUNKS] <== count;
    commitment <== root.out;
}
