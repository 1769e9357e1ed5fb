// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {ERC721Enumerable} from "@openzeppelin/contracts/token/ERC721/extensions/ERC721Enumerable.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC6551Registry} from "../interfaces/IERC6551.sol";
import {IIoID} from "../interfaces/IIoID.sol";

/// @title ioID NFT
/// @notice One token per registered device, ids sequential from 1, each with an ERC-6551 account
///         ("wallet") that holds the device NFT. Minted only by the minter (the ioIDRegistry). Same
///         external interface, events, revert strings and rules as IoTeX's ioID, without the proxy:
///         the deployer is the first minter and hands the role to the registry with `setMinter`.
contract IoID is ERC721Enumerable, IIoID {
    using Strings for address;

    /// @dev First element marker of the per-project device lists (the list runs newest first).
    address private constant SENTINEL = address(1);

    struct Info {
        address device; // zero once the DID is removed
        uint96 projectId;
    }

    /// @notice The ERC-6551 registry that creates the wallets.
    address public immutable walletRegistry;
    /// @notice The ERC-6551 account implementation of the wallets.
    address public immutable walletImplementation;
    /// @notice The account allowed to mint, remove DIDs and migrate (the ioIDRegistry).
    address public minter;
    uint256 private _nextId;

    mapping(uint256 id => Info) private _info;
    mapping(address device => uint256) private _deviceId;
    /// @notice ioIDs minted per project (removal does not lower it, as on IoTeX).
    mapping(uint256 projectId => uint256) public projectDeviceCount;
    mapping(uint256 projectId => mapping(address => address)) private _projectIDs;
    mapping(uint256 id => address) private _resolvers;

    event CreateIoID(address indexed owner, uint256 id, address wallet, string did);
    event SetMinter(address indexed minter);
    event RemoveDIDWallet(address indexed wallet, string did);
    event SetResolver(uint256 id, address indexed resolver);
    event Migrate(address indexed from, address indexed to, uint256 id);

    modifier onlyMinter() {
        require(minter == msg.sender, "invalid minter");
        _;
    }

    constructor(address walletRegistry_, address walletImplementation_) ERC721("ioID", "IOID") {
        walletRegistry = walletRegistry_;
        walletImplementation = walletImplementation_;
        minter = msg.sender;
        emit SetMinter(msg.sender);
    }

    /// @notice Hands the minter role to `minter_`; only the current minter may.
    function setMinter(address minter_) external {
        require(minter_ != address(0), "zero minter");
        require(minter == msg.sender, "invalid minter");
        minter = minter_;
        emit SetMinter(minter_);
    }

    /// @notice Mints the next ioID to `owner_` for `device` and creates its wallet.
    function mint(uint256 projectId, address device, address owner_) external onlyMinter returns (uint256 id) {
        id = ++_nextId;
        _mint(owner_, id);
        address wallet_ = IERC6551Registry(walletRegistry).createAccount(
            walletImplementation, bytes32(0), block.chainid, address(this), id
        );
        _info[id] = Info(device, uint96(projectId));
        _deviceId[device] = id;
        _addToProject(projectId, device);
        ++projectDeviceCount[projectId];
        emit CreateIoID(owner_, id, wallet_, _did(device));
    }

    /// @notice Unlinks a device from its ioID: its DID no longer resolves; the token, its wallet and the
    ///         device's project entry stay.
    function removeDID(address device) external onlyMinter {
        uint256 id = _deviceId[device];
        require(id != 0 && _info[id].device == device, "wallet not exist");
        _info[id].device = address(0);
        emit RemoveDIDWallet(_wallet(id), _did(device));
    }

    /// @notice Moves ioID `id` (and so its wallet) to `to` for the registry's device-signed migration.
    function migrate(uint256 id, address to) external onlyMinter {
        address from = _requireOwned(id);
        _transfer(from, to, id);
        emit Migrate(from, to, id);
    }

    /// @notice Sets the resolver of an ioID; its owner only.
    function setResolver(uint256 id, address resolver_) external {
        require(ownerOf(id) == msg.sender, "not ioID owner");
        _resolvers[id] = resolver_;
        emit SetResolver(id, resolver_);
    }

    /// @notice The resolver of an ioID (zero if none).
    function resolver(uint256 id) external view returns (address) {
        return _resolvers[id];
    }

    /// @notice The wallet (ERC-6551 account) of ioID `id` and its DID (empty once removed or never minted).
    function wallet(uint256 id) external view returns (address wallet_, string memory did_) {
        wallet_ = _wallet(id);
        address device = _info[id].device;
        if (device != address(0)) did_ = _did(device);
    }

    /// @notice The wallet of the ioID registered for a DID, written exactly as `did(device)` returns
    ///         it (zero for any other string).
    function wallet(string calldata did_) external view returns (address) {
        bytes calldata raw = bytes(did_);
        if (raw.length != 49) return address(0);
        (bool ok, address device) = Strings.tryParseAddress(did_, 7, 49);
        if (!ok) return address(0);
        uint256 id = _deviceId[device];
        if (id == 0 || _info[id].device != device || keccak256(raw) != keccak256(bytes(_did(device)))) {
            return address(0);
        }
        return _wallet(id);
    }

    /// @notice The DID of a device ("did:io:0x" + lowercase hex address).
    function did(address device) external pure returns (string memory) {
        return _did(device);
    }

    /// @notice The project of the device's latest ioID (0 = never registered).
    function deviceProject(address device) external view returns (uint256) {
        return _info[_deviceId[device]].projectId;
    }

    /// @notice A page of the project's devices, newest first. Start with `start` = address(1); each
    ///         page holds the devices after `start` and `next` is the entry after the page (zero at the
    ///         end). As on IoTeX, passing `next` as the following `start` skips that entry: pass the
    ///         page's last device instead to read every device.
    function projectIDs(uint256 projectId, address start, uint256 pageSize)
        external
        view
        returns (address[] memory array, address next)
    {
        mapping(address => address) storage list = _projectIDs[projectId];
        array = new address[](pageSize);
        uint256 count;
        address current = list[start];
        while (current != address(0) && current != SENTINEL && count < pageSize) {
            array[count] = current;
            current = list[current];
            ++count;
        }
        next = current;
        // Shrinks the array to the entries found; Solidity has no other way to shorten a memory array.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(array, count)
        }
    }

    /// @notice The ioID id of the device (0 = never registered). Outpost extension.
    function deviceId(address device) external view returns (uint256) {
        return _deviceId[device];
    }

    /// @notice The owner of an ioID (ERC-721).
    function ownerOf(uint256 id) public view override(ERC721, IERC721, IIoID) returns (address) {
        return super.ownerOf(id);
    }

    /// @dev Pushes `device` at the head of the project's list unless it already has a successor
    ///      (IoTeX's list rule, kept as is).
    function _addToProject(uint256 projectId, address device) private {
        require(device != address(0) && device != SENTINEL, "item can't be zero or sentinel");
        mapping(address => address) storage list = _projectIDs[projectId];
        if (list[device] != address(0)) return;
        list[device] = list[SENTINEL];
        list[SENTINEL] = device;
    }

    function _wallet(uint256 id) private view returns (address) {
        return IERC6551Registry(walletRegistry).account(walletImplementation, bytes32(0), block.chainid, address(this), id);
    }

    function _did(address device) private pure returns (string memory) {
        return string.concat("did:io:", device.toHexString());
    }
}
