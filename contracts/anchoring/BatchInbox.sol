// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";
import {IIoIDRegistry} from "../interfaces/IIoID.sol";
import {IModuleSlasher} from "../interfaces/IStaking.sol";

/// @title BatchInbox: anchoring, direct submission and challenges of device data batches
/// @notice A module operator (the relay) anchors a Merkle root over many device batches in one cheap
///         transaction; anchors are keyed by (module, root), so nobody can block a root by anchoring it
///         first under another module, and a module needs at least `minModuleWeight` restaked behind it
///         to anchor. Any device's owner can bypass the relay by submitting one batch per device and
///         epoch directly with the device's signature and a Groth16 proof, both verified here. Anyone can
///         challenge an anchored leaf whose signature, window or proof is invalid within
///         CHALLENGE_WINDOW; that slashes the module the operator runs (once per anchored batch).
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
        BadProof,
        /// @dev Window reversed, spanning two epochs, or ending after the batch was anchored.
        BadWindow
    }

    /// @notice Only the module's operator may anchor for it.
    error NotModuleOperator(uint256 moduleId, address caller);
    /// @notice The Merkle root must be non-zero and the count positive.
    error EmptyBatch();
    /// @notice This module already anchored this Merkle root.
    error BatchAlreadyAnchored(uint256 moduleId, bytes32 merkleRoot);
    /// @notice This module anchored no batch under this root.
    error UnknownBatch(uint256 moduleId, bytes32 merkleRoot);
    /// @notice The module has less restaked weight than anchoring needs: restake more into it first.
    error ModuleUnderstaked(uint256 moduleId, uint256 weight, uint256 minimum);
    /// @notice epochSeconds must be positive.
    error ZeroEpochSeconds();
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
    /// @notice The window must not be reversed, must lie inside one epoch and must not end in the future.
    error InvalidWindow(uint256 windowStart, uint256 windowEnd);
    /// @notice The device already has a direct batch for this epoch (one per device and epoch: no replays).
    error EpochAlreadySubmitted(address device, uint256 epoch);

    /// @notice One device batch as the relay received it: what a Merkle leaf commits to.
    struct DeviceBatch {
        address device;
        uint256[4] pubSignals;
        bytes signature;
        uint256[2] pA;
        uint256[2][2] pB;
        uint256[2] pC;
    }

    /// @dev One storage slot; keyed by keccak256(moduleId, merkleRoot).
    struct AnchoredBatch {
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

    /// @notice Length of an epoch in seconds; a device batch's window lies inside one epoch.
    uint256 public immutable epochSeconds;
    /// @notice Restaked weight a module needs behind it to anchor, so every anchor has something to slash.
    uint256 public immutable minModuleWeight;

    mapping(bytes32 => AnchoredBatch) private _batches;
    /// @dev Direct submissions: bit (epoch % 256) of word (epoch / 256) per device.
    mapping(address => mapping(uint256 => uint256)) private _directEpochs;

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

    constructor(
        IModuleSlasher modules_,
        IGroth16Verifier verifier_,
        IIoIDRegistry ioIDRegistry_,
        uint256 epochSeconds_,
        uint256 minModuleWeight_
    ) {
        if (epochSeconds_ == 0) revert ZeroEpochSeconds();
        modules = modules_;
        verifier = verifier_;
        ioIDRegistry = ioIDRegistry_;
        epochSeconds = epochSeconds_;
        minModuleWeight = minModuleWeight_;
    }

    /// @notice Anchors a batch of `count` device batches under (`moduleId`, `merkleRoot`) (module operator
    ///         only; the module needs at least `minModuleWeight` restaked).
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
        uint256 weight = modules.moduleWeight(moduleId);
        if (weight < minModuleWeight) revert ModuleUnderstaked(moduleId, weight, minModuleWeight);
        bytes32 key = _key(moduleId, merkleRoot);
        if (_batches[key].anchoredAt != 0) revert BatchAlreadyAnchored(moduleId, merkleRoot);
        _batches[key] = AnchoredBatch(epoch, count, uint40(block.timestamp), false);
        emit BatchAnchored(merkleRoot, moduleId, epoch, count, dataHash, uri);
    }

    /// @notice Submits one device batch directly: checks the device's signature and the Groth16 proof.
    ///         One batch per device and epoch (epoch = windowStart / epochSeconds), in any order, so
    ///         submitting a device's newer batch first never blocks an older one.
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
        if (!_windowInOneEpoch(windowStart, windowEnd) || windowEnd > block.timestamp) {
            revert InvalidWindow(windowStart, windowEnd);
        }
        uint256 epoch = windowStart / epochSeconds;
        uint256 word = _directEpochs[device][epoch >> 8];
        uint256 bit = 1 << (epoch & 0xff);
        if (word & bit != 0) revert EpochAlreadySubmitted(device, epoch);
        address recovered = recoverDevice(pubSignals[0], signature);
        if (recovered != device) revert InvalidDeviceSignature(device, recovered);
        if (!verifier.verifyProof(pA, pB, pC, pubSignals)) revert InvalidProof();
        _directEpochs[device][epoch >> 8] = word | bit;
        emit BatchSubmitted(device, pubSignals[0], windowStart, windowEnd, pubSignals[3], msg.sender);
    }

    /// @notice Whether `device` already has a direct batch for `epoch`.
    function directSubmitted(address device, uint256 epoch) external view returns (bool) {
        return _directEpochs[device][epoch >> 8] & (1 << (epoch & 0xff)) != 0;
    }

    /// @notice Proves that a leaf of the batch `moduleId` anchored under `merkleRoot` is invalid and
    ///         slashes that module.
    function challenge(uint256 moduleId, bytes32 merkleRoot, DeviceBatch calldata leaf, bytes32[] calldata proof)
        external
        returns (Fault fault)
    {
        AnchoredBatch storage b = _batches[_key(moduleId, merkleRoot)];
        uint256 anchoredAt = b.anchoredAt;
        if (anchoredAt == 0) revert UnknownBatch(moduleId, merkleRoot);
        if (b.slashed) revert BatchAlreadySlashed(merkleRoot);
        if (block.timestamp > anchoredAt + CHALLENGE_WINDOW) {
            revert ChallengeWindowClosed(merkleRoot, anchoredAt + CHALLENGE_WINDOW);
        }
        bytes32 hash = leafHash(leaf);
        if (!MerkleProof.verifyCalldata(proof, merkleRoot, hash)) revert LeafNotInBatch(merkleRoot, hash);
        fault = _fault(leaf, anchoredAt);
        if (fault == Fault.None) revert LeafIsValid(hash);
        b.slashed = true;
        emit BatchChallenged(merkleRoot, moduleId, msg.sender, hash, fault);
        modules.slashModule(moduleId);
    }

    /// @notice The batch `moduleId` anchored under `merkleRoot`: epoch, count, anchoring time
    ///         (0 = not anchored) and whether it was slashed.
    function batchOf(uint256 moduleId, bytes32 merkleRoot)
        external
        view
        returns (uint256 epoch, uint256 count, uint256 anchoredAt, bool slashed)
    {
        AnchoredBatch memory b = _batches[_key(moduleId, merkleRoot)];
        return (b.epoch, b.count, b.anchoredAt, b.slashed);
    }

    /// @notice What a restaker is exposed to: a challenge can slash a bucket at any time from its restake
    ///         until its withdrawal, for any batch its module anchored within CHALLENGE_WINDOW before the
    ///         challenge. So a bucket answers for batches anchored from `lookback` seconds before it was
    ///         restaked (including batches anchored before it joined) until it is withdrawn, which is at
    ///         least `freeze` seconds after it is unstaked.
    /// @return lookback CHALLENGE_WINDOW.
    /// @return freeze The strategy's UNSTAKE_FREEZE_TIME.
    function exposureWindow() external view returns (uint256 lookback, uint256 freeze) {
        return (CHALLENGE_WINDOW, modules.UNSTAKE_FREEZE_TIME());
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

    /// @dev Check order (fixed with the relay): DeviceMismatch, BadWindow, BadSignature, BadProof.
    function _fault(DeviceBatch calldata leaf, uint256 anchoredAt) private view returns (Fault) {
        if (leaf.pubSignals[1] != uint256(uint160(leaf.device))) return Fault.DeviceMismatch;
        uint256 windowStart = uint64(leaf.pubSignals[2]);
        uint256 windowEnd = leaf.pubSignals[2] >> 64;
        // A window ending after the anchor was claimed before it was over: the relay must not accept it.
        if (!_windowInOneEpoch(windowStart, windowEnd) || windowEnd > anchoredAt) return Fault.BadWindow;
        address recovered = recoverDevice(leaf.pubSignals[0], leaf.signature);
        if (recovered != leaf.device) return Fault.BadSignature;
        try verifier.verifyProof(leaf.pA, leaf.pB, leaf.pC, leaf.pubSignals) returns (bool ok) {
            return ok ? Fault.None : Fault.BadProof;
        } catch {
            return Fault.BadProof;
        }
    }

    function _windowInOneEpoch(uint256 windowStart, uint256 windowEnd) private view returns (bool) {
        return windowStart <= windowEnd && windowStart / epochSeconds == windowEnd / epochSeconds;
    }

    function _key(uint256 moduleId, bytes32 merkleRoot) private pure returns (bytes32) {
        return keccak256(abi.encode(moduleId, merkleRoot));
    }

    function _deviceOf(uint256 signal) private pure returns (address) {
        if (signal >> 160 != 0) revert DeviceSignalOutOfRange(signal);
        return address(uint160(signal));
    }
}
