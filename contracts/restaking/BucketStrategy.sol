// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ISystemStaking, IModuleSlasher} from "../interfaces/IStaking.sol";
import {IStrategy, IStrategyManagerView} from "../interfaces/IRestaking.sol";

/// @title BucketStrategy: restaking of locked bucket NFTs (IoTeX MSP surface) with modules and slashing
/// @notice IoTeX MSP's BucketStrategy: a locked bucket NFT is restaked with `stake` (approve first), earns the
///         rewards StrategyManager distributes pro rata to restaked amount (per reward token, IOTX at
///         address(1)), leaves with `unstake` and comes back with `withdraw` after a 7-day freeze. The restaked
///         amount of a bucket is `calculateBucketRestakeAmount(duration, amount)`. Reverts of the shared
///         functions carry IoTeX's reason strings.
///
///         Our additions beside that surface: modules (DIMs) with an operator, a restake into a module
///         (`stake(bucketId, moduleId)` after an approve, or in one transaction with SystemStaking's
///         `safeTransferFrom` carrying the module id, see `onERC721Received`), each module's restaked weight (`moduleWeight`, read by
///         BatchInbox), and slashing of a module by the slasher (BatchInbox) when its operator's misbehaviour
///         is proven on-chain. Buckets restaked with IoTeX's `stake(bucketId)` join no module and cannot be
///         slashed. Buckets in their unstake freeze stay slashable but no longer count in a module's weight.
/// @dev Slashing is lazy and O(1): a module's `factor` (1e18 = unslashed) shrinks by `slashBps` per slash; a
///      bucket's IOTX loss is realised in SystemStaking (and taken off its restaked amount) by `realizeSlash`,
///      `poke`, `deposit` or `withdraw`, from the ratio of the module's factor to the bucket's checkpoint.
///      A module's shares are weight / factor, so one slash scales every bucket of the module equally.
contract BucketStrategy is Ownable, ReentrancyGuardTransient, IStrategy, IModuleSlasher, IERC721Receiver {
    using SafeCast for uint256;
    using SafeERC20 for IERC20;

    // ─── IoTeX's constants ────────────────────────────────────────────────────

    /// @notice SystemStaking's marker of a locked bucket (`unlockedAt`), and of a bucket not unstaked.
    uint256 public constant UINT256_MAX = type(uint256).max;
    /// @notice The reward token that stands for native IOTX.
    address public constant IOTX_REWARD_TOKEN = address(1);
    /// @notice Scale of `accTokenPerAmount`: pending = amount * accTokenPerAmount / PRECISION_FACTOR - rewardDebt.
    /// @dev IoTeX's source declares 12 (which truncates most of a distribution); ours uses 1e36 so that each
    ///      staker's share is exact to a wei. The relation between the reads is the same.
    uint256 public constant PRECISION_FACTOR = 1e36;

    // ─── our constants ────────────────────────────────────────────────────────

    /// @notice Time between unstake and withdraw (IoTeX's 7-day freeze), during which the bucket stays slashable.
    uint256 public constant UNSTAKE_FREEZE_TIME = 7 days;
    /// @notice Upper bound on the fraction one slash may take, in basis points (10%).
    uint256 public constant MAX_SLASH_BPS = 1_000;
    uint256 private constant FACTOR_ONE = 1e18;
    /// @notice Below this factor a module is considered wiped out and accepts no new stake.
    uint256 private constant MIN_FACTOR = 1e12;

    /// @notice The module id does not exist.
    error UnknownModule(uint256 moduleId);
    /// @notice Only the module's owner may do this.
    error NotModuleOwner(uint256 moduleId, address caller);
    /// @notice Only the slasher (BatchInbox) may slash.
    error NotSlasher(address caller);
    /// @notice The bucket is not held by this strategy.
    error NotRestaked(uint256 bucketId);
    /// @notice An address argument is zero.
    error ZeroAddress();
    /// @notice The module has been slashed down to (almost) nothing.
    error ModuleWipedOut(uint256 moduleId);
    /// @notice The slash fraction exceeds MAX_SLASH_BPS (or is zero).
    error SlashTooLarge(uint256 bps);
    /// @notice An NFT other than a SystemStaking bucket was sent to the strategy (`token` is its contract): it
    ///         could never be withdrawn, so it is refused.
    error NotBucketToken(address token);
    /// @notice safeTransferFrom's `data` to the strategy is neither empty nor one ABI-encoded uint256 module id.
    error MalformedRestakeData(bytes data);

    /// @dev One restaked bucket, two slots. `unstakeTime` 0 while restaked; `moduleId` 0 for no module;
    ///      `amount` is the bucket's IOTX amount as restaked (IoTeX's bucketAmount); `checkpoint` the module's
    ///      factor its slashes were last realised at; `index` its position in the staker's bucket list.
    struct Restake {
        address staker;
        uint40 unstakeTime;
        uint56 moduleId;
        uint96 amount;
        uint64 checkpoint;
        uint96 index;
    }

    /// @dev `iotxDebtPlusOne` holds the IOTX reward debt plus one from the first stake on, so that the first
    ///      claim rewrites a non-zero slot.
    struct Staker {
        uint128 amount;
        uint128 bucketCount;
        uint256 iotxDebtPlusOne;
    }

    struct Module {
        uint128 totalShares;
        uint64 factor;
        uint64 slashCount;
        address owner;
        address operator;
    }

    /// @notice The bucket NFT (SystemStaking).
    address public immutable override underlyingToken;
    /// @notice The StrategyManager that distributes rewards here.
    address public immutable override strategyManager;
    /// @notice IoTeX's BucketRewardPool (Merkle-proven bucket rewards), named here as in IoTeX's strategy.
    address public immutable rewardPool;
    /// @notice Fraction of a module's weight one proven misbehaviour slashes, in basis points.
    uint256 public immutable slashBps;

    /// @notice Restaked amount of all stakers (IoTeX).
    uint256 public override totalAmount;
    /// @notice Reward per restaked amount so far, per token, scaled by PRECISION_FACTOR (IoTeX).
    mapping(address => uint256) public accTokenPerAmount;
    /// @notice Rewards received while nothing was restaked (they could be split among no one), per token.
    mapping(address => uint256) public remainingReward;

    /// @notice The contract allowed to slash modules (BatchInbox).
    address public slasher;
    /// @notice Where slashed IOTX goes.
    address payable public treasury;
    /// @notice Number of modules (the last id).
    uint256 public moduleCount;

    mapping(uint256 => Restake) private _restakes;
    mapping(address => Staker) private _stakers;
    mapping(address => mapping(uint256 => uint256)) private _stakerBucketAt;
    mapping(address => mapping(address => uint256)) private _tokenDebt;
    /// @dev ERC-20 reward tokens this strategy has received (IOTX is handled apart).
    address[] private _erc20Rewards;
    mapping(address => bool) private _isErc20Reward;
    mapping(uint256 => Module) private _modules;

    // IoTeX's events (IBucketStrategy and BaseStrategy).
    event Stake(address indexed staker, uint256 indexed bucketId, uint256 bucketAmount, uint256 stakingAmount);
    event Deposit(address indexed staker, uint256 indexed bucketId, uint256 depositAmount, uint256 stakingAmount);
    event Unstake(address indexed staker, uint256 bucketId);
    event Withdraw(address indexed staker, uint256 bucketId);
    event Poke(address indexed staker, uint256 indexed bucketId, uint256 bucketAmount, uint256 stakingAmount);
    event ReceiveRewards(address indexed sender, address indexed token, uint256 amount);
    event ClaimReward(address indexed token, address indexed staker, uint256 amount);

    // Our events.
    event ModuleRegistered(uint256 indexed moduleId, address indexed owner, address operator, string name);
    event OperatorChanged(uint256 indexed moduleId, address operator);
    event ModuleJoined(uint256 indexed bucketId, uint256 indexed moduleId);
    event ModuleSlashed(uint256 indexed moduleId, uint256 bps, uint256 weightBefore, uint256 weightAfter);
    event SlashRealized(uint256 indexed bucketId, uint256 amount);
    event SlasherSet(address slasher);
    event TreasurySet(address treasury);

    constructor(
        address initialOwner,
        ISystemStaking staking_,
        address strategyManager_,
        address rewardPool_,
        uint256 slashBps_,
        address payable treasury_
    ) Ownable(initialOwner) {
        if (slashBps_ == 0 || slashBps_ > MAX_SLASH_BPS) revert SlashTooLarge(slashBps_);
        if (treasury_ == address(0) || strategyManager_ == address(0)) revert ZeroAddress();
        underlyingToken = address(staking_);
        strategyManager = strategyManager_;
        rewardPool = rewardPool_;
        slashBps = slashBps_;
        treasury = treasury_;
    }

    // ─── IoTeX: restaking ─────────────────────────────────────────────────────

    /// @notice Restakes a locked bucket of the caller (approved to this contract first); it joins no module.
    function stake(uint256 bucketId) external nonReentrant {
        _stake(msg.sender, bucketId, 0, true);
    }

    /// @notice Adds msg.value to a restaked bucket (its duration unchanged) and to its restaked amount.
    function deposit(uint256 bucketId) external payable nonReentrant {
        if (msg.value == 0) revert("zero amount");
        Restake storage r = _restakes[bucketId];
        if (r.staker == address(0) || r.unstakeTime != 0) revert("not staking bucket");
        (uint256 current, uint256 duration,,,) = _staking().bucketOf(bucketId);
        (uint256 before, uint256 owed) = _realizeSlash(bucketId, r, duration);
        _staking().expandBucket{value: msg.value}(bucketId, duration);
        uint256 added = _regrow(r, before, current - owed + msg.value, duration);
        emit Deposit(r.staker, bucketId, msg.value, added);
    }

    /// @notice Stops restaking the caller's buckets: their amount leaves the caller's and the total, pending
    ///         rewards are paid, and the 7-day freeze before `withdraw` starts.
    function unstake(uint256[] calldata bucketIds) external nonReentrant {
        uint256 unstakeAmount = 0;
        Staker storage st = _stakers[msg.sender];
        for (uint256 i = 0; i < bucketIds.length; ++i) {
            uint256 bucketId = bucketIds[i];
            Restake storage r = _restakes[bucketId];
            if (r.staker == address(0) || r.unstakeTime != 0) revert("not staking bucket");
            if (r.staker != msg.sender) revert("not staker");
            (, uint256 duration,,,) = _staking().bucketOf(bucketId);
            uint256 weight = calculateBucketRestakeAmount(duration, r.amount);
            unstakeAmount += weight;
            uint256 moduleId = r.moduleId;
            if (moduleId != 0) {
                Module storage m = _modules[moduleId];
                m.totalShares -= (weight * FACTOR_ONE / r.checkpoint).toUint128();
            }
            _removeFromList(msg.sender, st, r);
            r.unstakeTime = uint40(block.timestamp);
            emit Unstake(msg.sender, bucketId);
        }
        uint256 origin = st.amount;
        uint256 next = origin - unstakeAmount;
        st.amount = uint128(next);
        totalAmount -= unstakeAmount;
        _settle(msg.sender, st, origin, next);
        IStrategyManagerView(strategyManager).poke(msg.sender);
    }

    /// @notice Sends the caller's unstaked buckets to `recipient` once their freeze has passed, after taking
    ///         any slash of their module they still owe.
    function withdraw(uint256[] calldata bucketIds, address recipient) external nonReentrant {
        for (uint256 i = 0; i < bucketIds.length; ++i) {
            uint256 bucketId = bucketIds[i];
            Restake storage r = _restakes[bucketId];
            uint256 unstakedAt = r.unstakeTime;
            if (unstakedAt == 0) revert("not unstake bucket");
            if (r.staker != msg.sender) revert("not staker");
            if (unstakedAt + UNSTAKE_FREEZE_TIME > block.timestamp) revert("withdraw freeze");
            _realizeSlash(bucketId, r, 0);
            delete _restakes[bucketId];
            _staking().transferFrom(address(this), recipient, bucketId);
            emit Withdraw(msg.sender, bucketId);
        }
    }

    /// @notice Counts growth of a restaked bucket's amount in SystemStaking towards its staker's restaked
    ///         amount (after realising any slash it owes); reverts when the amount has not grown.
    function poke(uint256 bucketId) external nonReentrant {
        Restake storage r = _restakes[bucketId];
        if (r.staker == address(0) || r.unstakeTime != 0) revert("not staking bucket");
        (uint256 current, uint256 duration,,,) = _staking().bucketOf(bucketId);
        (uint256 before, uint256 owed) = _realizeSlash(bucketId, r, duration);
        uint256 grown = current - owed;
        if (grown <= before) revert("invalid bucket amount");
        uint256 added = _regrow(r, before, grown, duration);
        emit Poke(r.staker, bucketId, grown, added);
    }

    /// @notice The restaked amount of a bucket: amount plus up to 10% for locks up to 91 days.
    function calculateBucketRestakeAmount(uint256 duration, uint256 amount_) public pure returns (uint256) {
        uint256 d = duration < 91 days ? duration : 91 days;
        return amount_ + amount_ * 10 * d / 9100 days;
    }

    // ─── IoTeX: reads ─────────────────────────────────────────────────────────

    /// @notice Restaked amount of `staker` (sum of its restaked buckets' amounts).
    function amount(address staker) external view override returns (uint256) {
        return _stakers[staker].amount;
    }

    /// @notice 1 while restaked, 2 while unstaked (in its freeze or waiting for withdraw), 0 otherwise.
    function stakeStatus(uint256 bucketId) external view returns (uint8) {
        Restake storage r = _restakes[bucketId];
        if (r.staker == address(0)) return 0;
        return r.unstakeTime == 0 ? 1 : 2;
    }

    /// @notice Who restaked the bucket (zero once withdrawn).
    function bucketStaker(uint256 bucketId) external view returns (address) {
        return _restakes[bucketId].staker;
    }

    /// @notice The bucket's IOTX amount as restaked (zero once withdrawn).
    function bucketAmount(uint256 bucketId) external view returns (uint256) {
        return _restakes[bucketId].amount;
    }

    /// @notice When the bucket was unstaked (zero while restaked or unknown).
    function unstakeTime(uint256 bucketId) external view returns (uint256) {
        return _restakes[bucketId].unstakeTime;
    }

    /// @notice When the unstaked bucket can be withdrawn; reverts for a bucket that is not unstaked.
    function withdrawTime(uint256 bucketId) external view returns (uint256) {
        uint256 unstakedAt = _restakes[bucketId].unstakeTime;
        if (unstakedAt == 0) revert("invalid bucket");
        return unstakedAt + UNSTAKE_FREEZE_TIME;
    }

    /// @notice The buckets `staker` has restaked and not unstaked.
    function stakerBuckets(address staker) external view returns (uint256[] memory ids) {
        uint256 n = _stakers[staker].bucketCount;
        ids = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) ids[i] = _stakerBucketAt[staker][i];
    }

    // ─── IoTeX: rewards ───────────────────────────────────────────────────────

    /// @notice Receives `amount_` of `token` rewards (IOTX: address(1), sent as msg.value) and splits them
    ///         pro rata to restaked amount. Anyone may call it; StrategyManager does.
    function distributeRewards(address token, uint256 amount_) external payable override {
        if (token == IOTX_REWARD_TOKEN) {
            // IOTX is always one of the manager's reward tokens (it cannot be removed there).
            if (amount_ != msg.value) revert("rewards dismatch");
        } else {
            if (!IStrategyManagerView(strategyManager).isRewardToken(token)) revert("not reward token");
            if (msg.value != 0) revert("invalid value");
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount_);
            if (!_isErc20Reward[token]) {
                _isErc20Reward[token] = true;
                _erc20Rewards.push(token);
            }
        }
        uint256 total = totalAmount;
        if (total > 0) accTokenPerAmount[token] += amount_ * PRECISION_FACTOR / total;
        else remainingReward[token] += amount_;
        emit ReceiveRewards(msg.sender, token, amount_);
    }

    /// @notice Reward debt of `staker` in `token` (IoTeX's bookkeeping; rounded up here).
    function rewardDebt(address token, address staker) public view returns (uint256) {
        if (token == IOTX_REWARD_TOKEN) {
            uint256 stored = _stakers[staker].iotxDebtPlusOne;
            return stored == 0 ? 0 : stored - 1;
        }
        return _tokenDebt[token][staker];
    }

    /// @notice Rewards of `token` that `staker` can claim now.
    function pendingReward(address token, address staker) public view returns (uint256) {
        return _accrued(_stakers[staker].amount, accTokenPerAmount[token], rewardDebt(token, staker));
    }

    /// @notice Pending rewards of `staker` for each of the manager's reward tokens, in its order.
    function pendingRewards(address staker) external view returns (uint256[] memory result) {
        address[] memory tokens = IStrategyManagerView(strategyManager).rewardTokens();
        result = new uint256[](tokens.length);
        for (uint256 i = 0; i < tokens.length; ++i) result[i] = pendingReward(tokens[i], staker);
    }

    /// @notice Pays the caller's pending rewards of every reward token (IOTX first).
    function claimReward() external nonReentrant {
        _claim(msg.sender, IOTX_REWARD_TOKEN);
        uint256 n = _erc20Rewards.length;
        for (uint256 i = 0; i < n; ++i) _claim(msg.sender, _erc20Rewards[i]);
    }

    /// @notice Pays the caller's pending rewards of `token`.
    function claimReward(address token) external nonReentrant {
        _claim(msg.sender, token);
    }

    // ─── ours: modules ────────────────────────────────────────────────────────

    /// @notice Registers a module owned by the caller with an operator; returns its id.
    function registerModule(address operator, string calldata name) external returns (uint256 moduleId) {
        if (operator == address(0)) revert ZeroAddress();
        moduleId = ++moduleCount;
        Module storage m = _modules[moduleId];
        m.factor = uint64(FACTOR_ONE);
        m.owner = msg.sender;
        m.operator = operator;
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

    /// @notice Restakes a locked bucket of the caller (approved to this contract first, so two transactions
    ///         with the approve) into `moduleId`: it earns the strategy's rewards like any restaked bucket and
    ///         backs the module, which can be slashed. For one transaction, see `onERC721Received`.
    function stake(uint256 bucketId, uint256 moduleId) external nonReentrant {
        _module(moduleId);
        _stake(msg.sender, bucketId, moduleId, true);
    }

    /// @notice The module's operator (zero for unknown modules).
    function operatorOf(uint256 moduleId) external view returns (address) {
        return _modules[moduleId].operator;
    }

    /// @notice The module's current restaked weight after slashes (zero for unknown modules); buckets in
    ///         their unstake freeze do not count. BatchInbox requires a minimum of it to anchor.
    function moduleWeight(uint256 moduleId) external view returns (uint256) {
        Module storage m = _modules[moduleId];
        return uint256(m.totalShares) * m.factor / FACTOR_ONE;
    }

    /// @notice A module's state: owner, operator, current weight, slash factor (1e18 = none) and slash count.
    function moduleInfo(uint256 moduleId)
        external
        view
        returns (address owner, address operator, uint256 weight, uint256 factor, uint256 slashCount)
    {
        Module storage m = _module(moduleId);
        return (m.owner, m.operator, uint256(m.totalShares) * m.factor / FACTOR_ONE, m.factor, m.slashCount);
    }

    /// @notice A restaked bucket: staker, module (0: none), current weight after unrealised slashes (0 once
    ///         unstaked), and unstake time (0 while restaked).
    function restakeOf(uint256 bucketId)
        external
        view
        returns (address staker, uint256 moduleId, uint256 weight, uint256 unstakedAt)
    {
        Restake storage r = _restakes[bucketId];
        staker = r.staker;
        moduleId = r.moduleId;
        unstakedAt = r.unstakeTime;
        if (staker == address(0) || unstakedAt != 0) return (staker, moduleId, 0, unstakedAt);
        (, uint256 duration,,,) = _staking().bucketOf(bucketId);
        weight = calculateBucketRestakeAmount(duration, r.amount);
        if (moduleId != 0) weight = weight * FACTOR_ONE / r.checkpoint * _modules[moduleId].factor / FACTOR_ONE;
    }

    // ─── ours: slashing ───────────────────────────────────────────────────────

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
        uint256 shares = m.totalShares;
        uint256 before = shares * m.factor / FACTOR_ONE;
        uint256 factor = uint256(m.factor) * (10_000 - slashBps) / 10_000;
        if (factor == 0) factor = 1;
        m.factor = uint64(factor);
        ++m.slashCount;
        uint256 afterWeight = shares * factor / FACTOR_ONE;
        weightSlashed = before - afterWeight;
        emit ModuleSlashed(moduleId, slashBps, before, afterWeight);
    }

    /// @notice Takes from a restaked bucket (anyone may call it) the IOTX its module's slashes since its
    ///         checkpoint owe, sends it to the treasury and lowers the bucket's restaked amount accordingly.
    function realizeSlash(uint256 bucketId) external nonReentrant {
        Restake storage r = _restakes[bucketId];
        if (r.staker == address(0)) revert NotRestaked(bucketId);
        uint256 duration = 0;
        if (r.unstakeTime == 0) (, duration,,,) = _staking().bucketOf(bucketId);
        _realizeSlash(bucketId, r, duration);
    }

    /// @notice One-transaction restake (Outpost extension): `SystemStaking.safeTransferFrom(owner, strategy,
    ///         bucketId, abi.encode(moduleId))` restakes the bucket for its owner `from` into `moduleId`, with
    ///         the checks, effects, events (Stake, ModuleJoined) and reward settlement of `stake(bucketId,
    ///         moduleId)`, and needs no approve. Module id 0 means no module, like IoTeX's `stake(bucketId)`;
    ///         so does empty `data` (a plain `safeTransferFrom(owner, strategy, bucketId)`). The bucket must be
    ///         locked ("not locking bucket"); an unknown module reverts UnknownModule, a wiped-out one
    ///         ModuleWipedOut, other `data` MalformedRestakeData, an NFT of another contract NotBucketToken.
    ///         A revert here undoes the whole transfer, so the bucket stays with its owner.
    /// @dev IoTeX's MSP strategy has the same selector but is a plain ERC721Holder: it accepts the bucket and
    ///      records no staker, so a bucket sent there with safeTransferFrom is parked forever (nobody can
    ///      unstake or withdraw it). Clients must never offer this path on IoTeX's networks; it is ours only
    ///      (devnet), which is why the generated ABI lists the selector under IoTeX's part but the behaviour
    ///      is documented as ours.
    ///
    ///      Empty `data` restakes with no module rather than parking the bucket as IoTeX does: a parked
    ///      bucket has no staker record, so it could never leave again; restaked, its owner can unstake it.
    ///
    ///      `from` is the staker: SystemStaking (`msg.sender`, checked, so no one can forge this call)
    ///      moved the bucket from `from` after checking that the caller owns it or is approved for it. An
    ///      approved operator therefore restakes for the owner, never for itself; it could already move the
    ///      bucket anywhere, so this gives it nothing new. `from` is never zero: SystemStaking mints only to
    ///      the caller of its `stake`, which this contract never calls.
    ///
    ///      Reentrancy: this runs inside SystemStaking's safeTransferFrom after the NFT has moved, from a
    ///      transaction that did not enter this contract first, so the transient guard is free and this
    ///      call takes it like every other entry point. Our own functions move buckets only with
    ///      `transferFrom`, which makes no callback, so the guard never blocks a legitimate restake. If an
    ///      external call made while the guard is held (paying rewards, sending a slash to the treasury)
    ///      tries to restake through safeTransferFrom, the guard reverts it: no restake can interleave with
    ///      another entry point's bookkeeping.
    function onERC721Received(address, address from, uint256 tokenId, bytes calldata data)
        external
        nonReentrant
        returns (bytes4)
    {
        if (msg.sender != underlyingToken) revert NotBucketToken(msg.sender);
        uint256 moduleId = 0;
        if (data.length == 32) moduleId = abi.decode(data, (uint256));
        else if (data.length != 0) revert MalformedRestakeData(data);
        if (moduleId != 0) _module(moduleId);
        _stake(from, tokenId, moduleId, false);
        return IERC721Receiver.onERC721Received.selector;
    }

    // ─── internals ────────────────────────────────────────────────────────────

    function _staking() private view returns (ISystemStaking) {
        return ISystemStaking(underlyingToken);
    }

    function _module(uint256 moduleId) private view returns (Module storage m) {
        m = _modules[moduleId];
        if (m.factor == 0) revert UnknownModule(moduleId);
    }

    /// @dev Restakes `bucketId` for `staker` into `moduleId` (0: none; a non-zero id was checked to exist).
    ///      `pull`: take the NFT from `staker` (who must own it and have approved this contract) with
    ///      `transferFrom` after the bookkeeping; false when it has already arrived through
    ///      `onERC721Received`. Checks, then effects, then interactions (the pull, then reward payment).
    function _stake(address staker, uint256 bucketId, uint256 moduleId, bool pull) private {
        if (pull && _staking().ownerOf(bucketId) != staker) revert("not owner");
        (uint256 bucketAmount_, uint256 duration, uint256 unlockedAt,,) = _staking().bucketOf(bucketId);
        if (unlockedAt != UINT256_MAX) revert("not locking bucket");
        uint256 factor = FACTOR_ONE;
        uint256 weight = calculateBucketRestakeAmount(duration, bucketAmount_);
        if (moduleId != 0) {
            Module storage m = _modules[moduleId];
            factor = m.factor;
            if (factor < MIN_FACTOR) revert ModuleWipedOut(moduleId);
            m.totalShares += (weight * FACTOR_ONE / factor).toUint128();
        }

        Staker storage st = _stakers[staker];
        uint256 index = st.bucketCount;
        _restakes[bucketId] = Restake({
            staker: staker,
            unstakeTime: 0,
            moduleId: moduleId.toUint56(),
            amount: bucketAmount_.toUint96(),
            checkpoint: uint64(factor),
            index: uint96(index)
        });
        _stakerBucketAt[staker][index] = bucketId;
        uint256 origin = st.amount;
        uint256 next = origin + weight;
        st.amount = next.toUint128();
        st.bucketCount = uint128(index + 1);
        totalAmount += weight;
        if (pull) _staking().transferFrom(staker, address(this), bucketId);
        _settle(staker, st, origin, next);
        emit Stake(staker, bucketId, bucketAmount_, weight);
        if (moduleId != 0) emit ModuleJoined(bucketId, moduleId);
    }

    /// @dev Moves a restaked bucket from `before` to `bucketAmount_` IOTX; returns the restaked amount added.
    function _regrow(Restake storage r, uint256 before, uint256 bucketAmount_, uint256 duration)
        private
        returns (uint256 added)
    {
        uint256 oldWeight = calculateBucketRestakeAmount(duration, before);
        uint256 newWeight = calculateBucketRestakeAmount(duration, bucketAmount_);
        added = newWeight - oldWeight;
        uint256 moduleId = r.moduleId;
        if (moduleId != 0) {
            Module storage m = _modules[moduleId];
            uint256 checkpoint = r.checkpoint;
            m.totalShares = (m.totalShares + newWeight * FACTOR_ONE / checkpoint - oldWeight * FACTOR_ONE / checkpoint)
                .toUint128();
        }
        r.amount = bucketAmount_.toUint96();
        address staker = r.staker;
        Staker storage st = _stakers[staker];
        uint256 origin = st.amount;
        uint256 next = origin + added;
        st.amount = next.toUint128();
        totalAmount += added;
        _settle(staker, st, origin, next);
    }

    /// @dev Removes a bucket from its staker's list (swap with the last, pop).
    function _removeFromList(address staker, Staker storage st, Restake storage r) private {
        uint256 last = uint256(st.bucketCount) - 1;
        uint256 index = r.index;
        if (index != last) {
            uint256 moved = _stakerBucketAt[staker][last];
            _stakerBucketAt[staker][index] = moved;
            _restakes[moved].index = uint96(index);
        }
        delete _stakerBucketAt[staker][last];
        st.bucketCount = uint128(last);
    }

    /// @dev Realises the slashes the bucket's module took since its checkpoint: takes the IOTX owed from the
    ///      bucket in SystemStaking and, while restaked, off the restaked amounts (`duration`: the bucket's,
    ///      used only while restaked). Returns the bucket's restaked IOTX amount after it and the IOTX taken.
    function _realizeSlash(uint256 bucketId, Restake storage r, uint256 duration)
        private
        returns (uint256 bucketAmount_, uint256 owed)
    {
        bucketAmount_ = r.amount;
        uint256 moduleId = r.moduleId;
        if (moduleId == 0) return (bucketAmount_, 0);
        Module storage m = _modules[moduleId];
        uint256 factor = m.factor;
        uint256 checkpoint = r.checkpoint;
        if (factor >= checkpoint) return (bucketAmount_, 0);
        owed = bucketAmount_ - bucketAmount_ * factor / checkpoint;
        uint256 remaining = bucketAmount_ - owed;
        r.checkpoint = uint64(factor);
        r.amount = uint96(remaining);
        if (r.unstakeTime == 0) {
            uint256 oldWeight = calculateBucketRestakeAmount(duration, bucketAmount_);
            uint256 newWeight = calculateBucketRestakeAmount(duration, remaining);
            m.totalShares =
                (m.totalShares + newWeight * FACTOR_ONE / factor - oldWeight * FACTOR_ONE / checkpoint).toUint128();
            address staker = r.staker;
            Staker storage st = _stakers[staker];
            uint256 origin = st.amount;
            uint256 next = origin - (oldWeight - newWeight);
            st.amount = uint128(next);
            totalAmount -= oldWeight - newWeight;
            _settle(staker, st, origin, next);
        }
        bucketAmount_ = remaining;
        if (owed != 0) {
            emit SlashRealized(bucketId, owed);
            _staking().slash(bucketId, owed, treasury);
        }
    }

    /// @dev IoTeX's reward settlement on a change of the staker's amount from `origin` to `next`: pays what
    ///      accrued on `origin` in every reward token and resets the debts to `next`.
    function _settle(address staker, Staker storage st, uint256 origin, uint256 next) private {
        uint256 acc = accTokenPerAmount[IOTX_REWARD_TOKEN];
        uint256 stored = st.iotxDebtPlusOne;
        uint256 reward = _accrued(origin, acc, stored == 0 ? 0 : stored - 1);
        uint256 newStored = _debt(next, acc) + 1;
        if (newStored != stored) st.iotxDebtPlusOne = newStored;
        uint256 n = _erc20Rewards.length;
        for (uint256 i = 0; i < n; ++i) _settleToken(staker, _erc20Rewards[i], origin, next);
        if (reward != 0) {
            emit ClaimReward(IOTX_REWARD_TOKEN, staker, reward);
            Address.sendValue(payable(staker), reward);
        }
    }

    /// @dev `_settle` for one ERC-20 reward token.
    function _settleToken(address staker, address token, uint256 origin, uint256 next) private {
        uint256 acc = accTokenPerAmount[token];
        uint256 reward = _accrued(origin, acc, _tokenDebt[token][staker]);
        _tokenDebt[token][staker] = _debt(next, acc);
        if (reward != 0) {
            emit ClaimReward(token, staker, reward);
            IERC20(token).safeTransfer(staker, reward);
        }
    }

    /// @dev Pays `staker` its pending rewards of `token`.
    function _claim(address staker, address token) private {
        Staker storage st = _stakers[staker];
        uint256 amount_ = st.amount;
        uint256 acc = accTokenPerAmount[token];
        uint256 reward;
        if (token == IOTX_REWARD_TOKEN) {
            uint256 stored = st.iotxDebtPlusOne;
            reward = _accrued(amount_, acc, stored == 0 ? 0 : stored - 1);
            if (reward == 0) return;
            st.iotxDebtPlusOne = _debt(amount_, acc) + 1;
            emit ClaimReward(token, staker, reward);
            Address.sendValue(payable(staker), reward);
        } else {
            reward = _accrued(amount_, acc, _tokenDebt[token][staker]);
            if (reward == 0) return;
            _tokenDebt[token][staker] = _debt(amount_, acc);
            emit ClaimReward(token, staker, reward);
            IERC20(token).safeTransfer(staker, reward);
        }
    }

    function _accrued(uint256 amount_, uint256 acc, uint256 debt) private pure returns (uint256) {
        uint256 accrued = Math.mulDiv(amount_, acc, PRECISION_FACTOR);
        return accrued > debt ? accrued - debt : 0;
    }

    /// @dev The reward debt of `amount_`, rounded UP: a staker's payout over any stretch of constant amount is
    ///      then at most its exact share, and the sum of all payouts never exceeds what was distributed.
    function _debt(uint256 amount_, uint256 acc) private pure returns (uint256) {
        return Math.mulDiv(amount_, acc, PRECISION_FACTOR, Math.Rounding.Ceil);
    }
}
