// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IStrategy, IRatioManager, IVoter} from "../interfaces/IRestaking.sol";

/// @title StrategyManager: IoTeX MSP's registry of restaking strategies and reward tokens
/// @notice Keeps the strategies (BucketStrategy on the devnet) and the reward tokens (native IOTX at address(1)
///         always, ERC-20 tokens added by the owner), reports each user's restaked shares across strategies,
///         and splits rewards among the strategies pro rata to their total shares. A strategy's shares are its
///         amount converted by the ratio manager; without one (the devnet) they are its amount, one to one.
///         Reverts carry IoTeX's reason strings.
contract StrategyManager is Ownable {
    using EnumerableSet for EnumerableSet.AddressSet;
    using SafeERC20 for IERC20;

    /// @notice At most this many reward tokens.
    uint256 public constant MAX_REWARD_TOKEN = 32;
    /// @notice At most this many strategies.
    uint256 public constant MAX_STRATEGY = 32;
    /// @notice The reward token that stands for native IOTX.
    address public constant IOTX_REWARD_TOKEN = address(1);
    /// @notice Scale of the per-share split in `distributeRewards`.
    /// @dev IoTeX's source declares 12 (which truncates most of a distribution); ours uses 1e18.
    uint256 public constant PRECISION_FACTOR = 1e18;

    /// @notice Converts strategy amounts to shares (zero: one to one).
    address public ratioManager;
    /// @notice Told of a user's share changes by `poke` (zero: nobody is told).
    address public voter;

    EnumerableSet.AddressSet private _strategySet;
    EnumerableSet.AddressSet private _rewardTokenSet;

    event AddStrategy(address indexed strategy);
    event RemoveStrategy(address indexed strategy);
    event SetVoter(address indexed voter);
    event ChangeRatioManager(address indexed ratioManager);
    event AddRewardToken(address indexed token);
    event RemoveRewardToken(address indexed token);
    event DistributeRewards(address indexed strategy, address indexed token, uint256 rewards);

    constructor(address initialOwner, address ratioManager_) Ownable(initialOwner) {
        ratioManager = ratioManager_;
        _rewardTokenSet.add(IOTX_REWARD_TOKEN);
        emit AddRewardToken(IOTX_REWARD_TOKEN);
    }

    // ─── strategies ───────────────────────────────────────────────────────────

    /// @notice Adds a strategy that names this manager (owner only).
    function addStrategy(address strategy) external onlyOwner {
        if (strategy == address(0)) revert("zero address");
        if (_strategySet.length() >= MAX_STRATEGY) revert("exceed max strategy");
        IStrategy s = IStrategy(strategy);
        address manager = ratioManager;
        if (manager != address(0)) require(IRatioManager(manager).isSupportedToken(s.underlyingToken()));
        if (_strategySet.contains(strategy)) revert("strategy exist");
        if (s.strategyManager() != address(this)) revert("invalid strategy manager");
        _strategySet.add(strategy);
        emit AddStrategy(strategy);
    }

    /// @notice Removes a strategy (owner only).
    function removeStrategy(address strategy) external onlyOwner {
        if (!_strategySet.remove(strategy)) revert("strategy not exist");
        emit RemoveStrategy(strategy);
    }

    /// @notice Number of strategies.
    function strategyCount() external view returns (uint256) {
        return _strategySet.length();
    }

    /// @notice All strategies.
    function strategies() external view returns (address[] memory) {
        return _strategySet.values();
    }

    // ─── shares ───────────────────────────────────────────────────────────────

    /// @notice Shares of `staker` across all strategies.
    function shares(address staker) external view returns (uint256 result) {
        uint256 n = _strategySet.length();
        for (uint256 i = 0; i < n; ++i) {
            IStrategy s = IStrategy(_strategySet.at(i));
            result += _toShares(s, s.amount(staker));
        }
    }

    /// @notice Shares of `staker` in `strategy`.
    function shares(address staker, address strategy) external view returns (uint256) {
        IStrategy s = IStrategy(strategy);
        return _toShares(s, s.amount(staker));
    }

    /// @notice Shares of all stakers across all strategies.
    function totalShares() public view returns (uint256 result) {
        uint256 n = _strategySet.length();
        for (uint256 i = 0; i < n; ++i) result += totalShares(_strategySet.at(i));
    }

    /// @notice Shares of all stakers in `strategy`.
    function totalShares(address strategy) public view returns (uint256) {
        IStrategy s = IStrategy(strategy);
        return _toShares(s, s.totalAmount());
    }

    // ─── reward tokens ────────────────────────────────────────────────────────

    /// @notice Adds an ERC-20 reward token (owner only).
    function addRewardToken(address token) external onlyOwner {
        if (token == address(0)) revert("zero address");
        if (_rewardTokenSet.length() >= MAX_REWARD_TOKEN) revert("exceed max reward token");
        if (!_rewardTokenSet.add(token)) revert("token exist");
        emit AddRewardToken(token);
    }

    /// @notice Removes an ERC-20 reward token (owner only); IOTX stays.
    function removeRewardToken(address token) external onlyOwner {
        if (token == IOTX_REWARD_TOKEN) revert("invalid token");
        if (!_rewardTokenSet.remove(token)) revert("token not exist");
        emit RemoveRewardToken(token);
    }

    /// @notice Whether `token` is a reward token.
    function isRewardToken(address token) public view returns (bool) {
        return _rewardTokenSet.contains(token);
    }

    /// @notice Number of reward tokens.
    function rewardTokenCount() external view returns (uint256) {
        return _rewardTokenSet.length();
    }

    /// @notice The reward tokens, IOTX (address(1)) first.
    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokenSet.values();
    }

    // ─── settings ─────────────────────────────────────────────────────────────

    /// @notice Sets the voter told of share changes (owner only).
    function setVoter(address voter_) external onlyOwner {
        if (voter_ == address(0)) revert("zero address");
        voter = voter_;
        emit SetVoter(voter_);
    }

    /// @notice Replaces the ratio manager; it must support every strategy's token (owner only).
    function changeRatioManager(address ratioManager_) external onlyOwner {
        if (ratioManager_ == address(0)) revert("zero address");
        uint256 n = _strategySet.length();
        for (uint256 i = 0; i < n; ++i) {
            if (!IRatioManager(ratioManager_).isSupportedToken(IStrategy(_strategySet.at(i)).underlyingToken())) {
                revert("unsupport token");
            }
        }
        ratioManager = ratioManager_;
        emit ChangeRatioManager(ratioManager_);
    }

    // ─── rewards ──────────────────────────────────────────────────────────────

    /// @notice Splits `amount` of `token` (IOTX: address(1), sent as msg.value; ERC-20: pulled from the
    ///         caller, approve first) among the strategies pro rata to their total shares; the last strategy
    ///         with shares also receives the rounding dust (IoTeX's leaves it in the manager).
    function distributeRewards(address token, uint256 amount) external payable returns (bool) {
        if (!_rewardTokenSet.contains(token)) revert("not distributable");
        bool native = token == IOTX_REWARD_TOKEN;
        if (native) {
            if (amount != msg.value) revert("rewards dismatch");
        } else {
            if (msg.value != 0) revert("invalid value");
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        }
        uint256 n = _strategySet.length();
        uint256[] memory strategyShares = new uint256[](n);
        uint256 total = 0;
        uint256 last = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 s = totalShares(_strategySet.at(i));
            strategyShares[i] = s;
            total += s;
            if (s != 0) last = i;
        }
        if (total == 0) revert("zero total shares");
        uint256 perShare = amount * PRECISION_FACTOR / total;
        uint256 given = 0;
        for (uint256 i = 0; i < n; ++i) {
            address strategy = _strategySet.at(i);
            // The last strategy with shares also takes the rounding dust, so nothing stays here.
            uint256 rewards = i == last ? amount - given : perShare * strategyShares[i] / PRECISION_FACTOR;
            given += rewards;
            if (rewards > 0) {
                if (native) {
                    IStrategy(strategy).distributeRewards{value: rewards}(token, rewards);
                } else {
                    IERC20(token).forceApprove(strategy, rewards);
                    IStrategy(strategy).distributeRewards(token, rewards);
                }
            }
            emit DistributeRewards(strategy, token, rewards);
        }
        return true;
    }

    /// @notice Tells the voter that `user`'s shares changed (nothing when no voter is set).
    function poke(address user) external {
        address v = voter;
        if (v != address(0)) IVoter(v).poke(user);
    }

    function _toShares(IStrategy s, uint256 amount) private view returns (uint256) {
        address manager = ratioManager;
        if (manager == address(0)) return amount;
        return IRatioManager(manager).getTargetAmount(s.underlyingToken(), amount);
    }
}
