// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice TEST ONLY: a voter (IoTeX MSP's IVoter) that records who was poked.
contract TestVoter {
    event Poked(address user);

    function poke(address user) external {
        emit Poked(user);
    }
}
