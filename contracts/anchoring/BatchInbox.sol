// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";
import {IIoIDRegistry} from "../interfaces/IIoID.sol";
import {IModuleSlasher} from "../interfaces/IStaking.sol";

/// @title BatchInbox: anchoring, direct submission and challenges of device data batches
/// @notice A module operator (the relay) anchors a Merkle root over many device batches in one cheap
///         transaction. Any device's owner can bypass the relay by submitting one batch directly with
///         the device's signature and a Groth16 proof, both verified here. Anyone can challenge an
///         anchored leaf whose signature or proof is invalid within CHALLENGE_WINDOW; that slashes the
///         module the operator runs (once per anchored batch).
/// @dev Leaf = keccak256(bytes.concat(keccak256(abi.encode(DeviceBatch)))) (the struct as one tuple),
///      tree with sorted-pair hashing (OpenZeppelin MerkleProof). See docs/contracts.md.
contract BatchInbox {
    /// @notice Challenges must come this soon after anchoring; shorter than the restaking freeze (7 days)
    ///         so restakers of a module cannot leave before its batches can no longer be challenged.
    uint256 public constant CHALLENGE_WINDOW = 6 days;

    /// @notice Why a challenged leaf is invalid.
    enum Fault {
        None,
        DeviceMismatch,
        BadSignature,
        BadProof
    }

    /// @notice Only the module's operator may anchor for it.
    error NotModuleOperator(uint256 moduleId, address caller);
    /// @notice The Merkle root must be non-zero and the count positive.
    error EmptyBatch();
    /// @notice This Merkle root was already anchored.
    error BatchAlreadyAnchored(bytes32 merkleRoot);
    /// @notice No batch was anchored under this root.
    error UnknownBatch(bytes32 merkleRoot);
    /// @notice The leaf is not in the anchored batch.
    error LeafNotInBatch(bytes32 merkleRoot, bytes32 leaf);
    /// @notice The batch was already successfully challenged.
    error BatchAlreadySlashed(bytes32 merkleRoot);
    /// @notice The challenge window of the batch has closed.
    error ChallengeWindowClosed(bytes32 merkleRoot, uint256 closedAt);
    /// @notice The challenged leaf is valid: nothing to slash.
    error LeafIsValid(bytes32 leaf);
    /// @notice pubSignals[1] is not a 160-bit address.
    error DeviceSignalOutOfRange(uint256 signal);
    /// @notice The device has no ioID.
    error DeviceNotRegistered(address device);
    /// @notice The signature does not recover to the device.
    error InvalidDeviceSignature(address device, address recovered);
    /// @notice The Groth16 proof did not verify.
    error InvalidProof();
    /// @notice windowStart must not be after windowEnd, and windowEnd not in the future.
    error InvalidWindow(uint256 windowStart, uint256 windowEnd);
    /// @notice A direct batch must start after the device's previous direct batch ended (no replays).
    error WindowNotAfterPrevious(address device, uint256 windowStart, uint256 previousEnd);

    /// @notice One device batch as the relay received it: what a Merkle leaf commits to.
    struct DeviceBatch {
        address device;
        uint256[4] pubSignals;
        bytes signature;
        uint256[2] pA;
        uint256[2][2] pB;
        uint256[2] pC;
    }

    struct AnchoredBatch {
        uint64 moduleId;
        uint64 epoch;
        uint32 count;
        uint40 anchoredAt;
        bool slashed;
    }

    /// @notice Restaking modules: operators and slashing.
    IModuleSlasher public immutable modules;
    /// @notice The Groth16 verifier of the batch circuit.
    IGroth16Verifier public immutable verifier;
    /// @notice The ioIDRegistry (direct submissions need a registered device).
    IIoIDRegistry public immutable ioIDRegistry;

    mapping(bytes32 => AnchoredBatch) private _batches;
    /// @notice End of the last directly submitted window per device.
    mapping(address => uint256) public lastDirectWindowEnd;

    event BatchAnchored(
        bytes32 indexed merkleRoot,
        uint256 indexed moduleId,
        uint256 indexed epoch,
        uint256 count,
        bytes32 dataHash,
        string uri
    );
    event BatchSubmitted(
        address indexed device,
        uint256 commitment,
        uint256 windowStart,
        uint256 windowEnd,
        uint256 packedResults,
        address submitter
    );
    event BatchChallenged(
        bytes32 indexed merkleRoot, uint256 indexed moduleId, address indexed challenger, bytes32 leaf, Fault fault
    );

    constructor(IModuleSlasher modules_, IGroth16Verifier verifier_, IIoIDRegistry ioIDRegistry_) {
        modules = modules_;
        verifier = verifier_;
        ioIDRegistry = ioIDRegistry_;
    }

    /// @notice Anchors a batch of `count` device batches under `merkleRoot` (module operator only).
    /// @param dataHash Hash of the off-chain batch file at `uri`; logged, not stored.
    function anchor(
        uint256 moduleId,
        uint64 epoch,
        bytes32 merkleRoot,
        uint32 count,
        bytes32 dataHash,
        string calldata uri
    ) external {
        if (modules.operatorOf(moduleId) != msg.sender) revert NotModuleOperator(moduleId, msg.sender);
        if (merkleRoot == bytes32(0) || count == 0) revert EmptyBatch();
        AnchoredBatch storage b = _batches[merkleRoot];
        if (b.anchoredAt != 0) revert BatchAlreadyAnchored(merkleRoot);
        _batches[merkleRoot] = AnchoredBatch(uint64(moduleId), epoch, count, uint40(block.timestamp), false);
        emit BatchAnchored(merkleRoot, moduleId, epoch, count, dataHash, uri);
    }

    /// @notice Submits one device batch directly: checks the device's signature and the Groth16 proof.
    function submitBatch(
        bytes calldata signature,
        uint256[2] calldata pA,
        uint256[2][2] calldata pB,
        uint256[2] calldata pC,
        uint256[4] calldata pubSignals
    ) external {
        address device = _deviceOf(pubSignals[1]);
        if (!ioIDRegistry.exists(device)) revert DeviceNotRegistered(device);
        uint256 windowStart = uint64(pubSignals[2]);
        uint256 windowEnd = pubSignals[2] >> 64;
        if (windowStart > windowEnd || windowEnd > block.timestamp) revert InvalidWindow(windowStart, windowEnd);
        uint256 previousEnd = lastDirectWindowEnd[device];
        if (windowStart <= previousEnd) revert WindowNotAfterPrevious(device, windowStart, previousEnd);
        address recovered = recoverDevice(pubSignals[0], signature);
        if (recovered != device) revert InvalidDeviceSignature(device, recovered);
        if (!verifier.verifyProof(pA, pB, pC, pubSignals)) revert InvalidProof();
        lastDirectWindowEnd[device] = windowEnd;
        emit BatchSubmitted(device, pubSignals[0], windowStart, windowEnd, pubSignals[3], msg.sender);
    }

    /// @notice Proves that a leaf of an anchored batch is invalid and slashes the batch's module.
    function challenge(bytes32 merkleRoot, DeviceBatch calldata leaf, bytes32[] calldata proof)
        external
        returns (Fault fault)
    {
        AnchoredBatch storage b = _batches[merkleRoot];
        uint256 anchoredAt = b.anchoredAt;
        if (anchoredAt == 0) revert UnknownBatch(merkleRoot);
        if (b.slashed) revert BatchAlreadySlashed(merkleRoot);
        if (block.timestamp > anchoredAt + CHALLENGE_WINDOW) {
            revert ChallengeWindowClosed(merkleRoot, anchoredAt + CHALLENGE_WINDOW);
        }
        bytes32 hash = leafHash(leaf);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, hash)) revert LeafNotInBatch(merkleRoot, hash);
        fault = _fault(leaf);
        if (fault == Fault.None) revert LeafIsValid(hash);
        b.slashed = true;
        uint256 moduleId = b.moduleId;
        emit BatchChallenged(merkleRoot, moduleId, msg.sender, hash, fault);
        modules.slashModule(moduleId);
    }

    /// @notice An anchored batch: module, epoch, count, anchoring time (0 = unknown) and whether it was slashed.
    function batchOf(bytes32 merkleRoot)
        external
        view
        returns (uint256 moduleId, uint256 epoch, uint256 count, uint256 anchoredAt, bool slashed)
    {
        AnchoredBatch memory b = _batches[merkleRoot];
        return (b.moduleId, b.epoch, b.count, b.anchoredAt, b.slashed);
    }

    /// @notice What the device signs: keccak256("outpost:batch:v1:" ‖ commitment as bytes32).
    function batchDigest(uint256 commitment) public pure returns (bytes32) {
        return keccak256(abi.encodePacked("outpost:batch:v1:", bytes32(commitment)));
    }

    /// @notice The signer of a device batch signature (zero if malformed). Accepts the recovery byte as
    ///         0/1 (what devices send) or 27/28; rejects high-s signatures (OpenZeppelin ECDSA).
    function recoverDevice(uint256 commitment, bytes calldata signature) public pure returns (address) {
        if (signature.length != 65) return address(0);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        (address recovered,,) = ECDSA.tryRecover(batchDigest(commitment), v, bytes32(signature[0:32]), bytes32(signature[32:64]));
        return recovered;
    }

    /// @notice The Merkle leaf of one device batch: keccak256(bytes.concat(keccak256(abi.encode(leaf)))).
    function leafHash(DeviceBatch calldata leaf) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(leaf))));
    }

    function _fault(DeviceBatch calldata leaf) private view returns (Fault) {
        if (leaf.pubSignals[1] != uint256(uint160(leaf.device))) return Fault.DeviceMismatch;
        address recovered = recoverDevice(leaf.pubSignals[0], leaf.signature);
        if (recovered != leaf.device) return Fault.BadSignature;
        try verifier.verifyProof(leaf.pA, leaf.pB, leaf.pC, leaf.pubSignals) returns (bool ok) {
            return ok ? Fault.None : Fault.BadProof;
        } catch {
            return Fault.BadProof;
        }
    }

    function _deviceOf(uint256 signal) private pure returns (address) {
        if (signal >> 160 != 0) revert DeviceSignalOutOfRange(signal);
        return address(uint160(signal));
    }
}
