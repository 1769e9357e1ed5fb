// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IIoID, IIoIDRegistry} from "../interfaces/IIoID.sol";

/// @title DataRewards: per-epoch Merkle reward roots for devices, claimed by their ioID owners
/// @notice Anyone funds the pool. The operator posts, per epoch, a Merkle root of (epoch, device,
///         amount) leaves and the epoch's total, which is set aside from the pool. The current owner of
///         a device's ioID claims with a Merkle proof, once. After CLAIM_WINDOW an epoch's unclaimed
///         remainder can be returned to the pool by anyone, and its claims close.
/// @dev Leaf = keccak256(bytes.concat(keccak256(abi.encode(epoch, device, amount)))), sorted-pair tree.
///      Invariant: balance == unallocated + Σ over open epochs (total − claimed).
contract DataRewards is Ownable {
    /// @notice Only the operator may post roots.
    error NotOperator(address caller);
    /// @notice This epoch already has a root.
    error EpochAlreadyPosted(uint256 epoch);
    /// @notice This epoch has no root.
    error UnknownEpoch(uint256 epoch);
    /// @notice The epoch's total exceeds the unallocated pool.
    error InsufficientPool(uint256 requested, uint256 available);
    /// @notice The root must be non-zero and the total positive.
    error EmptyRoot();
    /// @notice The device's reward for this epoch was already claimed.
    error AlreadyClaimed(uint256 epoch, address device);
    /// @notice The caller does not own the device's ioID.
    error NotDeviceOwner(address device, address caller);
    /// @notice The Merkle proof does not match the epoch's root.
    error InvalidRewardProof(uint256 epoch, address device, uint256 amount);
    /// @notice The claim window of the epoch has closed.
    error ClaimWindowClosed(uint256 epoch);
    /// @notice The claim window of the epoch is still open.
    error ClaimWindowOpen(uint256 epoch, uint256 closesAt);
    /// @notice A claim would pay more than the epoch's total (a bad root).
    error EpochOverdrawn(uint256 epoch);
    /// @notice Nothing to send, or a zero address.
    error ZeroValue();
    /// @notice claimMany was called with no claims.
    error NoClaims();

    /// @notice One reward to claim in claimMany: the same arguments as `claim`.
    struct Claim {
        uint256 epoch;
        address device;
        uint256 amount;
        bytes32[] proof;
    }

    struct Epoch {
        bytes32 root;
        uint128 total;
        uint128 claimed;
        uint64 postedAt;
        bool recovered;
    }

    /// @notice How long after posting an epoch can be claimed.
    uint256 public immutable claimWindow;
    /// @notice The ioIDRegistry that maps devices to their ioID.
    IIoIDRegistry public immutable ioIDRegistry;
    /// @notice The account posting reward roots (the relay).
    address public operator;
    /// @notice Funds not yet set aside for any epoch.
    uint256 public unallocated;
    /// @notice Totals for accounting checks.
    uint256 public totalDeposited;
    uint256 public totalPaid;

    mapping(uint256 => Epoch) private _epochs;
    mapping(uint256 => mapping(address => bool)) private _claimed;

    event Funded(address indexed from, uint256 amount);
    event RewardRootPosted(uint256 indexed epoch, bytes32 root, uint256 total);
    event RewardClaimed(uint256 indexed epoch, address indexed device, address indexed owner, uint256 amount);
    event UnclaimedRecovered(uint256 indexed epoch, uint256 amount);
    event OperatorSet(address operator);
    event PoolWithdrawn(address indexed to, uint256 amount);

    constructor(address initialOwner, IIoIDRegistry registry, address operator_, uint256 claimWindow_)
        Ownable(initialOwner)
    {
        ioIDRegistry = registry;
        operator = operator_;
        claimWindow = claimWindow_;
        emit OperatorSet(operator_);
    }

    /// @notice Adds msg.value to the pool.
    function fund() public payable {
        if (msg.value == 0) revert ZeroValue();
        unallocated += msg.value;
        totalDeposited += msg.value;
        emit Funded(msg.sender, msg.value);
    }

    /// @notice Plain transfers fund the pool.
    receive() external payable {
        fund();
    }

    /// @notice Sets the operator (owner only).
    function setOperator(address operator_) external onlyOwner {
        operator = operator_;
        emit OperatorSet(operator_);
    }

    /// @notice Posts an epoch's reward root and sets `total` aside from the pool (operator only).
    function postRewardRoot(uint256 epoch, bytes32 root, uint256 total) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (root == bytes32(0) || total == 0) revert EmptyRoot();
        if (_epochs[epoch].root != bytes32(0)) revert EpochAlreadyPosted(epoch);
        uint256 available = unallocated;
        if (total > available) revert InsufficientPool(total, available);
        unallocated = available - total;
        _epochs[epoch] = Epoch(root, uint128(total), 0, uint64(block.timestamp), false);
        emit RewardRootPosted(epoch, root, total);
    }

    /// @notice Claims `device`'s reward for `epoch`; the caller must own the device's ioID and is paid.
    function claim(uint256 epoch, address device, uint256 amount, bytes32[] calldata proof) external {
        _record(epoch, device, amount, proof);
        Address.sendValue(payable(msg.sender), amount);
    }

    /// @notice Claims several (epoch, device) rewards in one transaction and pays their sum once.
    /// @dev Each claim passes the same checks as `claim`; any failing claim reverts the whole call,
    ///      including a second claim of the same (epoch, device) within `claims` (the first one has
    ///      already marked it claimed). One RewardClaimed per claim; all state is written before the
    ///      single transfer to the caller (checks-effects-interactions).
    /// @param claims The rewards to claim; the caller must own every listed device's ioID.
    /// @return paid The sum paid to the caller.
    function claimMany(Claim[] calldata claims) external returns (uint256 paid) {
        uint256 n = claims.length;
        if (n == 0) revert NoClaims();
        for (uint256 i = 0; i < n; ++i) {
            Claim calldata c = claims[i];
            _record(c.epoch, c.device, c.amount, c.proof);
            paid += c.amount;
        }
        Address.sendValue(payable(msg.sender), paid);
    }

    /// @notice Returns an epoch's unclaimed remainder to the pool once its claim window has closed.
    function recoverUnclaimed(uint256 epoch) external returns (uint256 amount) {
        Epoch storage e = _epochs[epoch];
        if (e.root == bytes32(0)) revert UnknownEpoch(epoch);
        if (e.recovered) revert ClaimWindowClosed(epoch);
        uint256 closesAt = uint256(e.postedAt) + claimWindow;
        if (block.timestamp <= closesAt) revert ClaimWindowOpen(epoch, closesAt);
        amount = e.total - e.claimed;
        e.recovered = true;
        unallocated += amount;
        emit UnclaimedRecovered(epoch, amount);
    }

    /// @notice Withdraws unallocated funds (owner only).
    function withdrawPool(address payable to, uint256 amount) external onlyOwner {
        if (to == address(0) || amount == 0) revert ZeroValue();
        uint256 available = unallocated;
        if (amount > available) revert InsufficientPool(amount, available);
        unallocated = available - amount;
        emit PoolWithdrawn(to, amount);
        Address.sendValue(to, amount);
    }

    /// @notice An epoch: root, total, claimed so far, posting time and whether its remainder was recovered.
    function epochOf(uint256 epoch)
        external
        view
        returns (bytes32 root, uint256 total, uint256 claimed, uint256 postedAt, bool recovered)
    {
        Epoch memory e = _epochs[epoch];
        return (e.root, e.total, e.claimed, e.postedAt, e.recovered);
    }

    /// @notice Whether the device's reward for the epoch was claimed.
    function isClaimed(uint256 epoch, address device) external view returns (bool) {
        return _claimed[epoch][device];
    }

    /// @dev Checks one claim for the caller and records it (claimed flags, epoch and paid totals, event).
    ///      Sends nothing: the callers transfer after all their claims are recorded.
    function _record(uint256 epoch, address device, uint256 amount, bytes32[] calldata proof) private {
        Epoch storage e = _epochs[epoch];
        if (e.root == bytes32(0)) revert UnknownEpoch(epoch);
        if (e.recovered || block.timestamp > uint256(e.postedAt) + claimWindow) revert ClaimWindowClosed(epoch);
        if (_claimed[epoch][device]) revert AlreadyClaimed(epoch, device);
        // IoTeX's registry reverts deviceTokenId for a device without an ioID: ask exists first.
        if (!ioIDRegistry.exists(device) || IIoID(ioIDRegistry.ioID()).ownerOf(ioIDRegistry.deviceTokenId(device)) != msg.sender) {
            revert NotDeviceOwner(device, msg.sender);
        }
        if (!MerkleProof.verifyCalldata(proof, e.root, rewardLeaf(epoch, device, amount))) {
            revert InvalidRewardProof(epoch, device, amount);
        }
        uint256 claimedAfter = e.claimed + amount;
        if (claimedAfter > e.total) revert EpochOverdrawn(epoch);
        e.claimed = uint128(claimedAfter);
        _claimed[epoch][device] = true;
        totalPaid += amount;
        emit RewardClaimed(epoch, device, msg.sender, amount);
    }

    /// @notice The Merkle leaf of a device's reward.
    function rewardLeaf(uint256 epoch, address device, uint256 amount) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(epoch, device, amount))));
    }
}
