// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC6551Registry} from "../interfaces/IERC6551.sol";
import {IIoID, IIoIDStore, IIoIDRegistry} from "../interfaces/IIoID.sol";

/// @title ioIDRegistry
/// @notice Registers devices: the device key signs an EIP-712 Permit(owner, nonce), the owner's device
///         NFT moves into the ERC-6551 wallet of a freshly minted ioID, and the device gets its DID
///         document hash and URI. Same external interface, events, revert strings and rules as IoTeX's
///         ioIDRegistry (iotexproject/ioID-contracts), without the proxy: the initializer's work is
///         done by the constructor.
/// @dev The Permit's `owner` is the future ioID owner for `register`/`migrate` and the caller for
///      `update`/`remove`, so a relayer may submit any of them with the device's signature. Signatures
///      are recovered with plain `ecrecover` (as IoTeX does: high-s accepted, v must be 27 or 28).
contract IoIDRegistry is IIoIDRegistry {
    using Strings for address;

    /// @notice keccak256 of the EIP-712 domain type.
    bytes32 public constant EIP712DOMAIN_TYPEHASH =
        // EIP-712's type string, hashed at compile time: it cannot be shorter.
        // solhint-disable-next-line gas-small-strings
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    /// @notice keccak256("Permit(address owner,uint256 nonce)"). Outpost extension (IoTeX keeps it internal).
    // An EIP-712 type string, hashed at compile time: it cannot be shorter.
    // solhint-disable-next-line gas-small-strings
    bytes32 public constant PERMIT_TYPEHASH = keccak256("Permit(address owner,uint256 nonce)");
    /// @notice The DID method prefix.
    string public constant METHOD = "did:io:";

    struct Record {
        bytes32 hash;
        string uri;
    }

    /// @notice The EIP-712 domain separator ("ioIDRegistry", "1", chain id, this contract).
    // solhint-disable-next-line var-name-mixedcase
    bytes32 public immutable DOMAIN_SEPARATOR;
    /// @notice The ioID NFT.
    address public immutable ioID;
    /// @dev The ERC-6551 registry and account implementation of the ioID wallets (read from the ioID).
    IERC6551Registry private immutable _walletRegistry;
    address private immutable _walletImplementation;
    /// @notice The ioIDStore charging for activations; it may hand this role to a successor.
    address public ioIDStore;
    /// @notice Whether a device NFT has backed an ioID (stays set after `remove`, as on IoTeX).
    mapping(address deviceContract => mapping(uint256 tokenId => bool)) public registeredNFT;

    mapping(address device => uint256) private _nonces;
    mapping(address device => Record) private _records;
    mapping(address device => uint256) private _ids;

    event NewDevice(address indexed device, address owner, bytes32 hash, string uri);
    event UpdateDevice(address indexed device, address owner, bytes32 hash, string uri);
    event RemoveDevice(address indexed device, address owner);
    event SetIoIdStore(address indexed store);
    event Migrate(address indexed device, address user);

    modifier deviceExists(address device) {
        require(_records[device].hash != bytes32(0), "device not exists");
        _;
    }

    constructor(address ioIDStore_, address ioID_) {
        DOMAIN_SEPARATOR = keccak256(
            abi.encode(EIP712DOMAIN_TYPEHASH, keccak256("ioIDRegistry"), keccak256("1"), block.chainid, address(this))
        );
        ioIDStore = ioIDStore_;
        ioID = ioID_;
        _walletRegistry = IERC6551Registry(IIoID(ioID_).walletRegistry());
        _walletImplementation = IIoID(ioID_).walletImplementation();
    }

    /// @notice Moves the store role to `store`; only the current ioIDStore may.
    function setIoIDStore(address store) external {
        require(store != address(0), "zero address");
        require(ioIDStore == msg.sender, "invalid factory");
        ioIDStore = store;
        emit SetIoIdStore(store);
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
        register(deviceContract, tokenId, msg.sender, device, hash, uri, v, r, s);
    }

    /// @notice Registers `device` for `user` (who approved this registry for the device NFT); the device
    ///         signs Permit(user, nonce). Any fee (`msg.value`) goes to the ioIDStore.
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
    ) public payable {
        uint256 projectId = _activate(deviceContract, tokenId, device);
        _checkPermit(device, user, v, r, s);
        _setRecord(device, hash, uri);
        registeredNFT[deviceContract][tokenId] = true;
        _mintAndBind(deviceContract, tokenId, user, device, projectId);
        emit NewDevice(device, user, hash, uri);
    }

    /// @notice Updates the DID document hash and URI; the device signs Permit(caller, nonce).
    function update(address device, bytes32 hash, string calldata uri, uint8 v, bytes32 r, bytes32 s)
        external
        deviceExists(device)
    {
        _checkPermit(device, msg.sender, v, r, s);
        _setRecord(device, hash, uri);
        emit UpdateDevice(device, msg.sender, hash, uri);
    }

    /// @notice Unregisters the device (the device signs Permit(caller, nonce)); the ioID and the device
    ///         NFT in its wallet stay with the ioID's owner, and the NFT stays marked as used.
    function remove(address device, uint8 v, bytes32 r, bytes32 s) external deviceExists(device) {
        _checkPermit(device, msg.sender, v, r, s);
        IIoID(ioID).removeDID(device);
        delete _records[device];
        delete _ids[device];
        emit RemoveDevice(device, msg.sender);
    }

    /// @notice Moves the device's ioID (and so its wallet and device NFT) to `user`; the device signs
    ///         Permit(user, nonce). Anyone may submit it.
    function migrate(address device, address user, uint8 v, bytes32 r, bytes32 s) external deviceExists(device) {
        _checkPermit(device, user, v, r, s);
        IIoID(ioID).migrate(_ids[device], user);
        emit Migrate(device, user);
    }

    /// @notice The EIP-712 struct hash of Permit(owner, nonces(device)) the device signs next.
    function permitHash(address owner, address device) external view returns (bytes32) {
        return keccak256(abi.encode(PERMIT_TYPEHASH, owner, _nonces[device]));
    }

    /// @notice The device's Permit nonce; it rises on every register, update, remove and migrate.
    function nonces(address device) external view returns (uint256) {
        return _nonces[device];
    }

    /// @notice Whether the device has an ioID.
    function exists(address device) external view returns (bool) {
        return _records[device].hash != bytes32(0);
    }

    /// @notice The device's DID: "did:io:0x" + lowercase hex address.
    function documentID(address device) external pure returns (string memory) {
        return string.concat(METHOD, device.toHexString());
    }

    /// @notice The DID document hash; reverts "device not exists" for a device without an ioID.
    function documentHash(address device) external view deviceExists(device) returns (bytes32) {
        return _records[device].hash;
    }

    /// @notice The DID document URI; reverts "device not exists" for a device without an ioID.
    function documentURI(address device) external view deviceExists(device) returns (string memory) {
        return _records[device].uri;
    }

    /// @notice The ioID token id of the device; reverts "device not exists" for a device without an ioID.
    function deviceTokenId(address device) external view deviceExists(device) returns (uint256) {
        return _ids[device];
    }

    /// @dev IoTeX's registration checks, in its order, then one activation in the ioIDStore.
    function _activate(address deviceContract, uint256 tokenId, address device) private returns (uint256 projectId) {
        require(device != address(0), "device is the zero address");
        require(!registeredNFT[deviceContract][tokenId], "nft already used");
        require(_records[device].hash == bytes32(0), "device exists");
        IIoIDStore store = IIoIDStore(ioIDStore);
        projectId = store.deviceContractProject(deviceContract);
        require(projectId != 0, "invalid project");
        store.activeIoID{value: msg.value}(projectId);
    }

    /// @dev Mints the ioID and moves the device NFT into its wallet.
    function _mintAndBind(address deviceContract, uint256 tokenId, address user, address device, uint256 projectId)
        private
    {
        uint256 id = IIoID(ioID).mint(projectId, device, user);
        _ids[device] = id;
        address wallet = _walletRegistry.account(_walletImplementation, bytes32(0), block.chainid, ioID, id);
        IERC721(deviceContract).safeTransferFrom(user, wallet, tokenId);
    }

    /// @dev Consumes the device's nonce, then checks its signature of Permit(owner, nonce).
    function _checkPermit(address device, address owner, uint8 v, bytes32 r, bytes32 s) private {
        uint256 nonce = _nonces[device];
        ++_nonces[device];
        bytes32 digest = keccak256(
            abi.encodePacked("\x19\x01", DOMAIN_SEPARATOR, keccak256(abi.encode(PERMIT_TYPEHASH, owner, nonce)))
        );
        require(ecrecover(digest, v, r, s) == device, "invalid signature");
    }

    function _setRecord(address device, bytes32 hash, string calldata uri) private {
        require(hash != bytes32(0), "empty hash");
        Record storage record = _records[device];
        record.hash = hash;
        record.uri = uri;
    }
}
