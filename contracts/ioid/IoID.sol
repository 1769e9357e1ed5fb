// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ERC721Enumerable} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Enumerable.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC6551Registry} from "../interfaces/IERC6551.sol";
import {IIoID} from "../interfaces/IIoID.sol";

/// @title ioID NFT
/// @notice One token per registered device, ids sequential from 1, each with an ERC-6551 account
///         ("wallet") that holds the device NFT. Minted only by the ioIDRegistry.
contract IoID is ERC721Enumerable, Ownable, IIoID {
    /// @notice Only the ioIDRegistry may call this.
    error NotMinter(address caller);
    /// @notice The string is not a did:io:0x… identifier of a registered device.
    error UnknownDID(string did);

    struct Info {
        address device;
        uint96 projectId;
    }

    /// @notice The ERC-6551 registry that creates the wallets.
    IERC6551Registry public immutable accountRegistry;
    /// @notice The ERC-6551 account implementation.
    address public immutable accountImplementation;
    /// @notice The ioIDRegistry allowed to mint.
    address public minter;
    uint256 private _lastId;

    mapping(uint256 => Info) private _info;
    mapping(address => uint256) private _deviceId;
    /// @notice Devices currently registered per project.
    mapping(uint256 => uint256) public projectDeviceCount;

    event CreateIoID(address indexed owner, uint256 id, address wallet, string did);
    event RemoveDID(address indexed device, uint256 id);
    event MinterSet(address minter);

    constructor(address initialOwner, IERC6551Registry registry, address implementation)
        ERC721("ioID", "IOID")
        Ownable(initialOwner)
    {
        accountRegistry = registry;
        accountImplementation = implementation;
    }

    /// @notice Sets the ioIDRegistry (owner only).
    function setMinter(address minter_) external onlyOwner {
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @notice Mints the next ioID to `owner_` for `device` and creates its wallet.
    function mint(uint256 projectId, address device, address owner_) external returns (uint256 id, address wallet_) {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        id = ++_lastId;
        _info[id] = Info(device, uint96(projectId));
        _deviceId[device] = id;
        ++projectDeviceCount[projectId];
        _mint(owner_, id);
        wallet_ = accountRegistry.createAccount(accountImplementation, bytes32(0), block.chainid, address(this), id);
        emit CreateIoID(owner_, id, wallet_, _did(device));
    }

    /// @notice Unlinks a device from its ioID; the token and its wallet stay with the owner.
    function removeDID(address device) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        uint256 id = _deviceId[device];
        --projectDeviceCount[_info[id].projectId];
        delete _deviceId[device];
        _info[id].device = address(0);
        emit RemoveDID(device, id);
    }

    /// @notice Moves an ioID to a new owner on the registry's behalf (device-approved migration).
    function migrateTo(uint256 id, address to) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        _transfer(_requireOwned(id), to, id);
    }

    /// @notice The wallet (ERC-6551 account) and DID of an ioID (DID empty once removed).
    function wallet(uint256 id) external view returns (address wallet_, string memory did_) {
        _requireOwned(id);
        wallet_ = _wallet(id);
        address device = _info[id].device;
        did_ = device == address(0) ? "" : _did(device);
    }

    /// @notice The wallet of the ioID registered for a did:io DID.
    function wallet(string calldata did_) external view returns (address) {
        bytes memory raw = bytes(did_);
        if (raw.length != 49 || bytes7(raw) != bytes7("did:io:")) revert UnknownDID(did_);
        (bool ok, address device) = Strings.tryParseAddress(did_, 7, 49);
        uint256 id = ok ? _deviceId[device] : 0;
        if (id == 0) revert UnknownDID(did_);
        return _wallet(id);
    }

    /// @notice The DID of a device ("did:io:0x" + lowercase hex address).
    function did(address device) external pure returns (string memory) {
        return _did(device);
    }

    /// @notice The project a registered device belongs to (0 = not registered).
    function deviceProject(address device) external view returns (uint256) {
        uint256 id = _deviceId[device];
        return id == 0 ? 0 : _info[id].projectId;
    }

    /// @notice The ioID id of a registered device (0 = not registered).
    function deviceId(address device) external view returns (uint256) {
        return _deviceId[device];
    }

    /// @notice The owner of an ioID (ERC-721).
    function ownerOf(uint256 id) public view override(ERC721, IERC721, IIoID) returns (address) {
        return super.ownerOf(id);
    }

    function _wallet(uint256 id) private view returns (address) {
        return accountRegistry.account(accountImplementation, bytes32(0), block.chainid, address(this), id);
    }

    function _did(address device) private pure returns (string memory) {
        return string.concat("did:io:", Strings.toHexString(device));
    }
}
