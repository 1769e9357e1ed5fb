// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Project} from "./Project.sol";

/// @title ProjectRegistry
/// @notice Registers DePIN projects under unique, non-empty names and mints their Project NFT.
contract ProjectRegistry {
    /// @notice Names must not be empty.
    error EmptyProjectName();
    /// @notice Another project already uses this name.
    error ProjectNameTaken(string name);
    /// @notice Project types are 0 (hardware) or 1 (virtual).
    error InvalidProjectType(uint8 projectType);

    /// @notice The Project NFT this registry mints.
    Project public immutable project;
    mapping(bytes32 => bool) private _nameUsed;

    /// @notice Emitted for every new project.
    event ProjectRegistered(uint256 indexed projectId, address indexed owner, string name, uint8 projectType);

    constructor(Project project_) {
        project = project_;
    }

    /// @notice Registers a project owned by the caller; returns its id.
    function register(string calldata name, uint8 projectType) external returns (uint256 projectId) {
        if (bytes(name).length == 0) revert EmptyProjectName();
        if (projectType > 1) revert InvalidProjectType(projectType);
        bytes32 key = keccak256(bytes(name));
        if (_nameUsed[key]) revert ProjectNameTaken(name);
        _nameUsed[key] = true;
        projectId = project.mint(msg.sender, name, projectType);
        emit ProjectRegistered(projectId, msg.sender, name, projectType);
    }
}
