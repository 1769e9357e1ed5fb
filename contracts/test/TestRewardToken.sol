// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice TEST ONLY: an ERC-20 reward token anyone can mint, for the restaking reward tests.
contract TestRewardToken is ERC20 {
    constructor() ERC20("Test Reward", "TRW") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}
