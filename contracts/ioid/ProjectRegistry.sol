// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Project} from "./Project.sol";

/// @title ProjectRegistry
/// @notice Registers DePIN projects for the caller by minting their Project NFT. The Project NFT
///         enforces the naming rules (non-empty, unique: "empty name", "exist name"). Same external
///         interface as IoTeX's ProjectRegistry, without the proxy.
contract ProjectRegistry {
    /// @notice The Project NFT this registry mints.
    Project public immutable project;

    constructor(Project project_) {
        project = project_;
    }

    /// @notice Registers an unnamed hardware project (IoTeX marks it deprecated); returns its id.
    function register() external payable returns (uint256) {
        return project.mint(msg.sender);
    }

    /// @notice Registers a hardware project named `name`; returns its id.
    function register(string calldata name) external payable returns (uint256) {
        return project.mint(msg.sender, name);
    }

    /// @notice Registers a project named `name` of type `projectType` (0 hardware, 1 virtual); returns its id.
    function register(string calldata name, uint8 projectType) external payable returns (uint256) {
        return project.mint(msg.sender, name, projectType);
    }
}
