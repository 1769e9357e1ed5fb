// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What the ioIDRegistry needs from the ioID NFT (the same calls IoTeX's ioID takes).
interface IIoID {
    function mint(uint256 projectId, address device, address owner) external returns (uint256);

    function removeDID(address device) external;

    function migrate(uint256 id, address to) external;

    function ownerOf(uint256 id) external view returns (address);

    function walletRegistry() external view returns (address);

    function walletImplementation() external view returns (address);
}

/// @notice What the ioIDRegistry needs from the ioIDStore.
interface IIoIDStore {
    function deviceContractProject(address deviceContract) external view returns (uint256);

    function activeIoID(uint256 projectId) external payable;
}

/// @notice What other contracts read from the ioIDRegistry. As on IoTeX, `deviceTokenId` reverts
///         ("device not exists") for a device without an ioID: check `exists` first.
interface IIoIDRegistry {
    function exists(address device) external view returns (bool);

    function deviceTokenId(address device) external view returns (uint256);

    function ioID() external view returns (address);
}

/// @notice What the ioIDStore reads from the Project NFT: 0 = hardware, 1 = virtual.
interface IProjectType {
    function projectType(uint256 projectId) external view returns (uint8);
}
