// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IProjectType} from "../interfaces/IIoID.sol";

/// @title ioIDStore
/// @notice Sells ioIDs to projects, with IoTeX's rules: a hardware project (type 0) prepays a quota
///         (`applyIoIDs`, at least amount * price()) and each registration uses one ioID of it; a
///         virtual project (type 1) pays price() per registration. Each project binds one device NFT
///         contract. Fees go to `feeReceiver` when one is set, else stay here for the owner to withdraw.
///         Same external interface, events and revert strings as IoTeX's ioIDStore, without the proxy.
contract IoIDStore is Ownable {
    /// @notice The Project NFT whose owners manage projects here.
    address public immutable project;
    /// @notice The registry allowed to activate ioIDs (the deployer until set).
    address public ioIDRegistry;
    /// @notice Price of one ioID in Rau.
    uint256 public price;
    /// @notice The device NFT contract bound to a project.
    mapping(uint256 projectId => address) public projectDeviceContract;
    /// @notice The project a device NFT contract is bound to (0 = none).
    mapping(address deviceContract => uint256) public deviceContractProject;
    /// @notice ioIDs prepaid by (or, for virtual projects, paid per registration by) the project.
    mapping(uint256 projectId => uint256) public projectAppliedAmount;
    /// @notice ioIDs activated (registered) for the project.
    mapping(uint256 projectId => uint256) public projectActivedAmount;
    /// @notice Where fees are forwarded as they are paid (zero = kept in this contract).
    address public feeReceiver;

    event Initialize(address indexed project, uint256 price);
    event ApplyIoIDs(uint256 indexed projectId, uint256 amount);
    event ActiveIoID(uint256 indexed projectId);
    event SetDeviceContract(uint256 indexed projectId, address indexed deviceContract);
    event ChangePrice(uint256 price);
    event SetIoIDRegistry(address indexed ioIDRegistry);
    event ChangeFeeReceiver(address indexed feeReceiver);
    /// @notice Outpost extension: emitted by `withdraw(address,uint256)`.
    event Withdrawn(address indexed to, uint256 amount);

    constructor(address initialOwner, address project_, uint256 price_) Ownable(initialOwner) {
        project = project_;
        price = price_;
        ioIDRegistry = msg.sender;
        emit Initialize(project_, price_);
    }

    /// @notice Prepays `amount` ioIDs for a hardware project; msg.value must cover amount * price().
    function applyIoIDs(uint256 projectId, uint256 amount) external payable {
        require(IProjectType(project).projectType(projectId) == 0, "only hardware project");
        require(msg.value >= amount * price, "insufficient fund");
        _collectFee();
        unchecked {
            projectAppliedAmount[projectId] += amount;
        }
        emit ApplyIoIDs(projectId, amount);
    }

    /// @notice Binds the project's device NFT contract (once per project and per contract; project owner only).
    function setDeviceContract(uint256 projectId, address deviceContract) external {
        require(IERC721(project).ownerOf(projectId) == msg.sender, "invald project owner");
        require(projectDeviceContract[projectId] == address(0), "project setted");
        require(deviceContractProject[deviceContract] == 0, "contract setted");
        projectDeviceContract[projectId] = deviceContract;
        deviceContractProject[deviceContract] = projectId;
        emit SetDeviceContract(projectId, deviceContract);
    }

    /// @notice Rebinds a project to another device NFT contract (owner only; the old contract keeps its entry).
    function changeDeviceContract(uint256 projectId, address deviceContract) external onlyOwner {
        require(deviceContractProject[deviceContract] == 0, "contract setted");
        projectDeviceContract[projectId] = deviceContract;
        deviceContractProject[deviceContract] = projectId;
        emit SetDeviceContract(projectId, deviceContract);
    }

    /// @notice Activates one ioID for a registration: a hardware project needs an unused prepaid ioID, a
    ///         virtual project pays at least price(). Only the ioIDRegistry calls this.
    function activeIoID(uint256 projectId) external payable {
        require(ioIDRegistry == msg.sender, "only ioIDRegistry");
        if (IProjectType(project).projectType(projectId) == 0) {
            require(projectAppliedAmount[projectId] > projectActivedAmount[projectId], "insufficient ioID");
        } else {
            require(msg.value >= price, "insufficient fund");
            _collectFee();
            unchecked {
                ++projectAppliedAmount[projectId];
            }
        }
        unchecked {
            ++projectActivedAmount[projectId];
        }
        emit ActiveIoID(projectId);
    }

    /// @notice Sets the ioID price (owner only).
    function changePrice(uint256 price_) external onlyOwner {
        price = price_;
        emit ChangePrice(price_);
    }

    /// @notice Sets where fees are forwarded (owner only).
    function changeFeeReceiver(address feeReceiver_) external onlyOwner {
        require(feeReceiver_ != address(0), "zero address");
        feeReceiver = feeReceiver_;
        emit ChangeFeeReceiver(feeReceiver_);
    }

    /// @notice Sets the registry that activates ioIDs (owner only).
    function setIoIDRegistry(address registry) external onlyOwner {
        require(registry != address(0), "zero address");
        ioIDRegistry = registry;
        emit SetIoIDRegistry(registry);
    }

    /// @notice Pays out kept fees, `amounts[i]` to `recipients[i]` (owner only).
    function withdraw(address[] calldata recipients, uint256[] calldata amounts) external onlyOwner {
        require(recipients.length == amounts.length, "invalid request");
        for (uint256 i = 0; i < recipients.length; ++i) {
            (bool success,) = recipients[i].call{value: amounts[i]}("");
            require(success, "transfer fail");
        }
    }

    /// @notice Pays out kept fees to one recipient (owner only). Outpost extension.
    function withdraw(address payable to, uint256 amount) external onlyOwner {
        emit Withdrawn(to, amount);
        Address.sendValue(to, amount);
    }

    /// @dev Forwards this call's payment to the fee receiver, if one is set.
    function _collectFee() private {
        address receiver = feeReceiver;
        if (receiver != address(0)) {
            (bool success,) = receiver.call{value: msg.value}("");
            require(success, "collect fee fail");
        }
    }
}
