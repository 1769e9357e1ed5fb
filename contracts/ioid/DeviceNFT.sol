// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title Example device NFT
/// @notice One token per physical device; accounts with MINTER_ROLE mint. Ids start at 1.
///         The admin may open minting to everyone (`setOpenMint`): the devnet's demo NFT does, so a
///         newcomer with only a fresh wallet can mint the device NFT the ioID journey needs (on IoTeX
///         the project's own NFT contract hands out device NFTs its way).
contract DeviceNFT is ERC721, AccessControl {
    /// @notice Role allowed to mint device tokens.
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @notice Number of tokens minted so far (the last id).
    uint256 public count;

    /// @notice Whether anyone may mint one token to themselves with `mintOpen` (a demo NFT; off by default).
    bool public openMint;

    /// @notice `mintOpen` was called while open minting is off.
    error OpenMintClosed();

    event OpenMintSet(bool open);

    constructor(string memory name_, string memory symbol_, address admin) ERC721(name_, symbol_) {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
    }

    /// @notice Mints the next token to `to` (MINTER_ROLE only); returns its id.
    function mint(address to) external onlyRole(MINTER_ROLE) returns (uint256 tokenId) {
        tokenId = ++count;
        _mint(to, tokenId);
    }

    /// @notice Turns open minting on or off (admin only).
    function setOpenMint(bool open) external onlyRole(DEFAULT_ADMIN_ROLE) {
        openMint = open;
        emit OpenMintSet(open);
    }

    /// @notice Mints the next token to the caller while open minting is on; returns its id.
    function mintOpen() external returns (uint256 tokenId) {
        if (!openMint) revert OpenMintClosed();
        tokenId = ++count;
        _mint(msg.sender, tokenId);
    }

    /// @notice Mints `amount` tokens to `to` (MINTER_ROLE only); returns the first id.
    function mintBatch(address to, uint256 amount) external onlyRole(MINTER_ROLE) returns (uint256 firstId) {
        firstId = count + 1;
        uint256 last = count + amount;
        for (uint256 id = firstId; id <= last; ++id) _mint(to, id);
        count = last;
    }

    /// @notice ERC-165 across ERC-721 and AccessControl.
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }
}
