// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IIoID, IIoIDStore, IIoIDRegistry} from "../interfaces/IIoID.sol";

/// @title ioIDRegistry
/// @notice Registers devices: the device key signs an EIP-712 Permit(owner, nonce), the owner's device
///         NFT moves into the ERC-6551 wallet of a freshly minted ioID, and the device gets its DID
///         document hash and URI. Same external interface as IoTeX's ioIDRegistry v1.
contract IoIDRegistry is EIP712, Nonces, IIoIDRegistry {
    /// @notice A required address is zero.
    error ZeroAddress();
    /// @notice The document hash must not be zero.
    error ZeroHash();
    /// @notice The device already has an ioID.
    error DeviceAlreadyRegistered(address device);
    /// @notice This device NFT already backs an ioID.
    error DeviceNFTAlreadyRegistered(address deviceContract, uint256 tokenId);
    /// @notice The device NFT contract is not bound to any project in the ioIDStore.
    error DeviceContractNotInProject(address deviceContract);
    /// @notice The owner has not approved this registry to move the device NFT.
    error DeviceNFTNotApproved(address deviceContract, uint256 tokenId, address owner);
    /// @notice The device has no ioID.
    error DeviceNotRegistered(address device);
    /// @notice Only the ioID's owner may do this.
    error NotIoIDOwner(address device, address caller);
    /// @notice The Permit was signed for a nonce already used (a replay).
    error DevicePermitReplayed(address device, uint256 usedNonce);
    /// @notice The Permit was not signed by the device for this owner and nonce.
    error InvalidDevicePermit(address device, address recoveredSigner);

    /// @notice keccak256("Permit(address owner,uint256 nonce)")
    bytes32 public constant PERMIT_TYPEHASH = keccak256("Permit(address owner,uint256 nonce)");

    struct Record {
        bytes32 hash;
        string uri;
    }

    /// @notice The ioIDStore charging for activations.
    IIoIDStore public immutable ioIDStore;
    /// @notice The ioID NFT.
    address public immutable ioID;

    mapping(address => Record) private _records;
    mapping(address => uint256) private _ioIDOf;
    /// @dev keccak256(deviceContract, tokenId) of the NFT backing each device: one slot instead of two.
    mapping(address => bytes32) private _deviceNFTKey;
    mapping(bytes32 => bool) private _registeredNFT;

    event NewDevice(address indexed device, address owner, bytes32 hash, string uri);
    event UpdateDevice(address indexed device, address owner, bytes32 hash, string uri);
    event RemoveDevice(address indexed device, address owner);
    event MigrateDevice(address indexed device, address indexed from, address indexed to);

    constructor(IIoIDStore store, address ioID_) EIP712("ioIDRegistry", "1") {
        ioIDStore = store;
        ioID = ioID_;
    }

    /// @notice Registers `device` for the caller, moving the caller's device NFT into the new ioID's wallet.
    function register(
        address deviceContract,
        uint256 tokenId,
        address device,
        bytes32 hash,
        string calldata uri,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external payable {
        _register(deviceContract, tokenId, msg.sender, device, hash, uri, v, r, s);
    }

    /// @notice Registers `device` for `user` (who approved this registry for the device NFT).
    function register(
        address deviceContract,
        uint256 tokenId,
        address user,
        address device,
        bytes32 hash,
        string calldata uri,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external payable {
        _register(deviceContract, tokenId, user, device, hash, uri, v, r, s);
    }

    /// @notice Updates the DID document hash and URI; caller must own the ioID, device signs Permit(caller, nonce).
    function update(address device, bytes32 hash, string calldata uri, uint8 v, bytes32 r, bytes32 s) external {
        if (hash == bytes32(0)) revert ZeroHash();
        address owner = _requireIoIDOwner(device);
        _usePermit(device, owner, v, r, s);
        Record storage record = _records[device];
        record.hash = hash;
        record.uri = uri;
        emit UpdateDevice(device, owner, hash, uri);
    }

    /// @notice Unregisters the device; the ioID and the device NFT in its wallet stay with the owner.
    function remove(address device, uint8 v, bytes32 r, bytes32 s) external {
        address owner = _requireIoIDOwner(device);
        _usePermit(device, owner, v, r, s);
        delete _registeredNFT[_deviceNFTKey[device]];
        delete _records[device];
        delete _ioIDOf[device];
        delete _deviceNFTKey[device];
        IIoID(ioID).removeDID(device);
        emit RemoveDevice(device, owner);
    }

    /// @notice Moves the ioID (and so its wallet and device NFT) to `user`; the device signs Permit(user, nonce).
    function migrate(address device, address user, uint8 v, bytes32 r, bytes32 s) external {
        if (user == address(0)) revert ZeroAddress();
        address owner = _requireIoIDOwner(device);
        _usePermit(device, user, v, r, s);
        IIoID(ioID).migrateTo(_ioIDOf[device], user);
        emit MigrateDevice(device, owner, user);
    }

    /// @notice The EIP-712 domain separator ("ioIDRegistry", "1", chain id, this contract).
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @notice Whether the device has an ioID.
    function exists(address device) public view returns (bool) {
        return _ioIDOf[device] != 0;
    }

    /// @notice The device's DID: "did:io:0x" + lowercase hex address.
    function documentID(address device) external pure returns (string memory) {
        return string.concat("did:io:", Strings.toHexString(device));
    }

    /// @notice The DID document hash.
    function documentHash(address device) external view returns (bytes32) {
        return _records[device].hash;
    }

    /// @notice The DID document URI.
    function documentURI(address device) external view returns (string memory) {
        return _records[device].uri;
    }

    /// @notice The ioID token id of the device (0 = not registered).
    function deviceTokenId(address device) external view returns (uint256) {
        return _ioIDOf[device];
    }

    /// @notice Whether this device NFT backs an ioID.
    function registeredNFT(address deviceContract, uint256 tokenId) external view returns (bool) {
        return _registeredNFT[_nftKey(deviceContract, tokenId)];
    }

    function _register(
        address deviceContract,
        uint256 tokenId,
        address user,
        address device,
        bytes32 hash,
        string calldata uri,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) private {
        uint256 projectId = _checkAndActivate(deviceContract, tokenId, user, device, hash);
        _usePermit(device, user, v, r, s);
        _mintAndBind(deviceContract, tokenId, user, device, hash, uri, projectId);
    }

    /// @dev The registration checks in IoTeX's order, then one activation in the ioIDStore.
    function _checkAndActivate(address deviceContract, uint256 tokenId, address user, address device, bytes32 hash)
        private
        returns (uint256 projectId)
    {
        if (device == address(0) || user == address(0)) revert ZeroAddress();
        if (_registeredNFT[_nftKey(deviceContract, tokenId)]) revert DeviceNFTAlreadyRegistered(deviceContract, tokenId);
        if (_ioIDOf[device] != 0) revert DeviceAlreadyRegistered(device);
        if (hash == bytes32(0)) revert ZeroHash();
        projectId = ioIDStore.deviceContractProject(deviceContract);
        if (projectId == 0) revert DeviceContractNotInProject(deviceContract);
        if (
            IERC721(deviceContract).getApproved(tokenId) != address(this)
                && !IERC721(deviceContract).isApprovedForAll(user, address(this))
        ) revert DeviceNFTNotApproved(deviceContract, tokenId, user);
        ioIDStore.activeIoID{value: msg.value}(projectId);
    }

    function _mintAndBind(
        address deviceContract,
        uint256 tokenId,
        address user,
        address device,
        bytes32 hash,
        string calldata uri,
        uint256 projectId
    ) private {
        bytes32 key = _nftKey(deviceContract, tokenId);
        _registeredNFT[key] = true;
        _deviceNFTKey[device] = key;
        Record storage record = _records[device];
        record.hash = hash;
        record.uri = uri;
        (uint256 id, address wallet) = IIoID(ioID).mint(projectId, device, user);
        _ioIDOf[device] = id;
        emit NewDevice(device, user, hash, uri);
        IERC721(deviceContract).transferFrom(user, wallet, tokenId);
    }

    function _nftKey(address deviceContract, uint256 tokenId) private pure returns (bytes32) {
        return keccak256(abi.encode(deviceContract, tokenId));
    }

    function _requireIoIDOwner(address device) private view returns (address owner) {
        uint256 id = _ioIDOf[device];
        if (id == 0) revert DeviceNotRegistered(device);
        owner = IIoID(ioID).ownerOf(id);
        if (owner != msg.sender) revert NotIoIDOwner(device, msg.sender);
    }

    /// @dev Checks the device's Permit(owner, nonce) and consumes the nonce.
    function _usePermit(address device, address owner, uint8 v, bytes32 r, bytes32 s) private {
        uint256 nonce = _useNonce(device);
        (address signer,,) = ECDSA.tryRecover(_permitDigest(owner, nonce), v, r, s);
        if (signer == device) return;
        if (nonce != 0) {
            (address previous,,) = ECDSA.tryRecover(_permitDigest(owner, nonce - 1), v, r, s);
            if (previous == device) revert DevicePermitReplayed(device, nonce - 1);
        }
        revert InvalidDevicePermit(device, signer);
    }

    function _permitDigest(address owner, uint256 nonce) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(PERMIT_TYPEHASH, owner, nonce)));
    }
}
