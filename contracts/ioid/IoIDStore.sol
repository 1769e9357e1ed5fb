// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title ioIDStore
/// @notice Sells ioIDs to projects: a project prepays a quota at `price()` each and binds one device
///         NFT contract. Each registration activates one ioID; past the quota it costs `price()`.
contract IoIDStore is Ownable {
    /// @notice msg.value must equal amount * price().
    error WrongPayment(uint256 expected, uint256 paid);
    /// @notice The caller does not own the project.
    error NotProjectOwner(uint256 projectId, address caller);
    /// @notice The project already has its device contract.
    error DeviceContractAlreadySet(uint256 projectId, address current);
    /// @notice The device contract already belongs to a project.
    error DeviceContractInUse(address deviceContract, uint256 projectId);
    /// @notice Only the ioIDRegistry may activate ioIDs.
    error NotIoIDRegistry(address caller);
    /// @notice Zero is not a valid amount, address or project.
    error ZeroValue();

    struct Quota {
        uint128 applied;
        uint128 actived;
    }

    /// @notice The Project NFT whose owners manage projects here.
    IERC721 public immutable project;
    /// @notice Price of one ioID in Rau.
    uint256 public price;
    /// @notice The registry allowed to activate ioIDs.
    address public ioIDRegistry;

    /// @notice The device NFT contract bound to a project.
    mapping(uint256 => address) public projectDeviceContract;
    /// @notice The project a device NFT contract is bound to (0 = none).
    mapping(address => uint256) public deviceContractProject;
    mapping(uint256 => Quota) private _quota;

    event ApplyIoIDs(uint256 indexed projectId, uint256 amount);
    event SetDeviceContract(uint256 indexed projectId, address indexed deviceContract);
    event ActiveIoID(uint256 indexed projectId, uint256 fee);
    event ChangePrice(uint256 price);
    event SetIoIDRegistry(address ioIDRegistry);
    event Withdrawn(address indexed to, uint256 amount);

    constructor(address initialOwner, IERC721 project_, uint256 price_) Ownable(initialOwner) {
        project = project_;
        price = price_;
        emit ChangePrice(price_);
    }

    /// @notice Prepays `amount` ioIDs for a project (msg.value = amount * price()).
    function applyIoIDs(uint256 projectId, uint256 amount) external payable {
        if (amount == 0) revert ZeroValue();
        uint256 expected = amount * price;
        if (msg.value != expected) revert WrongPayment(expected, msg.value);
        project.ownerOf(projectId); // reverts for unknown projects
        _quota[projectId].applied += uint128(amount);
        emit ApplyIoIDs(projectId, amount);
    }

    /// @notice Binds the project's device NFT contract (once, project owner only).
    function setDeviceContract(uint256 projectId, address deviceContract) external {
        if (deviceContract == address(0)) revert ZeroValue();
        if (project.ownerOf(projectId) != msg.sender) revert NotProjectOwner(projectId, msg.sender);
        address current = projectDeviceContract[projectId];
        if (current != address(0)) revert DeviceContractAlreadySet(projectId, current);
        uint256 used = deviceContractProject[deviceContract];
        if (used != 0) revert DeviceContractInUse(deviceContract, used);
        projectDeviceContract[projectId] = deviceContract;
        deviceContractProject[deviceContract] = projectId;
        emit SetDeviceContract(projectId, deviceContract);
    }

    /// @notice Consumes one ioID of the project's quota, or charges `price()` once it is used up.
    function activeIoID(uint256 projectId) external payable {
        if (msg.sender != ioIDRegistry) revert NotIoIDRegistry(msg.sender);
        Quota memory q = _quota[projectId];
        uint256 fee = q.actived < q.applied ? 0 : price;
        if (msg.value != fee) revert WrongPayment(fee, msg.value);
        _quota[projectId].actived = q.actived + 1;
        emit ActiveIoID(projectId, fee);
    }

    /// @notice ioIDs prepaid by the project.
    function projectAppliedAmount(uint256 projectId) external view returns (uint256) {
        return _quota[projectId].applied;
    }

    /// @notice ioIDs activated (registered) for the project.
    function projectActivedAmount(uint256 projectId) external view returns (uint256) {
        return _quota[projectId].actived;
    }

    /// @notice Sets the ioID price (owner only).
    function changePrice(uint256 price_) external onlyOwner {
        price = price_;
        emit ChangePrice(price_);
    }

    /// @notice Sets the registry that activates ioIDs (owner only).
    function setIoIDRegistry(address registry) external onlyOwner {
        if (registry == address(0)) revert ZeroValue();
        ioIDRegistry = registry;
        emit SetIoIDRegistry(registry);
    }

    /// @notice Withdraws collected fees (owner only).
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        emit Withdrawn(to, amount);
        Address.sendValue(to, amount);
    }
}
