// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Project NFT
/// @notice One token per DePIN project; minted only by the ProjectRegistry. Ids start at 1.
contract Project is ERC721, Ownable {
    /// @notice Only the ProjectRegistry may mint projects.
    error NotMinter(address caller);
    /// @notice The caller does not own the project.
    error NotProjectOwner(uint256 projectId, address caller);
    /// @notice The project id does not exist.
    error UnknownProject(uint256 projectId);

    /// @notice The ProjectRegistry allowed to mint.
    address public minter;
    /// @notice Number of projects minted so far (the last id).
    uint256 public count;

    mapping(uint256 => string) private _names;
    mapping(uint256 => uint8) private _types;
    mapping(uint256 => mapping(bytes32 => bytes)) private _metadata;

    /// @notice Emitted when the minter changes.
    event MinterSet(address minter);
    /// @notice Emitted when a project's metadata entry is written.
    event SetMetadata(uint256 indexed projectId, string name, bytes value);

    constructor(address initialOwner) ERC721("ioID Project", "IPN") Ownable(initialOwner) {}

    /// @notice Sets the registry that may mint (owner only).
    function setMinter(address minter_) external onlyOwner {
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @notice Mints project `count + 1` to `to`; called by the ProjectRegistry.
    function mint(address to, string calldata projectName, uint8 projectType_) external returns (uint256 projectId) {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        projectId = ++count;
        _names[projectId] = projectName;
        _types[projectId] = projectType_;
        _mint(to, projectId);
    }

    /// @notice The project's registered name.
    function name(uint256 projectId) external view returns (string memory) {
        _requireOwned(projectId);
        return _names[projectId];
    }

    /// @notice 0 = hardware, 1 = virtual.
    function projectType(uint256 projectId) external view returns (uint8) {
        _requireOwned(projectId);
        return _types[projectId];
    }

    /// @notice A metadata entry of the project.
    function metadata(uint256 projectId, string calldata key) external view returns (bytes memory) {
        _requireOwned(projectId);
        return _metadata[projectId][keccak256(bytes(key))];
    }

    /// @notice Writes a metadata entry; project owner only.
    function setMetadata(uint256 projectId, string calldata key, bytes calldata value) external {
        if (_ownerOf(projectId) != msg.sender) revert NotProjectOwner(projectId, msg.sender);
        _metadata[projectId][keccak256(bytes(key))] = value;
        emit SetMetadata(projectId, key, value);
    }
}
