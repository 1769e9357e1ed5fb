// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @title BucketRewardPool: IoTeX MSP's Merkle-proven IOTX rewards per restaked bucket
/// @notice IOTX sent to the pool opens a new reward batch (`currentbatch`). Off-chain, the committer computes
///         what each bucket earned in a batch and commits the Merkle root of leaves
///         keccak256(abi.encodePacked(batch, owner, bucketId, value)) (OpenZeppelin's sorted-pair tree); the
///         approver approves it; then each bucket's owner claims its value once. Reverts carry IoTeX's reason
///         strings.
contract BucketRewardPool is Ownable {
    /// @notice Number of reward batches received so far (the last batch).
    uint256 public currentbatch;
    /// @notice Who may commit batch roots.
    address public committer;
    /// @notice Who may approve committed roots.
    address public approver;
    /// @notice The committed root of each batch.
    mapping(uint256 => bytes32) public batchRoot;
    /// @notice Whether a batch's root is approved (claims open, root final).
    mapping(uint256 => bool) public approvedBatch;
    /// @notice What each bucket claimed from each batch.
    mapping(uint256 => mapping(uint256 => uint256)) public claimed;

    event BatchReward(address indexed dispatcher, uint256 indexed batch, uint256 amount);
    event CommitRoot(address indexed committer, uint256 batch, bytes32 root);
    event ApproveRoot(address indexed approver, uint256 batch);
    event SetCommitter(address indexed committer);
    event SetApprover(address indexed approver);
    /// @notice Ours: a bucket's reward of a batch was paid to `receiver`.
    event Claimed(uint256 indexed batch, uint256 indexed bucketId, address indexed owner, address receiver, uint256 value);

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @notice Sets the committer (owner only).
    function setCommitter(address newCommitter) external onlyOwner {
        if (newCommitter == address(0)) revert("zero address");
        committer = newCommitter;
        emit SetCommitter(newCommitter);
    }

    /// @notice Sets the approver (owner only).
    function setApprover(address newApprover) external onlyOwner {
        if (newApprover == address(0)) revert("zero address");
        approver = newApprover;
        emit SetApprover(newApprover);
    }

    /// @notice Pays `owner` the `value` its bucket earned in `batch` (anyone may submit the proof).
    function claim(uint256 batch, address owner, uint256 bucketId, uint256 value, bytes32[] calldata proof) external {
        _claim(batch, owner, bucketId, value, payable(owner), proof);
    }

    /// @notice Pays the caller's bucket reward of `batch` to `receiver`.
    function claim(
        uint256 batch,
        address owner,
        uint256 bucketId,
        uint256 value,
        address receiver,
        bytes32[] calldata proof
    ) external {
        if (owner != msg.sender) revert("invalid owner");
        _claim(batch, owner, bucketId, value, payable(receiver), proof);
    }

    /// @notice Commits the root of `batch` (committer only; until it is approved it may be replaced).
    function commitRoot(uint256 batch, bytes32 root) external {
        if (committer != msg.sender) revert("not committer");
        if (approvedBatch[batch]) revert("already approved");
        if (root == bytes32(0)) revert("invalid root");
        batchRoot[batch] = root;
        emit CommitRoot(msg.sender, batch, root);
    }

    /// @notice Approves the committed root of `batch` (approver only).
    function approveRoot(uint256 batch) external {
        if (approver != msg.sender) revert("not approver");
        if (approvedBatch[batch]) revert("already approved");
        approvedBatch[batch] = true;
        emit ApproveRoot(msg.sender, batch);
    }

    /// @notice IOTX sent here opens the next reward batch.
    // IoTeX's pool opens a reward batch on every transfer in; the ABI and conformance suite require it.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        uint256 batch = ++currentbatch;
        emit BatchReward(msg.sender, batch, msg.value);
    }

    function _claim(
        uint256 batch,
        address owner,
        uint256 bucketId,
        uint256 value,
        address payable receiver,
        bytes32[] calldata proof
    ) private {
        if (!approvedBatch[batch]) revert("invalid batch");
        if (claimed[batch][bucketId] != 0) revert("claimed");
        bytes32 leaf = keccak256(abi.encodePacked(batch, owner, bucketId, value));
        if (!MerkleProof.verifyCalldata(proof, batchRoot[batch], leaf)) revert("invalid proof");
        claimed[batch][bucketId] = value;
        emit Claimed(batch, bucketId, owner, receiver, value);
        Address.sendValue(receiver, value);
    }
}
