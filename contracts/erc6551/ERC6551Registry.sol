// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {IERC6551Registry} from "../interfaces/IERC6551.sol";

/// @title Minimal ERC-6551 registry for the devnet
/// @notice Same addressing scheme as the canonical registry (v0.3.1): an ERC-1167 proxy to the
///         implementation with (salt, chainId, tokenContract, tokenId) appended to its code, deployed
///         with CREATE2 under `salt`. IoTeX's networks use the canonical deployment instead.
contract ERC6551Registry is IERC6551Registry {
    /// @notice Deploys the token-bound account, or returns it when it already exists.
    function createAccount(address implementation, bytes32 salt, uint256 chainId, address tokenContract, uint256 tokenId)
        external
        returns (address)
    {
        bytes memory code = _creationCode(implementation, salt, chainId, tokenContract, tokenId);
        address predicted = Create2.computeAddress(salt, keccak256(code));
        if (predicted.code.length != 0) return predicted;
        emit ERC6551AccountCreated(predicted, implementation, salt, chainId, tokenContract, tokenId);
        return Create2.deploy(0, salt, code);
    }

    /// @notice The address the account for this token has, or will have.
    function account(address implementation, bytes32 salt, uint256 chainId, address tokenContract, uint256 tokenId)
        external
        view
        returns (address)
    {
        return Create2.computeAddress(salt, keccak256(_creationCode(implementation, salt, chainId, tokenContract, tokenId)));
    }

    function _creationCode(address implementation, bytes32 salt, uint256 chainId, address tokenContract, uint256 tokenId)
        private
        pure
        returns (bytes memory)
    {
        return abi.encodePacked(
            hex"3d60ad80600a3d3981f3363d3d373d3d3d363d73",
            implementation,
            hex"5af43d82803e903d91602b57fd5bf3",
            abi.encode(salt, chainId, tokenContract, tokenId)
        );
    }
}
