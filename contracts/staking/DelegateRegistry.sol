// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Devnet delegate (candidate) registry
/// @notice Lists the delegates buckets can vote for on the devnet; on IoTeX the chain itself keeps
///         the candidate list. A delegate is identified by its owner address, as in SystemStaking.
contract DelegateRegistry is Ownable {
    /// @notice The delegate address is zero.
    error ZeroDelegate();
    /// @notice The delegate is already listed.
    error DelegateAlreadyRegistered(address delegate);
    /// @notice The delegate is not listed.
    error DelegateNotRegistered(address delegate);
    /// @notice Names must be 1 to 32 bytes.
    error InvalidDelegateName(string name);

    struct Delegate {
        address owner;
        string name;
    }

    Delegate[] private _delegates;
    mapping(address => uint256) private _index; // position + 1

    event DelegateRegistered(address indexed delegate, string name);
    event DelegateRemoved(address indexed delegate);

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @notice Lists a delegate (owner only).
    function register(address delegate, string calldata name) external onlyOwner {
        if (delegate == address(0)) revert ZeroDelegate();
        if (bytes(name).length == 0 || bytes(name).length > 32) revert InvalidDelegateName(name);
        if (_index[delegate] != 0) revert DelegateAlreadyRegistered(delegate);
        _delegates.push(Delegate(delegate, name));
        _index[delegate] = _delegates.length;
        emit DelegateRegistered(delegate, name);
    }

    /// @notice Unlists a delegate (owner only); existing votes are untouched.
    function remove(address delegate) external onlyOwner {
        uint256 position = _index[delegate];
        if (position == 0) revert DelegateNotRegistered(delegate);
        Delegate memory last = _delegates[_delegates.length - 1];
        _delegates[position - 1] = last;
        _index[last.owner] = position;
        _delegates.pop();
        delete _index[delegate];
        emit DelegateRemoved(delegate);
    }

    /// @notice Whether `delegate` is listed.
    function isDelegate(address delegate) external view returns (bool) {
        return _index[delegate] != 0;
    }

    /// @notice Every listed delegate.
    function delegates() external view returns (Delegate[] memory) {
        return _delegates;
    }
}
