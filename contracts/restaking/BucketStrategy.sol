// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ISystemStaking, IModuleSlasher} from "../interfaces/IStaking.sol";

/// @title BucketStrategy: restaking of locked bucket NFTs into modules (DIMs)
/// @notice MSP-compatible BucketStrategy surface (stake, poke, unstake, withdraw after a 7-day freeze,
///         calculateBucketRestakeAmount) plus the StrategyManager reads (shares, totalShares). Each
///         restaked bucket secures one module; each module has an operator, receives rewards that are
///         split pro rata to restaked weight with per-share accounting, and can be slashed by the
///         slasher (BatchInbox) when its operator's misbehaviour is proven on-chain.
/// @dev Slashing is lazy and O(1): a module's `factor` (1e18 = unslashed) shrinks by `slashBps` per
///      slash; a bucket's IOTX loss is realised in SystemStaking on poke/withdraw from the ratio of the
///      current factor to the bucket's checkpoint. Shares are weight / factor, so one slash scales every
///      restaker of the module equally and reward shares stay pro rata.
contract BucketStrategy is Ownable, IModuleSlasher, IERC721Receiver {
    /// @notice Time between unstake and withdraw, during which the bucket stays slashable.
    uint256 public constant UNSTAKE_FREEZE_TIME = 7 days;
    /// @notice Upper bound on the fraction one slash may take, in basis points (10%).
    uint256 public constant MAX_SLASH_BPS = 1_000;
    uint256 private constant FACTOR_ONE = 1e18;
    /// @notice Below this factor a module is considered wiped out and accepts no new stake.
    uint256 private constant MIN_FACTOR = 1e12;
    uint256 private constant ACC_PRECISION = 1e36;

    /// @notice The module id does not exist.
    error UnknownModule(uint256 moduleId);
    /// @notice Only the module's owner may do this.
    error NotModuleOwner(uint256 moduleId, address caller);
    /// @notice Only the slasher (BatchInbox) may slash.
    error NotSlasher(address caller);
    /// @notice The bucket must be locked to be restaked.
    error BucketNotLocked(uint256 bucketId);
    /// @notice The caller did not restake this bucket.
    error NotRestaker(uint256 bucketId, address caller);
    /// @notice The bucket was already unstaked from the strategy.
    error AlreadyUnstaked(uint256 bucketId);
    /// @notice The bucket has not been unstaked from the strategy.
    error NotUnstaked(uint256 bucketId);
    /// @notice The freeze after unstake has not passed.
    error WithdrawTooEarly(uint256 bucketId, uint256 withdrawableAt);
    /// @notice Rewards cannot be split among zero restaked weight.
    error NoRestakedWeight(uint256 moduleId);
    /// @notice Nothing was sent.
    error ZeroAmount();
    /// @notice An address argument is zero.
    error ZeroAddress();
    /// @notice The module has been slashed down to (almost) nothing.
    error ModuleWipedOut(uint256 moduleId);
    /// @notice The slash fraction exceeds MAX_SLASH_BPS.
    error SlashTooLarge(uint256 bps);
    /// @notice The bucket list is empty.
    error EmptyList();

    struct Module {
        address owner;
        address operator;
        uint256 totalShares;
        uint256 factor;
        uint256 accRewardPerShare;
        uint256 remainder; // undistributed rounding remainder, scaled by ACC_PRECISION
        uint256 slashCount;
    }

    struct Restake {
        address owner;
        uint48 moduleId;
        uint40 unstakedAt; // 0 while restaked
        uint128 shares;
        uint64 factorCheckpoint;
    }

    struct Position {
        uint256 shares;
        uint256 rewardDebt;
        uint256 owed;
    }

    /// @notice The bucket NFT (SystemStaking).
    ISystemStaking public immutable staking;
    /// @notice Fraction of a module's weight one proven misbehaviour slashes, in basis points.
    uint256 public immutable slashBps;
    /// @notice The contract allowed to slash modules (BatchInbox).
    address public slasher;
    /// @notice Where slashed IOTX goes.
    address payable public treasury;
    /// @notice Number of modules (the last id).
    uint256 public moduleCount;
    /// @notice Nominal weight restaked by each user across modules (StrategyManager.shares).
    mapping(address => uint256) public shares;
    /// @notice Nominal weight restaked in total (StrategyManager.totalShares).
    uint256 public totalShares;
    /// @notice Rewards received and rewards paid out, for accounting checks.
    uint256 public totalRewardsDeposited;
    uint256 public totalRewardsPaid;

    mapping(uint256 => Module) private _modules;
    mapping(uint256 => Restake) private _restakes;
    mapping(uint256 => mapping(address => Position)) private _positions;
    mapping(uint256 => uint256) private _nominalWeight;

    event ModuleRegistered(uint256 indexed moduleId, address indexed owner, address operator, string name);
    event OperatorChanged(uint256 indexed moduleId, address operator);
    event Staked(uint256 indexed bucketId, address indexed owner, uint256 indexed moduleId, uint256 weight);
    event Poked(uint256 indexed bucketId, uint256 weight);
    event Unstaked(uint256 indexed bucketId, address indexed owner);
    event Withdrawn(uint256 indexed bucketId, address indexed owner, address recipient);
    event RewardsDistributed(uint256 indexed moduleId, address indexed from, uint256 amount);
    event RewardsClaimed(uint256 indexed moduleId, address indexed owner, address recipient, uint256 amount);
    event ModuleSlashed(uint256 indexed moduleId, uint256 bps, uint256 weightBefore, uint256 weightAfter);
    event SlashRealized(uint256 indexed bucketId, uint256 amount);
    event SlasherSet(address slasher);
    event TreasurySet(address treasury);

    constructor(address initialOwner, ISystemStaking staking_, uint256 slashBps_, address payable treasury_)
        Ownable(initialOwner)
    {
        if (slashBps_ == 0 || slashBps_ > MAX_SLASH_BPS) revert SlashTooLarge(slashBps_);
        if (treasury_ == address(0)) revert ZeroAddress();
        staking = staking_;
        slashBps = slashBps_;
        treasury = treasury_;
    }

    // ─── modules ──────────────────────────────────────────────────────────────

    /// @notice Registers a module owned by the caller with an operator; returns its id.
    function registerModule(address operator, string calldata name) external returns (uint256 moduleId) {
        if (operator == address(0)) revert ZeroAddress();
        moduleId = ++moduleCount;
        Module storage m = _modules[moduleId];
        m.owner = msg.sender;
        m.operator = operator;
        m.factor = FACTOR_ONE;
        emit ModuleRegistered(moduleId, msg.sender, operator, name);
    }

    /// @notice Replaces the module's operator (module owner only).
    function setOperator(uint256 moduleId, address operator) external {
        if (operator == address(0)) revert ZeroAddress();
        Module storage m = _module(moduleId);
        if (m.owner != msg.sender) revert NotModuleOwner(moduleId, msg.sender);
        m.operator = operator;
        emit OperatorChanged(moduleId, operator);
    }

    /// @notice The module's operator (zero for unknown modules).
    function operatorOf(uint256 moduleId) external view returns (address) {
        return _modules[moduleId].operator;
    }

    /// @notice The module's current restaked weight after slashes (zero for unknown modules); buckets in
    ///         their unstake freeze do not count. BatchInbox requires a minimum of it to anchor.
    function moduleWeight(uint256 moduleId) external view returns (uint256) {
        Module storage m = _modules[moduleId];
        return m.totalShares * m.factor / FACTOR_ONE;
    }

    /// @notice A module's state: owner, operator, current weight, slash factor (1e18 = none) and slash count.
    function moduleInfo(uint256 moduleId)
        external
        view
        returns (address owner, address operator, uint256 weight, uint256 factor, uint256 slashCount)
    {
        Module storage m = _module(moduleId);
        return (m.owner, m.operator, m.totalShares * m.factor / FACTOR_ONE, m.factor, m.slashCount);
    }

    // ─── restaking ────────────────────────────────────────────────────────────

    /// @notice Restakes a locked bucket into module 1 (MSP-compatible signature).
    function stake(uint256 bucketId) external {
        _stake(bucketId, 1);
    }

    /// @notice Restakes a locked bucket (approved to this contract) into `moduleId`.
    function stake(uint256 bucketId, uint256 moduleId) external {
        _stake(bucketId, moduleId);
    }

    /// @notice Realises any pending slash on the bucket and refreshes its weight.
    function poke(uint256 bucketId) external {
        Restake storage r = _restakes[bucketId];
        if (r.owner == address(0)) revert NotRestaker(bucketId, msg.sender);
        Module storage m = _modules[r.moduleId];
        (uint256 amount, uint256 duration) = _realizeSlash(bucketId, r, m.factor);
        if (r.unstakedAt != 0) return;
        uint256 weight = calculateBucketRestakeAmount(duration, amount);
        uint256 newShares = weight * FACTOR_ONE / m.factor;
        Position storage p = _positions[r.moduleId][r.owner];
        _harvest(m, p);
        uint256 oldShares = r.shares;
        p.shares = p.shares - oldShares + newShares;
        m.totalShares = m.totalShares - oldShares + newShares;
        p.rewardDebt = _debt(p.shares, m.accRewardPerShare);
        r.shares = uint128(newShares);
        emit Poked(bucketId, weight);
    }

    /// @notice Stops restaking the buckets (rewards stop); they stay slashable for UNSTAKE_FREEZE_TIME.
    function unstake(uint256[] calldata bucketIds) external {
        if (bucketIds.length == 0) revert EmptyList();
        for (uint256 i = 0; i < bucketIds.length; ++i) {
            uint256 bucketId = bucketIds[i];
            Restake storage r = _restakes[bucketId];
            if (r.owner != msg.sender) revert NotRestaker(bucketId, msg.sender);
            if (r.unstakedAt != 0) revert AlreadyUnstaked(bucketId);
            Module storage m = _modules[r.moduleId];
            Position storage p = _positions[r.moduleId][msg.sender];
            _harvest(m, p);
            uint256 s = r.shares;
            p.shares -= s;
            p.rewardDebt = _debt(p.shares, m.accRewardPerShare);
            m.totalShares -= s;
            uint256 nominal = _nominalWeight[bucketId];
            shares[msg.sender] -= nominal;
            totalShares -= nominal;
            delete _nominalWeight[bucketId];
            r.shares = 0;
            r.unstakedAt = uint40(block.timestamp);
            emit Unstaked(bucketId, msg.sender);
        }
    }

    /// @notice Returns unstaked buckets to `recipient` after the freeze, minus any slash.
    function withdraw(uint256[] calldata bucketIds, address recipient) external {
        if (bucketIds.length == 0) revert EmptyList();
        if (recipient == address(0)) revert ZeroAddress();
        for (uint256 i = 0; i < bucketIds.length; ++i) {
            uint256 bucketId = bucketIds[i];
            Restake storage r = _restakes[bucketId];
            if (r.owner != msg.sender) revert NotRestaker(bucketId, msg.sender);
            if (r.unstakedAt == 0) revert NotUnstaked(bucketId);
            uint256 at = uint256(r.unstakedAt) + UNSTAKE_FREEZE_TIME;
            if (block.timestamp < at) revert WithdrawTooEarly(bucketId, at);
            _realizeSlash(bucketId, r, _modules[r.moduleId].factor);
            delete _restakes[bucketId];
            emit Withdrawn(bucketId, msg.sender, recipient);
            staking.transferFrom(address(this), recipient, bucketId);
        }
    }

    /// @notice The restaked weight of a bucket: amount plus up to 10% for locks up to 91 days.
    function calculateBucketRestakeAmount(uint256 duration, uint256 amount) public pure returns (uint256) {
        uint256 d = duration < 91 days ? duration : 91 days;
        return amount + amount * 10 * d / 9100 days;
    }

    /// @notice A restaked bucket: owner, module, current weight, and unstake time (0 while restaked).
    function restakeOf(uint256 bucketId)
        external
        view
        returns (address owner, uint256 moduleId, uint256 weight, uint256 unstakedAt)
    {
        Restake storage r = _restakes[bucketId];
        return (r.owner, r.moduleId, uint256(r.shares) * _modules[r.moduleId].factor / FACTOR_ONE, r.unstakedAt);
    }

    // ─── rewards ──────────────────────────────────────────────────────────────

    /// @notice Adds msg.value to the module's rewards, split pro rata to current restaked weight.
    function distributeRewards(uint256 moduleId) external payable {
        if (msg.value == 0) revert ZeroAmount();
        Module storage m = _module(moduleId);
        uint256 total = m.totalShares;
        if (total == 0) revert NoRestakedWeight(moduleId);
        uint256 scaled = msg.value * ACC_PRECISION + m.remainder;
        m.accRewardPerShare += scaled / total;
        m.remainder = scaled % total;
        totalRewardsDeposited += msg.value;
        emit RewardsDistributed(moduleId, msg.sender, msg.value);
    }

    /// @notice Pays the caller's rewards from `moduleId` to `recipient`.
    function claim(uint256 moduleId, address payable recipient) external returns (uint256 amount) {
        if (recipient == address(0)) revert ZeroAddress();
        Module storage m = _module(moduleId);
        Position storage p = _positions[moduleId][msg.sender];
        // Computed in place rather than through `owed` so a claim writes no temporary slot.
        uint256 accrued = p.shares * m.accRewardPerShare / ACC_PRECISION;
        uint256 debt = p.rewardDebt;
        uint256 owed = p.owed;
        amount = owed;
        // The debt is rounded up at share changes, so it can exceed the accrued amount by a wei: then
        // nothing has accrued yet and the debt stays (lowering it would pay that wei later).
        if (accrued > debt) {
            amount += accrued - debt;
            p.rewardDebt = accrued;
        }
        if (owed != 0) p.owed = 0;
        totalRewardsPaid += amount;
        emit RewardsClaimed(moduleId, msg.sender, recipient, amount);
        if (amount != 0) Address.sendValue(recipient, amount);
    }

    /// @notice Rewards `account` can claim from `moduleId` now.
    function pendingRewards(uint256 moduleId, address account) external view returns (uint256) {
        Module storage m = _modules[moduleId];
        Position storage p = _positions[moduleId][account];
        uint256 accrued = p.shares * m.accRewardPerShare / ACC_PRECISION;
        uint256 debt = p.rewardDebt;
        return p.owed + (accrued > debt ? accrued - debt : 0);
    }

    // ─── slashing ─────────────────────────────────────────────────────────────

    /// @notice Sets the slasher (BatchInbox); owner only.
    function setSlasher(address slasher_) external onlyOwner {
        slasher = slasher_;
        emit SlasherSet(slasher_);
    }

    /// @notice Sets where slashed IOTX goes; owner only.
    function setTreasury(address payable treasury_) external onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @notice Slashes `slashBps` of the module's restaked weight (slasher only); returns the weight removed.
    function slashModule(uint256 moduleId) external returns (uint256 weightSlashed) {
        if (msg.sender != slasher) revert NotSlasher(msg.sender);
        Module storage m = _module(moduleId);
        uint256 before = m.totalShares * m.factor / FACTOR_ONE;
        m.factor = m.factor * (10_000 - slashBps) / 10_000;
        ++m.slashCount;
        uint256 afterWeight = m.totalShares * m.factor / FACTOR_ONE;
        weightSlashed = before - afterWeight;
        emit ModuleSlashed(moduleId, slashBps, before, afterWeight);
    }

    /// @notice Accepts bucket NFTs sent with safeTransferFrom.
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    // ─── internals ────────────────────────────────────────────────────────────

    function _module(uint256 moduleId) private view returns (Module storage m) {
        m = _modules[moduleId];
        if (m.owner == address(0)) revert UnknownModule(moduleId);
    }

    function _stake(uint256 bucketId, uint256 moduleId) private {
        Module storage m = _module(moduleId);
        uint256 factor = m.factor;
        if (factor < MIN_FACTOR) revert ModuleWipedOut(moduleId);
        staking.transferFrom(msg.sender, address(this), bucketId);
        (uint256 amount, uint256 duration, uint256 unlockedAt,,) = staking.bucketOf(bucketId);
        if (unlockedAt != type(uint256).max) revert BucketNotLocked(bucketId);
        uint256 weight = calculateBucketRestakeAmount(duration, amount);
        uint256 newShares = weight * FACTOR_ONE / factor;
        Position storage p = _positions[moduleId][msg.sender];
        _harvest(m, p);
        p.shares += newShares;
        p.rewardDebt = _debt(p.shares, m.accRewardPerShare);
        m.totalShares += newShares;
        _restakes[bucketId] = Restake(msg.sender, uint48(moduleId), 0, uint128(newShares), uint64(factor));
        _nominalWeight[bucketId] = weight;
        shares[msg.sender] += weight;
        totalShares += weight;
        emit Staked(bucketId, msg.sender, moduleId, weight);
    }

    /// @dev The reward debt of `shareCount` shares, rounded UP. Rounding it down (as before) let a position
    ///      collect up to one wei it was never allotted each time its shares changed, so the sum of pending
    ///      rewards could exceed the balance (7 wei distributed, 8 pending, the last claim reverted).
    ///      Rounded up, a position's payout over any stretch of constant shares is at most its exact
    ///      share, and the sum over positions never exceeds what was distributed.
    function _debt(uint256 shareCount, uint256 accRewardPerShare) private pure returns (uint256) {
        uint256 scaled = shareCount * accRewardPerShare;
        return scaled / ACC_PRECISION + (scaled % ACC_PRECISION == 0 ? 0 : 1);
    }

    /// @dev Moves rewards accrued since the last update into `owed`.
    function _harvest(Module storage m, Position storage p) private {
        uint256 s = p.shares;
        if (s == 0) return;
        uint256 accrued = s * m.accRewardPerShare / ACC_PRECISION;
        uint256 debt = p.rewardDebt;
        if (accrued > debt) {
            p.owed += accrued - debt;
            p.rewardDebt = accrued;
        }
    }

    /// @dev Takes from the bucket what slashes since its checkpoint owe; returns its amount and duration.
    function _realizeSlash(uint256 bucketId, Restake storage r, uint256 factor)
        private
        returns (uint256 amount, uint256 duration)
    {
        (amount, duration,,,) = staking.bucketOf(bucketId);
        uint256 checkpoint = r.factorCheckpoint;
        if (factor >= checkpoint) return (amount, duration);
        uint256 owed = amount - amount * factor / checkpoint;
        r.factorCheckpoint = uint64(factor);
        if (owed == 0) return (amount, duration);
        amount -= owed;
        emit SlashRealized(bucketId, owed);
        staking.slash(bucketId, owed, treasury);
    }
}
