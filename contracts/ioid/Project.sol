// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Project NFT
/// @notice One token per DePIN project, ids from 1, minted only by the minter (the ProjectRegistry).
///         Names are unique and non-empty; the owner renames and appoints operators, who may write
///         metadata with the owner. Same external interface, events and revert strings as IoTeX's
///         Project, without the proxy: the deployer is the first minter.
contract Project is ERC721, Ownable {
    /// @notice The account allowed to mint (the ProjectRegistry).
    address public minter;
    uint256 private _nextProjectId;

    mapping(bytes32 nameHash => bool) private _nameTaken;
    mapping(uint256 projectId => string) private _names;
    mapping(uint256 projectId => uint8) private _types;
    mapping(uint256 projectId => mapping(bytes32 key => bytes)) private _metadata;
    mapping(uint256 projectId => mapping(address => bool)) private _operators;

    event SetMinter(address indexed minter);
    event SetName(uint256 indexed projectId, string name);
    event AddMetadata(uint256 indexed projectId, string name, bytes32 key, bytes value);
    event AddOperator(uint256 indexed projectId, address operator);
    event RemoveOperator(uint256 indexed projectId, address operator);

    modifier onlyMinter() {
        require(msg.sender == minter, "not minter");
        _;
    }

    modifier onlyProjectOwner(uint256 projectId) {
        require(msg.sender == ownerOf(projectId), "invalid owner");
        _;
    }

    constructor(address initialOwner) ERC721("ioID Project", "IPN") Ownable(initialOwner) {
        _setMinter(msg.sender);
    }

    /// @notice Mints an unnamed hardware project to `owner_` (IoTeX marks it deprecated).
    function mint(address owner_) external onlyMinter returns (uint256 projectId) {
        projectId = ++_nextProjectId;
        _mint(owner_, projectId);
    }

    /// @notice Mints a hardware project named `name_` to `owner_`.
    function mint(address owner_, string calldata name_) external returns (uint256) {
        return _mintProject(owner_, name_, 0);
    }

    /// @notice Mints a project named `name_` of type `type_` (0 hardware, 1 virtual) to `owner_`.
    function mint(address owner_, string calldata name_, uint8 type_) external returns (uint256) {
        return _mintProject(owner_, name_, type_);
    }

    /// @notice The project's name.
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
    function metadata(uint256 projectId, string calldata name_) external view returns (bytes memory) {
        _requireOwned(projectId);
        return _metadata[projectId][keccak256(bytes(name_))];
    }

    /// @notice Writes a metadata entry; the project's owner or an operator.
    function setMetadata(uint256 projectId, string calldata name_, bytes calldata value) external {
        require(msg.sender == ownerOf(projectId) || _operators[projectId][msg.sender], "invalid operator");
        bytes32 key = keccak256(bytes(name_));
        _metadata[projectId][key] = value;
        emit AddMetadata(projectId, name_, key, value);
    }

    /// @notice Renames the project (owner only); the old name becomes free.
    function setName(uint256 projectId, string calldata name_) external onlyProjectOwner(projectId) {
        bytes32 nameHash = _claimName(name_);
        string storage old = _names[projectId];
        if (bytes(old).length != 0) _nameTaken[keccak256(bytes(old))] = false;
        _names[projectId] = name_;
        _nameTaken[nameHash] = true;
        emit SetName(projectId, name_);
    }

    /// @notice Appoints an operator of the project (owner only).
    function addOperator(uint256 projectId, address operator) external onlyProjectOwner(projectId) {
        require(!_operators[projectId][operator], "already operator");
        _operators[projectId][operator] = true;
        emit AddOperator(projectId, operator);
    }

    /// @notice Dismisses an operator of the project (owner only).
    function removeOperator(uint256 projectId, address operator) external onlyProjectOwner(projectId) {
        require(_operators[projectId][operator], "not operator");
        _operators[projectId][operator] = false;
        emit RemoveOperator(projectId, operator);
    }

    /// @notice Sets the minter (contract owner only).
    function setMinter(address minter_) external onlyOwner {
        _setMinter(minter_);
    }

    /// @notice Number of projects minted so far (the last id).
    function count() external view returns (uint256) {
        return _nextProjectId;
    }

    function _mintProject(address owner_, string calldata name_, uint8 type_)
        private
        onlyMinter
        returns (uint256 projectId)
    {
        bytes32 nameHash = _claimName(name_);
        projectId = ++_nextProjectId;
        _mint(owner_, projectId);
        _names[projectId] = name_;
        if (type_ != 0) _types[projectId] = type_;
        _nameTaken[nameHash] = true;
        emit SetName(projectId, name_);
    }

    /// @dev The hash of a name that may be taken: non-empty and not in use.
    function _claimName(string calldata name_) private view returns (bytes32 nameHash) {
        require(bytes(name_).length != 0, "empty name");
        nameHash = keccak256(bytes(name_));
        require(!_nameTaken[nameHash], "exist name");
    }

    function _setMinter(address minter_) private {
        minter = minter_;
        emit SetMinter(minter_);
    }
}
