// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the restaking strategy needs from SystemStaking. `bucketOf` is read as a flat tuple: IoTeX's
///         V3 returns a struct of five static fields, which ABI-encodes exactly like this tuple.
interface ISystemStaking {
    function ownerOf(uint256 id) external view returns (address);

    function transferFrom(address from, address to, uint256 id) external;

    function bucketOf(uint256 id)
        external
        view
        returns (uint256 amount, uint256 duration, uint256 unlockedAt, uint256 unstakedAt, address delegate);

    function expandBucket(uint256 id, uint256 newDuration) external payable;

    function slash(uint256 id, uint256 amount, address payable recipient) external;
}

/// @notice What BatchInbox needs from the restaking contract: module operators, weight and slashing.
interface IModuleSlasher {
    function operatorOf(uint256 moduleId) external view returns (address);

    /// @notice The module's current restaked weight (buckets in their unstake freeze do not count).
    function moduleWeight(uint256 moduleId) external view returns (uint256);

    /// @notice Time between unstaking from the strategy and withdrawing, during which a bucket stays slashable.
    function UNSTAKE_FREEZE_TIME() external view returns (uint256);

    function slashModule(uint256 moduleId) external returns (uint256 weightSlashed);
}
