// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

interface ITestStaking {
    function stake(uint256 duration, address delegate) external payable returns (uint256);
}

interface ITestStrategy {
    function stake(uint256 bucketId) external;
    function claimReward() external;
}

/// @notice TEST ONLY: a restaker contract that, when the strategy pays it a reward, tries a one-transaction
///         restake of its spare bucket from inside that payment, and records the revert it gets. Shows that
///         BucketStrategy's reentrancy guard refuses a restake interleaved with another entry point.
contract TestReentrantRestaker is IERC721Receiver {
    address private immutable _staking;
    address private immutable _strategy;
    /// @notice The bucket the reward payment tries to restake (0: none).
    uint256 public spareBucket;
    /// @notice The revert data of the attempt made inside the reward payment (empty if none failed).
    bytes public reentryError;
    /// @notice Whether that attempt was made.
    bool public attempted;

    constructor(address staking_, address strategy_) {
        _staking = staking_;
        _strategy = strategy_;
    }

    /// @notice Stakes a locked bucket of msg.value for this contract.
    function stakeBucket(uint256 duration, address delegate) external payable returns (uint256) {
        return ITestStaking(_staking).stake{value: msg.value}(duration, delegate);
    }

    /// @notice IoTeX's two-step restake of one of this contract's buckets.
    function restake(uint256 bucketId) external {
        IERC721(_staking).approve(_strategy, bucketId);
        ITestStrategy(_strategy).stake(bucketId);
    }

    /// @notice Sets the bucket the next reward payment tries to restake.
    function setSpareBucket(uint256 bucketId) external {
        spareBucket = bucketId;
    }

    /// @notice Claims rewards: the strategy pays them to `receive` while its guard is held.
    function claim() external {
        ITestStrategy(_strategy).claimReward();
    }

    /// @notice The one-transaction restake of the spare bucket, outside any strategy call.
    function sendSpare() external {
        IERC721(_staking).safeTransferFrom(address(this), _strategy, spareBucket, "");
    }

    /// @notice Accepts the buckets SystemStaking mints here.
    function onERC721Received(address, address, uint256, bytes calldata) external pure returns (bytes4) {
        return IERC721Receiver.onERC721Received.selector;
    }

    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        // The reentry attempt is the point of this contract.
        if (spareBucket == 0 || attempted) return;
        attempted = true;
        try IERC721(_staking).safeTransferFrom(address(this), _strategy, spareBucket, "") {
            reentryError = "";
        } catch (bytes memory reason) {
            reentryError = reason;
        }
    }
}
