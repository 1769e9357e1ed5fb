// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The strategy surface StrategyManager uses (IoTeX MSP's IStrategy).
interface IStrategy {
    /// @notice The token restaked in this strategy (the bucket NFT for BucketStrategy).
    function underlyingToken() external view returns (address);

    /// @notice The manager that distributes rewards to this strategy.
    function strategyManager() external view returns (address);

    /// @notice Restaked amount of `staker`.
    function amount(address staker) external view returns (uint256);

    /// @notice Restaked amount of all stakers.
    function totalAmount() external view returns (uint256);

    /// @notice Receives `amount` of `token` rewards (native IOTX as msg.value when token is address(1)).
    function distributeRewards(address token, uint256 amount) external payable;
}

/// @notice What strategies ask their manager (IoTeX MSP's IStrategyManager, the part strategies call).
interface IStrategyManagerView {
    function isRewardToken(address token) external view returns (bool);

    function rewardTokens() external view returns (address[] memory);

    function poke(address user) external;
}

/// @notice Converts a strategy's amount of its underlying token into shares (IoTeX MSP's IRatioManager).
interface IRatioManager {
    function isSupportedToken(address token) external view returns (bool);

    function getTargetAmount(address token, uint256 amount) external view returns (uint256);
}

/// @notice Receives share updates of a user (IoTeX MSP's IVoter).
interface IVoter {
    function poke(address user) external;
}
