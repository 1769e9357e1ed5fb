// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title TEST ONLY verifier: answers whatever it was told to.
/// @notice Stands in for the snarkjs-generated verifier in contract tests and benchmarks until the
///         real one (contracts/zk/Groth16Verifier.sol) exists. Never deploy outside tests.
contract TestGroth16Verifier is IGroth16Verifier {
    /// @notice The answer verifyProof gives.
    bool public result = true;

    /// @notice Sets the answer.
    function setResult(bool result_) external {
        result = result_;
    }

    /// @notice Returns the configured answer; reads the inputs so the call costs like a real one.
    function verifyProof(uint256[2] calldata, uint256[2][2] calldata, uint256[2] calldata, uint256[4] calldata)
        external
        view
        returns (bool)
    {
        return result;
    }
}
